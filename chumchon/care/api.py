"""API: the alert inbox (``/api/v1/alerts``), scoped by RECEIVE_ALERTS like the page; an alert's
deliveries and escalations on its detail; my channels (``/alerts/channels/me``), the areas' LINE
groups (``/alerts/groups``) and times per area (``/alerts/stats``).

Mount with ``api.add_router("/alerts", router, tags=["alerts"])``."""

from datetime import datetime
from typing import Any

from django.db.models import QuerySet
from django.http import Http404, HttpRequest
from ninja import Field, Query, Router, Schema, Status
from ninja.pagination import paginate

from chumchon.accounts.roles import Capability
from chumchon.accounts.scoping import can
from chumchon.api.auth import caller
from chumchon.api.pagination import Pagination
from chumchon.api.schemas import Id, errors
from chumchon.areas.models import Area
from chumchon.care import selectors, services, stats
from chumchon.care.models import Alert, Delivery

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
    ack_due_at: datetime | None
    escalation_level: int

    @staticmethod
    def resolve_acknowledged_by(obj: Alert) -> str | None:
        return str(obj.acknowledged_by) if obj.acknowledged_by_id else None

    @staticmethod
    def resolve_resolved_by(obj: Alert) -> str | None:
        return str(obj.resolved_by) if obj.resolved_by_id else None


class AttemptOut(Schema):
    at: datetime
    outcome: str  # sent, retry, failed
    http_status: int | None
    error: str


class DeliveryOut(Schema):
    id: int
    channel: str
    to: str  # the recipient's name, or the area whose group it is
    status: str  # pending, sent, failed
    attempts: list[AttemptOut]
    next_attempt_at: datetime | None
    sent_at: datetime | None
    last_error: str

    @staticmethod
    def resolve_channel(obj: Delivery) -> str:
        return obj.kind

    @staticmethod
    def resolve_to(obj: Delivery) -> str:
        return str(obj.user) if obj.user_id else (obj.area.label if obj.area else "")

    @staticmethod
    def resolve_attempts(obj: Delivery) -> list[Any]:
        return list(obj.attempt_log.all())

    @staticmethod
    def resolve_next_attempt_at(obj: Delivery) -> datetime | None:
        return obj.next_attempt_at if obj.status == "pending" else None


class EscalationOut(Schema):
    level: int
    area_code: str
    area_name: str
    at: datetime
    recipients: list[str]
    nobody: bool  # true: nobody at this level or above receives alerts; the alert stopped climbing


class AlertDetailOut(AlertOut):
    recipients: list[str]
    deliveries: list[DeliveryOut]
    escalations: list[EscalationOut]

    @staticmethod
    def resolve_recipients(obj: Alert) -> list[str]:
        return [str(r.user) for r in selectors.alert_recipients(alert=obj)]

    @staticmethod
    def resolve_deliveries(obj: Alert) -> list[Delivery]:
        return selectors.alert_deliveries(alert=obj)

    @staticmethod
    def resolve_escalations(obj: Alert) -> list[dict[str, Any]]:
        return [{"level": e.level, "area_code": e.area_id, "area_name": e.area.label, "at": e.at,
                 "recipients": [str(r.user) for r in e.recipients.all()], "nobody": e.reached_nobody}
                for e in selectors.alert_escalations(alert=obj)]


class ChannelsIO(Schema):
    """Empty means off. The in-app inbox is always on."""

    email: str = Field("", max_length=500)
    line_id: str = Field("", max_length=500)
    webhook_url: str = Field("", max_length=500)


class AreaGroupOut(Schema):
    code: str
    name: str
    line_group: str

    @staticmethod
    def resolve_name(obj: Any) -> str:
        return obj["name"] if isinstance(obj, dict) else obj.label

    @staticmethod
    def resolve_line_group(obj: Any) -> str:
        return (obj["line_group"] if isinstance(obj, dict) else obj.line_group) or ""


class AreaGroupIn(Schema):
    line_id: str = Field("", max_length=500)


class AreaTimesOut(Schema):
    area_code: str
    area_name: str
    level: str  # tambon or village
    raised: int
    acknowledged: int
    median_seconds_to_acknowledge: float | None
    resolved: int
    median_seconds_to_resolve: float | None
    open: int
    overdue: int


