"""API: assessment instrument definitions (``/api/v1/instruments``).

Definitions hold no personal data, so any signed-in user may read them: the list (latest version
of each) and one definition in full — groups, items with their codes, answer types, options with
their scores, skip rules, classifications, derived results, flags and follow-up rules. Texts are
given in the request's language; ``?version=`` reads an older version.
"""

from __future__ import annotations

from typing import Any

from django.http import Http404, HttpRequest
from ninja import Router, Schema

from chumchon.api.schemas import errors
from chumchon.visits.instruments.registry import get_instrument, list_instruments, list_versions
from chumchon.visits.instruments.schema import Instrument, Item, Text

router = Router()


class InstrumentListOut(Schema):
    code: str
    version: int
    title: str
    subject: str
    source: str


class OptionOut(Schema):
    value: str
    label: str
    score: float | None


class ItemOut(Schema):
    code: str
    type: str
    label: str
    help: str
    required: bool
    options: list[OptionOut]
    min: float | None
    max: float | None
    unit: str
    domain: str
    show_if: dict[str, Any] | None


class GroupOut(Schema):
    code: str
    title: str
    show_if: dict[str, Any] | None
    items: list[ItemOut]


class ClassificationOut(Schema):
    code: str
    label: str
    min: float | None
    max: float | None
    when: dict[str, Any] | None
    severity: str


class ResultOut(Schema):
    key: str
    label: str
    kind: str


class FlagRuleOut(Schema):
    code: str
    label: str
    severity: str
    when: dict[str, Any]


class FollowUpOut(Schema):
    when: dict[str, Any] | None
    days: int | None
    at_age_months: list[int]


class TargetOut(Schema):
    min_age_months: int | None
    max_age_months: int | None
    person_flags: list[str]


class InstrumentOut(InstrumentListOut):
    description: str
    active: bool
    versions: list[int]
    scoring: dict[str, Any]
    settings: dict[str, Any]
    target: TargetOut
    groups: list[GroupOut]
    classifications: list[ClassificationOut]
    results: list[ResultOut]
    flags: list[FlagRuleOut]
    follow_up: list[FollowUpOut]


def _text(value: Text | None) -> str:
    return value.get() if value is not None else ""


def _item(item: Item) -> dict[str, Any]:
    return {
        "code": item.code, "type": item.type, "label": _text(item.label), "help": _text(item.help),
        "required": item.required, "min": item.minimum, "max": item.maximum, "unit": item.unit,
        "domain": item.domain, "show_if": item.show_if,
        "options": [{"value": o.value, "label": _text(o.label), "score": o.score} for o in item.options],
    }


def instrument_summary(instrument: Instrument) -> dict[str, Any]:
    return {"code": instrument.code, "version": instrument.version, "title": _text(instrument.title),
            "subject": instrument.subject, "source": instrument.source}


def instrument_detail(instrument: Instrument) -> dict[str, Any]:
    target = instrument.target
    return {
        **instrument_summary(instrument),
        "description": _text(instrument.description),
        "active": instrument.active,
        "versions": [i.version for i in list_versions(instrument.code)],
        "scoring": instrument.scoring,
        "settings": instrument.settings,
        "target": {"min_age_months": target.min_age_months, "max_age_months": target.max_age_months,
                   "person_flags": list(target.person_flags)},
        "groups": [{"code": g.code, "title": _text(g.title), "show_if": g.show_if, "items": [_item(i) for i in g.items]}
                   for g in instrument.groups],
        "classifications": [{"code": b.code, "label": _text(b.label), "min": b.minimum, "max": b.maximum,
                             "when": b.when, "severity": b.severity} for b in instrument.classifications],
        "results": [{"key": r.key, "label": _text(r.label), "kind": r.kind} for r in instrument.results],
        "flags": [{"code": f.code, "label": _text(f.label), "severity": f.severity, "when": f.when}
                  for f in instrument.flags],
        "follow_up": [{"when": f.when, "days": f.days, "at_age_months": list(f.at_age_months)}
                      for f in instrument.follow_up],
    }


@router.get("", response={200: list[InstrumentListOut], **errors()})
def instruments_list(request: HttpRequest) -> list[dict[str, Any]]:
    """The latest version of every instrument in use, shipped ones first."""
    return [instrument_summary(i) for i in list_instruments()]


@router.get("/{code}", response={200: InstrumentOut, **errors(404, 422)})
def instrument_get(request: HttpRequest, code: str, version: int | None = None) -> dict[str, Any]:
    """One instrument in full: the latest version in use, or ``version``."""
    try:
        instrument = get_instrument(code, version)
    except LookupError:
        raise Http404("not found") from None
    return instrument_detail(instrument)
