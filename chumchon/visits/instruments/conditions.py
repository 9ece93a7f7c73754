"""Conditions: plain data from a definition file, checked once by the loader (``check``) and
read by the engine (``holds``).

Grammar (one key decides the kind; comparison operators are ``equals``, ``not_equals``, ``in``,
``lt``, ``lte``, ``gt``, ``gte``; ``answered: true|false`` for items)::

    {item: code, <op>: value}          {result: key, <op>: value}      {fact: name, <op>: value}
    {classification: code}             {classification_in: [codes]}    {previous_classification: code}
    {score_lt|score_lte|score_gt|score_gte: n}
    {age_months_lt|age_months_gte: n}  (age at the assessment, from the birth date)
    {all: [...]}  {any: [...]}  {not: {...}}
"""

from __future__ import annotations

from collections.abc import Callable, Collection
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from django.utils.translation import gettext as _

from chumchon.visits.instruments.schema import Condition, Context

OPERATORS = ("equals", "not_equals", "in", "lt", "lte", "gt", "gte")
SCORE_KEYS = ("score_lt", "score_lte", "score_gt", "score_gte")
AGE_KEYS = ("age_months_lt", "age_months_gte")
KINDS = ("all", "any", "not", "item", "result", "fact", "classification", "classification_in",
         "previous_classification", *SCORE_KEYS, *AGE_KEYS)


@dataclass
class Scope:
    """What a condition may refer to at the place it is written."""

    items: Collection[str]
    classifications: Collection[str] = ()
    results: Collection[str] = ()
    score: bool = False
    classification: bool = False  # may the current classification be read here?


def check(cond: Any, scope: Scope, report: Callable[[str], None]) -> None:
    """Report every problem of ``cond`` (already plain data) through ``report(message)``."""
    if not isinstance(cond, dict) or not cond:
        report(_("A condition must be a mapping such as {item: code, equals: value}."))
        return
    kinds = [key for key in cond if key in KINDS]
    if len(kinds) > 1:
        report(_("One condition cannot test both %(kinds)s; combine them with “all” or “any”.")
               % {"kinds": " and ".join(kinds)})
        return
    if "all" in cond or "any" in cond:
        key = "all" if "all" in cond else "any"
        parts = cond[key]
        if len(cond) != 1 or not isinstance(parts, list) or not parts:
            report(_("“%(key)s” takes a non-empty list of conditions and nothing else.") % {"key": key})
            return
        for part in parts:
            check(part, scope, report)
        return
    if "not" in cond:
        if len(cond) != 1:
            report(_("“not” takes one condition and nothing else."))
            return
        check(cond["not"], scope, report)
        return
    for subject in ("item", "result", "fact"):
        if subject in cond:
            _check_comparison(cond, subject, scope, report)
            return
    if "classification" in cond or "classification_in" in cond or "previous_classification" in cond:
        key = next(k for k in ("classification", "classification_in", "previous_classification") if k in cond)
        if len(cond) != 1:
            report(_("“%(key)s” takes nothing else.") % {"key": key})
        if key != "previous_classification" and not scope.classification:
            report(_("The result is not known yet where this condition is used."))
        codes = cond[key] if key == "classification_in" else [cond[key]]
        if not isinstance(codes, list) or not codes:
            report(_("“%(key)s” takes a list of classification codes.") % {"key": key})
            return
        for code in codes:
            if code not in scope.classifications:
                report(_("Unknown classification “%(code)s”.") % {"code": code})
        return
    keys = [k for k in (*SCORE_KEYS, *AGE_KEYS) if k in cond]
    if len(keys) == 1 and len(cond) == 1:
        if keys[0] in SCORE_KEYS and not scope.score:
            report(_("The score is not known yet where this condition is used."))
        if not _is_number(cond[keys[0]]):
            report(_("“%(key)s” takes a number.") % {"key": keys[0]})
        return
    report(_("Unknown condition %(keys)s.") % {"keys": ", ".join(map(str, cond))})


