"""Reads of visits and assessments: health data (PDPA s.26), always scoped by VIEW_HEALTH."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from django.http import Http404

from chumchon.accounts.roles import Capability
from chumchon.accounts.scoping import scope_q
from chumchon.visits.models import Assessment, Visit

HEALTH = Capability.VIEW_HEALTH


def assessment_list(*, user: Any, person_id: int | None = None, household_id: int | None = None,
                    instrument_code: str = "", visit_id: int | None = None) -> QuerySet[Assessment]:
    rows = Assessment.objects.filter(scope_q(user, HEALTH, "area__code")).select_related("person", "area")
    if person_id is not None:
        rows = rows.filter(person_id=person_id)
    if household_id is not None:
        rows = rows.filter(household_id=household_id)
    if instrument_code:
        rows = rows.filter(instrument_code=instrument_code)
    if visit_id is not None:
        rows = rows.filter(visit_id=visit_id)
    return rows.order_by("-assessed_on", "-pk")


def assessment_get(*, user: Any, assessment_id: int) -> Assessment:
    found = assessment_list(user=user).filter(pk=assessment_id).first()
    if found is None:
        raise Http404("not found")
    return found


def visit_list(*, user: Any, household_id: int | None = None, area_code: str = "") -> QuerySet[Visit]:
    rows = Visit.objects.filter(scope_q(user, HEALTH, "area__code")).select_related("household", "area")
    if household_id is not None:
        rows = rows.filter(household_id=household_id)
    if area_code:
        rows = rows.filter(area_id__startswith=area_code)
    return rows.order_by("-visited_on", "-pk")


def visit_get(*, user: Any, visit_id: int) -> Visit:
    found = visit_list(user=user).filter(pk=visit_id).first()
    if found is None:
        raise Http404("not found")
    return found
