"""API: child development centres — the centre with caregivers and trainings and enrolled children
(both personal: only with VIEW_NAMES in the centre's area), the support log with totals, and quality assessments. Reads
through network.selectors.centres (404 outside reach), writes through network.services.centres."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

from django.db.models import QuerySet
from django.http import HttpRequest
from ninja import Router, Schema, Status
from ninja.pagination import paginate

from chumchon.api.auth import caller
from chumchon.api.pagination import Pagination
from chumchon.api.schemas import errors
from chumchon.network.models import CentreAssessment, ChildCentre, Enrolment, SupportReceived
from chumchon.network.selectors import centres as selectors
from chumchon.network.services import centres as services

router = Router()


class CentreOut(Schema):
    id: int
    organisation_id: int
    name: str
    area_code: str
    owner_id: int | None
    capacity: int | None

    @staticmethod
    def resolve_name(obj: ChildCentre) -> str:
        return obj.organisation.name

    @staticmethod
    def resolve_area_code(obj: ChildCentre) -> str:
        return obj.area_code


class CentreIn(Schema):
    organisation_id: int
    owner_id: int | None = None
    capacity: int | None = None


class TrainingOut(Schema):
    course: str
    provider: str
    completed_on: date
    hours: int | None


class CaregiverOut(Schema):
    id: int
    name: str
    position: str
    started_on: date | None
    trainings: list[TrainingOut]

    @staticmethod
    def resolve_trainings(obj: Any) -> list[Any]:
        return list(obj.trainings.all())


class EnrolmentOut(Schema):
    id: int
    person_id: int
    full_name: str
    enrolled_on: date
    left_on: date | None

    @staticmethod
    def resolve_full_name(obj: Enrolment) -> str:
        return obj.person.full_name


class EnrolmentIn(Schema):
    person_id: int
    enrolled_on: str


class SupportOut(Schema):
    id: int
    giver_id: int | None
    giver_name: str
    kind: str
    description: str
    received_on: date
    value_baht: Decimal | None

    @staticmethod
    def resolve_kind(obj: SupportReceived) -> str:
        return obj.kind.code

    @staticmethod
    def resolve_giver_name(obj: SupportReceived) -> str:
        return obj.giver.name if obj.giver else obj.giver_name


class SupportIn(Schema):
    kind_code: str
    description: str
    received_on: str
    giver_id: int | None = None
    giver_name: str = ""
    value_baht: Decimal | None = None


class Total(Schema):
    label: str
    baht: Decimal
    entries: int


class SupportSummaryOut(Schema):
    total: Decimal
    by_giver: list[Total]
    by_kind: list[Total]
    entries: list[SupportOut]


class AssessmentOut(Schema):
    id: int
    instrument_code: str
    instrument_version: int
    assessed_on: date
    answers: dict[str, Any]
    score: Decimal | None
    classification: str
    result: dict[str, Any]


class AssessmentIn(Schema):
    assessed_on: str
    answers: dict[str, Any]


@router.get("", response={200: list[CentreOut], **errors(422)})
@paginate(Pagination)
def centre_list(request: HttpRequest, area: str = "") -> QuerySet[ChildCentre]:
    return selectors.centre_list(user=caller(request), area_code=area)


@router.post("", response={201: CentreOut, **errors(404, 422)})
def centre_create(request: HttpRequest, payload: CentreIn) -> Status[ChildCentre]:
    return Status(201, services.centre_create(actor=caller(request), **payload.model_dump()))


@router.get("/{int:centre_id}", response={200: CentreOut, **errors(404)})
def centre_get(request: HttpRequest, centre_id: int) -> ChildCentre:
    return selectors.centre_get(user=caller(request), centre_id=centre_id)


@router.get("/{int:centre_id}/caregivers", response={200: list[CaregiverOut], **errors(404)})
def caregiver_list(request: HttpRequest, centre_id: int) -> list[Any]:
    """Caregivers by name with their training (empty without VIEW_NAMES in the centre's area)."""
    user = caller(request)
    return selectors.caregiver_list(user=user, centre=selectors.centre_get(user=user, centre_id=centre_id))


@router.get("/{int:centre_id}/enrolments", response={200: list[EnrolmentOut], **errors(404)})
def enrolment_list(request: HttpRequest, centre_id: int) -> list[Enrolment]:
    """Children enrolled now, by name (empty without VIEW_NAMES in the centre's area)."""
    from chumchon.core.audit import log_action

    user = caller(request)
    centre = selectors.centre_get(user=user, centre_id=centre_id)
    rows = selectors.enrolment_list(user=user, centre=centre)
    if rows:
        log_action(actor=user, verb="centre.view", obj=centre, data={"children": len(rows), "api": True})
    return rows


@router.post("/{int:centre_id}/enrolments", response={201: EnrolmentOut, **errors(404, 422)})
def enrolment_add(request: HttpRequest, centre_id: int, payload: EnrolmentIn) -> Status[Enrolment]:
    user = caller(request)
    centre = selectors.centre_get(user=user, centre_id=centre_id)
    return Status(201, services.enrolment_add(actor=user, centre=centre, **payload.model_dump()))


@router.get("/{int:centre_id}/support", response={200: SupportSummaryOut, **errors(404)})
def support_summary(request: HttpRequest, centre_id: int) -> dict[str, Any]:
    user = caller(request)
    summary = selectors.support_summary(user=user, centre=selectors.centre_get(user=user, centre_id=centre_id))
    return {"total": summary.total, "entries": summary.rows,
            "by_giver": [{"label": k, "baht": v, "entries": n} for k, v, n in summary.by_giver],
            "by_kind": [{"label": k, "baht": v, "entries": n} for k, v, n in summary.by_kind]}


@router.post("/{int:centre_id}/support", response={201: SupportOut, **errors(404, 422)})
def support_add(request: HttpRequest, centre_id: int, payload: SupportIn) -> Status[SupportReceived]:
    user = caller(request)
    centre = selectors.centre_get(user=user, centre_id=centre_id)
    return Status(201, services.support_add(actor=user, centre=centre, **payload.model_dump()))


@router.get("/{int:centre_id}/assessments", response={200: list[AssessmentOut], **errors(404)})
def assessment_list(request: HttpRequest, centre_id: int) -> list[CentreAssessment]:
    user = caller(request)
    return list(selectors.assessment_list(user=user, centre=selectors.centre_get(user=user, centre_id=centre_id)))


@router.post("/{int:centre_id}/assessments", response={201: AssessmentOut, **errors(404, 422)})
def assessment_add(request: HttpRequest, centre_id: int, payload: AssessmentIn) -> Status[CentreAssessment]:
    user = caller(request)
    centre = selectors.centre_get(user=user, centre_id=centre_id)
    return Status(201, services.centre_assess(actor=user, centre=centre, **payload.model_dump()))
