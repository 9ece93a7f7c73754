"""Reads of the tambon plan: the needs rolled up by kind of support and village, and the
programmes of a fiscal year. APPROVE_PLANS in the tambon is needed (404 otherwise)."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.db.models import Q
from django.http import Http404

from chumchon.accounts.scoping import area_prefixes, can, within_q
from chumchon.areas.models import Area, AreaLevel
from chumchon.care.models import Dimension, Goal, Outcome, PlanStatus, Programme
from chumchon.care.services._common import APPROVE
from chumchon.core.thai import thai_sort_key
from chumchon.network.models import NeedRule, Term, Vocabulary
from chumchon.people.models import PersonStatus

SUPPORT_DIMENSION = {
    "care_at_home": Dimension.HEALTH, "health_service": Dimension.HEALTH, "rehabilitation": Dimension.HEALTH,
    "assistive_devices": Dimension.HEALTH, "food": Dimension.LIVING, "goods": Dimension.LIVING,
    "housing_repair": Dimension.LIVING, "education": Dimension.EDUCATION, "training": Dimension.EDUCATION,
    "money": Dimension.INCOME, "occupation": Dimension.INCOME, "legal_rights": Dimension.ACCESS,
    "transport": Dimension.ACCESS, "information": Dimension.ACCESS,
}


def dimension_of(support_kind: str) -> str:
    return SUPPORT_DIMENSION.get(support_kind, Dimension.ACCESS)


def planning_tambon(user: Any, area_code: str = "") -> Area:
    """The tambon whose plan the user keeps: ``area_code`` (a tambon code) or their own; 404 otherwise."""
    code = (area_code or "").strip()
    if not code:
        prefixes = area_prefixes(user, APPROVE)
        if not prefixes:
            raise Http404("not found")
        code = prefixes[0][:6]
    tambon = Area.objects.filter(code=code, level=AreaLevel.SUBDISTRICT).first()
    if tambon is None or not can(user, APPROVE, tambon.code):
        raise Http404("not found")
    return tambon


@dataclass
class NeedCell:
    support_kind: Term
    dimension: str
    people: int = 0
    by_village: dict[str, int] = field(default_factory=dict)


def needs_rollup(*, user: Any, area_code: str = "") -> tuple[Area, list[NeedCell]]:
    """Distinct people (a household counts once) per kind of support, with the count per village."""
    from chumchon.visits.models import CurrentStatus

    tambon = planning_tambon(user, area_code)
    subjects: dict[str, dict[tuple[str, int], str]] = {}  # kind → {subject: village}
    goals = (Goal.objects.filter(within_q(tambon.code, "plan__person__area__code"), support_kind__isnull=False,
                                 plan__person__status=PersonStatus.ACTIVE)
             .exclude(outcome=Outcome.MET).exclude(plan__status=PlanStatus.CLOSED)
             .values_list("support_kind__code", "plan__person_id", "plan__person__area_id"))
    for kind, person_id, village in goals:
        subjects.setdefault(kind, {})[("p", person_id)] = village
    rules: dict[tuple[str, str], list[str]] = {}
    for instrument, result, kind in NeedRule.objects.values_list("instrument_code", "result_code",
                                                                 "support_kind__code"):
        rules.setdefault((instrument, result), []).append(kind)
    statuses = (CurrentStatus.objects.filter(within_q(tambon.code, "area__code"),
                                             instrument_code__in={instrument for instrument, _r in rules})
                .filter(Q(person__status=PersonStatus.ACTIVE) | Q(household__is_active=True))
                .values_list("person_id", "household_id", "area_id", "instrument_code", "classification", "flags"))
    for person_id, household_id, village, instrument, classification, flags in statuses:
        subject = ("p", person_id) if person_id else ("h", household_id)
        for code in {classification, *(flags or [])}:
            for kind in rules.get((instrument, code), []):
                subjects.setdefault(kind, {})[subject] = village
    terms = {term.code: term for term in Term.objects.filter(vocabulary=Vocabulary.SUPPORT_KIND)}
    cells = []
    for kind, found in subjects.items():
        if kind not in terms:
            continue
        cell = NeedCell(support_kind=terms[kind], dimension=dimension_of(kind), people=len(found))
        for village in found.values():
            cell.by_village[village] = cell.by_village.get(village, 0) + 1
        cells.append(cell)
    order = list(Dimension.values)
    cells.sort(key=lambda cell: (order.index(cell.dimension), -cell.people, cell.support_kind.sort))
    return tambon, cells


def programme_list(*, user: Any, fiscal_year: int, area_code: str = "") -> tuple[Area, list[Programme]]:
    tambon = planning_tambon(user, area_code)
    rows = list(Programme.objects.filter(tambon=tambon, fiscal_year=fiscal_year)
                .select_related("support_kind", "responsible_organisation")
                .prefetch_related("villages", "budget_lines"))
    order = list(Dimension.values)
    rows.sort(key=lambda p: (order.index(p.dimension) if p.dimension in order else 99, thai_sort_key(p.name), p.pk))
    return tambon, rows


def programme_get(*, user: Any, programme_id: int) -> Programme:
    programme = (Programme.objects.select_related("support_kind", "responsible_organisation", "tambon")
                 .prefetch_related("villages", "budget_lines").filter(pk=programme_id).first())
    if programme is None or not can(user, APPROVE, programme.area_code):
        raise Http404("not found")
    return programme
