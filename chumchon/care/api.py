"""API: the alert inbox (``/api/v1/alerts``), scoped by RECEIVE_ALERTS like the page.

Mount with ``api.add_router("/alerts", router, tags=["alerts"])``."""

from datetime import datetime

from django.db.models import QuerySet
from django.http import HttpRequest
from ninja import Query, Router, Schema, Status
from ninja.pagination import paginate

from chumchon.api.auth import caller
from chumchon.api.pagination import Pagination
from chumchon.api.schemas import Id, errors
from chumchon.care import selectors, services
from chumchon.care.models import Alert

router = Router()


class AlertOut(Schema):
    id: int
    area_code: str
    person_id: int | None
    household_id: int | None
    assessment_id: int | None
    flag_code: str
    severity: str
    title: str
    message: str
    status: str
    created_at: datetime
    acknowledged_by: str | None
    acknowledged_at: datetime | None
    resolved_by: str | None
    resolved_at: datetime | None

    @staticmethod
    def resolve_acknowledged_by(obj: Alert) -> str | None:
        return str(obj.acknowledged_by) if obj.acknowledged_by_id else None

    @staticmethod
    def resolve_resolved_by(obj: Alert) -> str | None:
        return str(obj.resolved_by) if obj.resolved_by_id else None


class AlertFilters(Schema):
    status: str = ""  # open, acknowledged, resolved, active (open or acknowledged); empty: all
    person: Id | None = None


class AlertIn(Schema):
    person_id: Id | None = None
    household_id: Id | None = None
    title: str
    message: str = ""
    severity: str = "high"


class ResolveIn(Schema):
    note: str = ""


@router.get("", response={200: list[AlertOut], **errors(422)})
@paginate(Pagination)
def alert_list(request: HttpRequest, filters: Query[AlertFilters]) -> QuerySet[Alert]:
    """Alerts in the caller's reach: open first, urgent first, newest first."""
    return selectors.alert_list(user=caller(request), status=filters.status or None, person_id=filters.person)


@router.post("", response={201: AlertOut, **errors(404, 422)})
def alert_raise(request: HttpRequest, payload: AlertIn) -> Status[Alert]:
    """Raise an alert by hand about a person (or a household) in a village the caller visits."""
    alert = services.alert_raise(actor=caller(request), person_id=payload.person_id,
                                 household_id=payload.household_id, title=payload.title,
                                 message=payload.message, severity=payload.severity)
    return Status(201, alert)


@router.get("/{int:alert_id}", response={200: AlertOut, **errors(404, 422)})
def alert_get(request: HttpRequest, alert_id: int) -> Alert:
    """One alert; reading it marks it seen for the caller."""
    user = caller(request)
    alert = selectors.alert_get(user=user, alert_id=alert_id)
    services.alert_mark_seen(user=user, alert=alert)
    return alert


@router.post("/{int:alert_id}/acknowledge", response={200: AlertOut, **errors(404, 422)})
def alert_acknowledge(request: HttpRequest, alert_id: int) -> Alert:
    services.alert_acknowledge(actor=caller(request), alert_id=alert_id)
    return selectors.alert_get(user=caller(request), alert_id=alert_id)


@router.post("/{int:alert_id}/resolve", response={200: AlertOut, **errors(404, 422)})
def alert_resolve(request: HttpRequest, alert_id: int, payload: ResolveIn | None = None) -> Alert:
    services.alert_resolve(actor=caller(request), alert_id=alert_id, note=payload.note if payload else "")
    return selectors.alert_get(user=caller(request), alert_id=alert_id)