class StatsFilters(Schema):
    days: int = Field(90, ge=1, le=3660)


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


def _receiver(request: HttpRequest) -> Any:
    """The caller, if they receive alerts anywhere (as on the page); 404 otherwise."""
    user = caller(request)
    if not can(user, Capability.RECEIVE_ALERTS):
        raise Http404("not found")
    return user


@router.get("/channels/me", response={200: ChannelsIO, **errors(404)})
def my_channels_get(request: HttpRequest) -> dict[str, str]:
    """Where the caller's alerts go besides the inbox."""
    return selectors.my_channels(user=_receiver(request))


@router.put("/channels/me", response={200: ChannelsIO, **errors(404, 422)})
def my_channels_put(request: HttpRequest, payload: ChannelsIO) -> dict[str, str]:
    """Replace the caller's channels; an empty value turns that channel off. 422 on a bad address."""
    return services.my_channels_set(actor=_receiver(request), **payload.dict())


@router.get("/groups", response={200: list[AreaGroupOut], **errors(422)})
@paginate(Pagination)
def area_groups(request: HttpRequest) -> QuerySet[Area]:
    """The areas whose LINE group the caller may set (MANAGE_AREAS), with the group set."""
    return selectors.area_groups_list(user=caller(request))


@router.put("/groups/{code}", response={200: AreaGroupOut, **errors(404, 422)})
def area_group_put(request: HttpRequest, code: str, payload: AreaGroupIn) -> dict[str, str]:
    """Set (or clear, with an empty id) the LINE group that receives the area's alerts."""
    user = caller(request)
    area = selectors.area_group_get(user=user, code=code)
    channel = services.area_channel_set(actor=user, area_code=area.code, line_id=payload.line_id)
    return {"code": area.code, "name": area.label, "line_group": channel.target if channel else ""}


@router.get("/stats", response={200: list[AreaTimesOut], **errors(404, 422)})
def alert_stats(request: HttpRequest, filters: Query[StatsFilters]) -> list[dict[str, Any]]:
    """Median time to acknowledge and to resolve per tambon and village over the last ``days`` days,
    with open and overdue counts now. Counts only: the caller's VIEW_AGGREGATES reach; 404 for a
    caller who sees no counts anywhere (as the page)."""
    user = caller(request)
    if not can(user, Capability.VIEW_AGGREGATES):
        raise Http404("not found")
    groups = stats.alert_times_by_area(user=user, days=filters.days)
    out: list[dict[str, Any]] = []
    for level, rows in (("tambon", groups["tambons"]), ("village", groups["villages"])):
        for row in rows:
            ack, resolve = row.ack_median, row.resolve_median
            out.append({"area_code": row.code, "area_name": row.label, "level": level, "raised": row.raised,
                        "acknowledged": row.acknowledged, "resolved": row.resolved, "open": row.open,
                        "overdue": row.overdue,
                        "median_seconds_to_acknowledge": ack.total_seconds() if ack else None,
                        "median_seconds_to_resolve": resolve.total_seconds() if resolve else None})
    return out


@router.get("/{int:alert_id}", response={200: AlertDetailOut, **errors(404, 422)})
def alert_get(request: HttpRequest, alert_id: int) -> Alert:
    """One alert with its recipients, deliveries per channel (and their attempts) and escalations;
    reading it marks it seen for the caller."""
    user = caller(request)
    alert = selectors.alert_get(user=user, alert_id=alert_id)
    services.alert_mark_seen(user=user, alert=alert)
    return alert


@router.post("/{int:alert_id}/acknowledge", response={200: AlertOut, **errors(404, 422)})
def alert_acknowledge(request: HttpRequest, alert_id: int) -> Alert:
    """Someone is on it. 422 if the alert is not open or was not sent to the caller; 404 out of reach."""
    services.alert_acknowledge(actor=caller(request), alert_id=alert_id)
    return selectors.alert_get(user=caller(request), alert_id=alert_id)


@router.post("/{int:alert_id}/resolve", response={200: AlertOut, **errors(404, 422)})
def alert_resolve(request: HttpRequest, alert_id: int, payload: ResolveIn | None = None) -> Alert:
    services.alert_resolve(actor=caller(request), alert_id=alert_id, note=payload.note if payload else "")
    return selectors.alert_get(user=caller(request), alert_id=alert_id)
