"""A person's current results per instrument, with their history for a small chart: health data
(PDPA s.26), read only by those with VIEW_HEALTH in the person's village."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import Any

from django.db.models import Exists, OuterRef, Q
from django.utils.translation import gettext as _

from chumchon.accounts.roles import Capability
from chumchon.accounts.scoping import can, scope_q
from chumchon.core.review import ReviewStatus
from chumchon.core.thai import format_be
from chumchon.visits.instruments.schema import Instrument, Text
from chumchon.visits.models import Assessment, CurrentStatus
from chumchon.visits.selectors.followups import band_of, instrument_or_none, instruments

HEALTH = Capability.VIEW_HEALTH
HISTORY_POINTS = 24
GROWTH_INDICATORS = (("wfa", "weight-for-age"), ("hfa", "height-for-age"), ("wfh", "weight-for-height"))


@dataclass
class Result:
    instrument_code: str
    title: str
    classification: str
    classification_label: str
    severity: str
    score: Decimal | None
    assessed_on: date
    due_on: date | None
    assessment_id: int
    review_status: str = ""
    review_label: str = ""
    details: list[tuple[str, str]] = field(default_factory=list)  # growth: each indicator's band
    chart: dict[str, Any] = field(default_factory=dict)  # {"labels": [...], "series": [{label, data}]}

    @property
    def chart_id(self) -> str:
        return f"result-chart-{self.instrument_code}"


def _text(value: Any) -> str:
    if isinstance(value, dict):
        return Text(th=str(value.get("th", "")), en=str(value.get("en", ""))).get()
    return str(value or "")


def _growth_details(instrument: Instrument | None, result: dict[str, Any]) -> list[tuple[str, str]]:
    bands = (instrument.scoring.get("bands") or {}) if instrument else {}
    names = {"wfa": _("Weight for age"), "hfa": _("Height for age"), "wfh": _("Weight for height")}
    rows = []
    for key, _english in GROWTH_INDICATORS:
        code = result.get(f"band_{key}")
        if not code:
            continue
        row = next((b for b in bands.get(key, []) if b.get("code") == code), None)
        label = _text(row.get("label")) if row else str(result.get(f"band_{key}_label") or code)
        z = result.get(f"z_{key}")
        rows.append((names[key], f"{label} (z {float(z):+.2f})" if isinstance(z, int | float) else label))
    return rows


def _chart(points: list[Assessment], growth: bool) -> dict[str, Any]:
    labels = [format_be(p.assessed_on) for p in points]
    if growth:
        names = {"wfa": _("Weight for age"), "hfa": _("Height for age"), "wfh": _("Weight for height")}
        series = [{"label": f"z {names[key]}", "data": [(p.result or {}).get(f"z_{key}") for p in points]}
                  for key, _english in GROWTH_INDICATORS]
        series = [s for s in series if any(v is not None for v in s["data"])]
    else:
        data = [float(p.score) if p.score is not None else None for p in points]
        series = [{"label": _("Score"), "data": data}] if any(v is not None for v in data) else []
    return {"labels": labels, "series": series} if series and len(points) > 0 else {}


def person_results(*, user: Any, person: Any) -> list[Result] | None:
    """The person's current status under each instrument, or None when the user may not see
    health data in the person's village (the page then shows nothing of it)."""
    if not can(user, HEALTH, person.area_code):
        return None
    statuses = list(CurrentStatus.objects.filter(scope_q(user, HEALTH, "area__code"), person=person)
                    .select_related("assessment"))
    if not statuses:
        return []
    history: dict[str, list[Assessment]] = {}
    for row in (Assessment.objects.filter(scope_q(user, HEALTH, "area__code"), person=person)
                .only("instrument_code", "assessed_on", "score", "result").order_by("assessed_on", "pk")):
        history.setdefault(row.instrument_code, []).append(row)
    order = {inst.code: index for index, inst in enumerate(instruments())}
    out: list[Result] = []
    for status in sorted(statuses, key=lambda s: (order.get(s.instrument_code, len(order)), s.instrument_code)):
        inst = instrument_or_none(status.instrument_code, status.assessment.instrument_version) \
            or instrument_or_none(status.instrument_code)
        band = band_of(inst, status.classification)
        growth = bool(inst and inst.scoring.get("method") == "growth")
        out.append(Result(
            instrument_code=status.instrument_code, title=inst.title.get() if inst else status.instrument_code,
            classification=status.classification,
            classification_label=band.label.get() if band else status.classification,
            severity=band.severity if band else "", score=status.score, assessed_on=status.assessed_on,
            due_on=status.due_on, assessment_id=status.assessment_id,
            review_status=status.assessment.review_status,
            review_label=str(ReviewStatus(status.assessment.review_status).label),
            details=_growth_details(inst, status.assessment.result or {}) if growth else [],
            chart=_chart(history.get(status.instrument_code, [])[-HISTORY_POINTS:], growth),
        ))
    return out


def classification_choices() -> list[tuple[str, list[tuple[str, str]]]]:
    """For the people-list filter: each person instrument's classifications, grouped by instrument,
    values ``<instrument_code>:<classification>``."""
    groups = []
    for inst in instruments():
        if inst.subject != "person" or not inst.classifications:
            continue
        groups.append((inst.title.get(), [(f"{inst.code}:{band.code}", band.label.get())
                                          for band in inst.classifications]))
    return groups


def status_filter_q(value: str) -> Q:
    """``<instrument_code>:<classification>`` → people whose current status under that instrument
    has that classification (an Exists() on CurrentStatus). The caller checks VIEW_HEALTH."""
    code, _sep, classification = value.partition(":")
    return Q(Exists(CurrentStatus.objects.filter(person_id=OuterRef("pk"), instrument_code=code,
                                                 classification=classification)))
