"""The shape of an instrument definition once loaded (the contract every other module relies on).

A definition file (YAML or JSON; shipped ones in ``definitions/``) is parsed and validated by
``loader.py`` into these frozen dataclasses; ``engine.evaluate`` scores answers against them.
Texts are ``{"th": ..., "en": ...}``; ``Text.get()`` picks the active language.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any

from django.utils.translation import get_language

ANSWER_TYPES = ("choice", "multi", "number", "yes_no", "text", "date", "photo", "gps")
SUBJECTS = ("person", "household", "centre")
SEVERITIES = ("urgent", "high", "normal")


@dataclass(frozen=True)
class Text:
    th: str
    en: str = ""

    def get(self) -> str:
        return self.en if (get_language() or "th").startswith("en") and self.en else self.th

    def __str__(self) -> str:
        return self.get()


@dataclass(frozen=True)
class Option:
    value: str
    label: Text
    score: float | None = None
    # The option may be chosen only when this holds (e.g. a DSPM age band that fits the child's age).
    valid_if: dict[str, Any] | None = None


# A condition is plain data (dicts and lists from the file), checked by the loader and read by
# engine.condition_holds: {"item": code, "equals"|"in"|"lt"|"lte"|"gt"|"gte"|"answered": ...},
# {"classification": code}, {"classification_in": [...]}, {"score_lte"|"score_gte": n},
# {"result": key, "equals": v}, {"fact": name, "equals": v}, {"age_months_lt"|"age_months_gte": n},
# {"previous_classification": code},
# {"all": [...]}, {"any": [...]}, {"not": {...}}.
Condition = dict[str, Any]


@dataclass(frozen=True)
class Item:
    code: str
    type: str  # one of ANSWER_TYPES
    label: Text
    required: bool = True
    options: tuple[Option, ...] = ()
    minimum: float | None = None
    maximum: float | None = None
    unit: str = ""
    help: Text | None = None
    show_if: Condition | None = None  # skip rule: asked only when it holds
    domain: str = ""  # DSPM domain (GM, FM, RL, EL, PS) or TPMAP dimension, for grouped results

    def option(self, value: str) -> Option | None:
        return next((o for o in self.options if o.value == value), None)


@dataclass(frozen=True)
class Group:
    """One screen of the phone form."""

    code: str
    title: Text
    items: tuple[Item, ...]
    show_if: Condition | None = None


@dataclass(frozen=True)
class Band:
    code: str
    label: Text
    minimum: float | None = None  # inclusive
    maximum: float | None = None  # inclusive
    when: Condition | None = None  # for classifications that are not a score band
    severity: str = ""  # how a list should colour it: "urgent", "high", "normal" or ""


@dataclass(frozen=True)
class Flag:
    code: str
    label: Text
    severity: str  # one of SEVERITIES
    when: Condition


@dataclass(frozen=True)
class FollowUp:
    """Due again ``days`` after the assessment when ``when`` holds (first matching rule wins);
    ``at_age_months`` instead gives the next age (in months) from the list that is still ahead."""

    when: Condition | None = None
    days: int | None = None
    at_age_months: tuple[int, ...] = ()


@dataclass(frozen=True)
class Target:
    """Who the instrument is for, so the follow-up schedule can list people never assessed."""

    min_age_months: int | None = None
    max_age_months: int | None = None
    person_flags: tuple[str, ...] = ()  # any of these Person booleans (is_bedbound, is_disabled…)


@dataclass(frozen=True)
class ResultRule:
    """One way to reach a derived result's value: ``value`` when ``when`` holds."""

    value: Any
    when: Condition | None = None
    label: Text | None = None


@dataclass(frozen=True)
class DerivedResult:
    """A result declared in the file (e.g. the LTC care-need group), computed after the
    classification. ``kind`` "first": the value of the first rule that holds (else ``default``);
    "collect": the list of values of every rule that holds; "count": how many rules hold."""

    key: str
    label: Text
    kind: str = "first"
    rules: tuple[ResultRule, ...] = ()
    default: Any = None


@dataclass(frozen=True)
class Instrument:
    code: str
    version: int
    title: Text
    subject: str  # "person" or "household"
    groups: tuple[Group, ...]
    scoring: dict[str, Any] = field(default_factory=dict)  # {"method": "sum"|"growth"|"dspm"|"none", ...}
    classifications: tuple[Band, ...] = ()
    flags: tuple[Flag, ...] = ()
    follow_up: tuple[FollowUp, ...] = ()
    target: Target = field(default_factory=Target)
    description: Text | None = None
    settings: dict[str, Any] = field(default_factory=dict)  # values DOMAIN.md marks unconfirmed
    source: str = "shipped"  # "shipped" or "custom"
    results: tuple[DerivedResult, ...] = ()  # derived results declared in the file
    active: bool = True  # an inactive version still reads old answers but is not offered for new ones

    @property
    def items(self) -> tuple[Item, ...]:
        return tuple(item for group in self.groups for item in group.items)

    def item(self, code: str) -> Item | None:
        return next((i for i in self.items if i.code == code), None)

    def band(self, code: str) -> Band | None:
        return next((b for b in self.classifications if b.code == code), None)


@dataclass(frozen=True)
class Context:
    """What the engine needs to know about the subject besides the answers."""

    assessed_on: date
    birth_date: date | None = None
    sex: str = ""  # "male" / "female" / ""
    previous: Outcome | None = None  # the subject's previous outcome under the same instrument
    previous_on: date | None = None
    # Registry facts about the subject, for rules (is_disabled, has_disability_card, has_welfare_card,
    # health_coverage, allowances, has_id_card…): condition {"fact": name, "equals"|"in"|...: v}.
    facts: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class RaisedFlag:
    code: str
    label: str
    severity: str


@dataclass(frozen=True)
class Outcome:
    answers: dict[str, Any]  # cleaned: only asked items, values normalised
    score: float | None
    classification: str  # a Band code or ""
    classification_label: str
    result: dict[str, Any]  # method-specific details (domain results, z-scores and bands…)
    flags: tuple[RaisedFlag, ...]
    due_on: date | None


class AnswerErrors(Exception):
    """Answers refused: ``errors`` maps item code → Thai message (``"__all__"`` for the whole)."""

    def __init__(self, errors: dict[str, str]):
        super().__init__(errors)
        self.errors = errors


class DefinitionError(Exception):
    """A definition file that cannot be used: each problem with its line number (1-based, 0 when
    unknown) and a Thai message."""

    def __init__(self, problems: list[tuple[int, str]]):
        super().__init__("; ".join(f"line {line}: {msg}" for line, msg in problems))
        self.problems = problems