def _check_comparison(cond: dict[str, Any], subject: str, scope: Scope, report: Callable[[str], None]) -> None:
    name = cond[subject]
    if subject == "item" and name not in scope.items:
        report(_("The condition refers to item “%(code)s”, which is not asked before this point.") % {"code": name})
    if subject == "result" and name not in scope.results:
        report(_("The condition refers to result “%(code)s”, which is not known at this point.") % {"code": name})
    ops = [k for k in cond if k != subject]
    allowed = (*OPERATORS, "answered") if subject == "item" else OPERATORS
    if len(ops) != 1 or ops[0] not in allowed:
        report(_("A condition on “%(name)s” needs exactly one of: %(ops)s.")
               % {"name": name, "ops": ", ".join(allowed)})
        return
    op, value = ops[0], cond[ops[0]]
    if op in ("lt", "lte", "gt", "gte") and not _is_number(value):
        report(_("“%(op)s” takes a number.") % {"op": op})
    if op == "in" and not isinstance(value, list):
        report(_("“in” takes a list of values."))
    if op == "answered" and not isinstance(value, bool):
        report(_("“answered” takes true or false."))


def _is_number(value: Any) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool)


# ---------------------------------------------------------------------------
# Evaluation
# ---------------------------------------------------------------------------


def age_in_months(born: date | None, on: date) -> int | None:
    """Completed months of age on ``on`` (None when the birth date is not known)."""
    if born is None:
        return None
    months = (on.year - born.year) * 12 + on.month - born.month
    if on.day < born.day:
        months -= 1
    return months


@dataclass
class State:
    """Everything a condition can read while an assessment is evaluated."""

    answers: dict[str, Any]
    context: Context
    score: float | None = None
    classification: str = ""
    results: dict[str, Any] = field(default_factory=dict)

    @property
    def age_months(self) -> int | None:
        return age_in_months(self.context.birth_date, self.context.assessed_on)


_MISSING = object()


def compare(actual: Any, op: str, expected: Any) -> bool:
    if actual is _MISSING or actual is None:
        return False
    try:
        if op == "equals":
            return bool(actual == expected)
        if op == "not_equals":
            return bool(actual != expected)
        if op == "in":
            return actual in expected
        if op == "lt":
            return bool(actual < expected)
        if op == "lte":
            return bool(actual <= expected)
        if op == "gt":
            return bool(actual > expected)
        if op == "gte":
            return bool(actual >= expected)
    except TypeError:
        return False
    raise ValueError(op)


def holds(cond: Condition | None, state: State) -> bool:
    """Whether ``cond`` holds (an absent condition always holds)."""
    if cond is None:
        return True
    if "all" in cond:
        return all(holds(part, state) for part in cond["all"])
    if "any" in cond:
        return any(holds(part, state) for part in cond["any"])
    if "not" in cond:
        return not holds(cond["not"], state)
    for subject, source in (("item", state.answers), ("result", state.results), ("fact", state.context.facts)):
        if subject in cond:
            actual = source.get(cond[subject], _MISSING)
            op = next(k for k in cond if k != subject)
            if op == "answered":
                return (actual is not _MISSING and actual not in (None, "", [])) == bool(cond[op])
            return compare(actual, op, cond[op])
    if "classification" in cond:
        return state.classification == cond["classification"]
    if "classification_in" in cond:
        return state.classification in cond["classification_in"]
    if "previous_classification" in cond:
        previous = state.context.previous
        return previous is not None and previous.classification == cond["previous_classification"]
    for key in SCORE_KEYS:
        if key in cond:
            return compare(state.score, key.removeprefix("score_"), cond[key])
    for key in AGE_KEYS:
        if key in cond:
            age = state.age_months
            return compare(age, key.removeprefix("age_months_"), cond[key])
    raise ValueError(f"unknown condition {cond!r}")
