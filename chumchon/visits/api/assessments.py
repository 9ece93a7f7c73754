"""API: visits and assessments. Recording an assessment returns what the instrument computed
(score, classification, flags, when it is due again); answers it refuses get 422 naming the item."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.http import HttpRequest
from ninja import Router, Schema, Status
from ninja.pagination import paginate

from chumchon.api.auth import caller
from chumchon.api.pagination import Pagination
from chumchon.api.schemas import Id, errors
from chumchon.core.audit import log_action
from chumchon.people import selectors as people_selectors
from chumchon.visits.instruments.registry import get_instrument
from chumchon.visits.models import Assessment, Visit
from chumchon.visits.selectors import assessments as selectors
from chumchon.visits.services import assessments as services

router = Router()


class FlagOut(Schema):
    code: str
    label: str
    severity: str


class AssessmentOut(Schema):
    id: int
    person_id: int | None
    household_id: int | None
    visit_id: int | None
    instrument: str
    instrument_version: int
    assessed_on: date
    answers: dict[str, Any]
    score: float | None
    classification: str
    classification_label: str
    result: dict[str, Any]
    flags: list[FlagOut]
    due_on: date | None
    review_status: str


def assessment_out(assessment: Assessment) -> AssessmentOut:
    try:
        instrument = get_instrument(assessment.instrument_code, assessment.instrument_version)
    except LookupError:
        instrument = None
    band = instrument.band(assessment.classification) if instrument else None
    flags = []
    for code in assessment.flags:
        flag = next((f for f in instrument.flags if f.code == code), None) if instrument else None
        flags.append(FlagOut(code=code, label=flag.label.get() if flag else code,
                             severity=flag.severity if flag else "high"))
    return AssessmentOut(
        id=assessment.pk, person_id=assessment.person_id, household_id=assessment.household_id,
        visit_id=assessment.visit_id, instrument=assessment.instrument_code,
        instrument_version=assessment.instrument_version, assessed_on=assessment.assessed_on,
        answers=assessment.answers, score=float(assessment.score) if assessment.score is not None else None,
        classification=assessment.classification, classification_label=band.label.get() if band else "",
        result=assessment.result, flags=flags, due_on=assessment.due_on, review_status=assessment.review_status)


class AssessmentIn(Schema):
    instrument: str
    answers: dict[str, Any]
    assessed_on: str | None = None
    visit_id: Id | None = None
    client_key: str | None = None


class VisitIn(Schema):
    household_id: Id
    visited_on: str | None = None
    present: list[Id] = []
    latitude: float | None = None
    longitude: float | None = None
    accuracy: float | None = None
    purpose: str = "collect"
    note: str = ""
    client_key: str | None = None


class VisitOut(Schema):
    id: int
    household_id: int | None
    area_code: str
    visited_on: date
    purpose: str
    present: list[int]
    latitude: float | None
    longitude: float | None
    note: str

    @staticmethod
    def resolve_present(obj: Visit) -> list[int]:
        return sorted(obj.present.values_list("pk", flat=True))


def _log_read(user: Any, rows: list[Assessment]) -> None:
    """Reading health data through the API is logged like the pages' reads (PDPA s.26)."""
    by_area: dict[str, list[int]] = {}
    for row in rows:
        by_area.setdefault(row.area_code, []).append(row.pk)
    for area_code, ids in by_area.items():
        log_action(actor=user, verb="assessment.view", object_type="visits.assessment",
                   object_id=str(ids[0]) if len(ids) == 1 else "", area_code=area_code,
                   data={"api": True, "assessments": ids})


def _record(request: HttpRequest, payload: AssessmentIn, **subject: Any) -> Status[AssessmentOut]:
    user = caller(request)
    visit = selectors.visit_get(user=user, visit_id=payload.visit_id) if payload.visit_id else None
    assessment = services.assessment_record(
        actor=user, instrument_code=payload.instrument, answers=payload.answers, assessed_on=payload.assessed_on,
        visit=visit, client_key=payload.client_key, **subject)
    return Status(201, assessment_out(assessment))


@router.post("/persons/{int:person_id}/assessments", response={201: AssessmentOut, **errors(404, 422)})
def person_assessment_create(request: HttpRequest, person_id: int, payload: AssessmentIn) -> Status[AssessmentOut]:
    people_selectors.person_get(user=caller(request), person_id=person_id)  # 404 outside reach
    return _record(request, payload, person_id=person_id)


@router.get("/persons/{int:person_id}/assessments", response={200: list[AssessmentOut], **errors(404)})
@paginate(Pagination)
def person_assessment_list(request: HttpRequest, person_id: int, instrument: str = "") -> list[AssessmentOut]:
    user = caller(request)
    people_selectors.person_get(user=user, person_id=person_id)
    rows = list(selectors.assessment_list(user=user, person_id=person_id, instrument_code=instrument)[:500])
    _log_read(user, rows)
    return [assessment_out(row) for row in rows]


@router.post("/households/{int:household_id}/assessments", response={201: AssessmentOut, **errors(404, 422)})
def household_assessment_create(request: HttpRequest, household_id: int,
                                 payload: AssessmentIn) -> Status[AssessmentOut]:
    people_selectors.household_get(user=caller(request), household_id=household_id)
    return _record(request, payload, household_id=household_id)


@router.get("/assessments/{int:assessment_id}", response={200: AssessmentOut, **errors(404)})
def assessment_get(request: HttpRequest, assessment_id: int) -> AssessmentOut:
    user = caller(request)
    assessment = selectors.assessment_get(user=user, assessment_id=assessment_id)
    _log_read(user, [assessment])
    return assessment_out(assessment)


@router.post("/visits", response={201: VisitOut, **errors(404, 422)})
def visit_create(request: HttpRequest, payload: VisitIn) -> Status[Visit]:
    user = caller(request)
    people_selectors.household_get(user=user, household_id=payload.household_id)
    visit = services.visit_start(
        actor=user, household_id=payload.household_id, visited_on=payload.visited_on,
        present_ids=payload.present, latitude=payload.latitude, longitude=payload.longitude,
        accuracy=payload.accuracy, purpose=payload.purpose, note=payload.note, client_key=payload.client_key)
    return Status(201, visit)


@router.get("/visits/{int:visit_id}", response={200: VisitOut, **errors(404)})
def visit_get(request: HttpRequest, visit_id: int) -> Visit:
    return selectors.visit_get(user=caller(request), visit_id=visit_id)


@router.get("/visits/{int:visit_id}/assessments", response={200: list[AssessmentOut], **errors(404)})
def visit_assessments(request: HttpRequest, visit_id: int) -> list[AssessmentOut]:
    user = caller(request)
    visit = selectors.visit_get(user=user, visit_id=visit_id)
    rows = list(selectors.assessment_list(user=user, visit_id=visit.pk))
    _log_read(user, rows)
    return [assessment_out(row) for row in rows]
