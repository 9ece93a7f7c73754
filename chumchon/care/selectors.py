"""Reads of alerts: the inbox of the responsible people, scoped by RECEIVE_ALERTS; an alert's
deliveries, escalations and recipients; the user's channels and the areas' LINE groups.
Times per area: care/stats.py."""

from __future__ import annotations

from typing import Any

from django.db.models import Case, IntegerField, OuterRef, QuerySet, Subquery, Value, When
from django.http import Http404

from chumchon.accounts.roles import Capability
from chumchon.accounts.scoping import area_prefixes, scope_q
from chumchon.areas.models import Area, AreaLevel
from chumchon.care.models import (
    Alert,
    AlertChannel,
    AlertEscalation,
    AlertRecipient,
    AlertStatus,
    ChannelKind,
    Delivery,
    Severity,
)

ALERTS = Capability.RECEIVE_ALERTS

SEVERITY_RANK = Case(When(severity=Severity.URGENT, then=Value(0)), When(severity=Severity.HIGH, then=Value(1)),
                     default=Value(2), output_field=IntegerField())
STATUS_RANK = Case(When(status=AlertStatus.OPEN, then=Value(0)),
                   When(status=AlertStatus.ACKNOWLEDGED, then=Value(1)),
                   default=Value(2), output_field=IntegerField())


def alert_list(*, user: Any, status: str | None = None, person_id: int | None = None) -> QuerySet[Alert]:
    """Alerts in the user's RECEIVE_ALERTS reach: open before handled, urgent first, newest first.
    ``status`` None or "" means every status; "active" means open or acknowledged."""
    rows = (Alert.objects.filter(scope_q(user, ALERTS, "area__code"))
            .select_related("person", "household", "area", "acknowledged_by", "resolved_by"))
    if status == "active":
        rows = rows.exclude(status=AlertStatus.RESOLVED)
    elif status:
        rows = rows.filter(status=status)
    if person_id is not None:
        rows = rows.filter(person_id=person_id)
    return rows.annotate(status_rank=STATUS_RANK, severity_rank=SEVERITY_RANK).order_by(
        "status_rank", "severity_rank", "-created_at", "-pk")


def alert_get(*, user: Any, alert_id: int) -> Alert:
    found = alert_list(user=user).filter(pk=alert_id).first()
    if found is None:
        raise Http404("not found")
    return found


def unseen_ids(*, user: Any, alert_ids: list[int]) -> set[int]:
    """Which of these alerts the user was sent and has not opened yet (for bold rows)."""
    return set(AlertRecipient.objects.filter(user=user, alert_id__in=alert_ids, seen_at__isnull=True)
               .values_list("alert_id", flat=True))


def recipient_ids(*, user: Any, alert_ids: list[int]) -> set[int]:
    """Which of these alerts were sent to the user (only they may acknowledge or resolve them)."""
    return set(AlertRecipient.objects.filter(user=user, alert_id__in=alert_ids).values_list("alert_id", flat=True))


def unseen_count(*, user: Any) -> int:
    """Open alerts sent to the user that they have not opened, within their current reach."""
    if not getattr(user, "is_authenticated", False) or not area_prefixes(user, ALERTS):
        return 0
    return (AlertRecipient.objects.filter(user=user, seen_at__isnull=True, alert__status=AlertStatus.OPEN)
            .filter(scope_q(user, ALERTS, "alert__area__code")).count())


# --- delivery, escalation and channels --------------------------------------------------------


def alert_deliveries(*, alert: Alert) -> list[Delivery]:
    """Deliveries of an alert the caller may already see (call after alert_get), with their attempts."""
    return list(alert.deliveries.select_related("user", "area").prefetch_related("attempt_log").order_by("pk"))


def alert_escalations(*, alert: Alert) -> list[AlertEscalation]:
    return list(alert.escalations.select_related("area").prefetch_related("recipients__user").order_by("level"))


def alert_recipients(*, alert: Alert) -> list[AlertRecipient]:
    return list(alert.recipients.select_related("user", "escalation").order_by("escalation__level", "user_id"))


def my_channels(*, user: Any) -> dict[str, str]:
    """The user's own channels as the form and the API show them: email, line_id, webhook_url."""
    names: dict[str, str] = {ChannelKind.EMAIL: "email", ChannelKind.LINE: "line_id",
                             ChannelKind.WEBHOOK: "webhook_url"}
    out = dict.fromkeys(names.values(), "")
    for kind, target in AlertChannel.objects.filter(user=user).values_list("kind", "target"):
        if kind in names:
            out[names[kind]] = target
    return out


GROUP_LEVELS = (AreaLevel.DISTRICT, AreaLevel.SUBDISTRICT, AreaLevel.VILLAGE, AreaLevel.COMMUNITY)


def area_groups_list(*, user: Any) -> QuerySet[Area]:
    """Areas whose LINE group the user may set (MANAGE_AREAS), each with ``line_group`` annotated."""
    line = AlertChannel.objects.filter(area_id=OuterRef("code"), kind=ChannelKind.LINE).values("target")[:1]
    return (Area.objects.filter(scope_q(user, Capability.MANAGE_AREAS, "code"), level__in=GROUP_LEVELS,
                                is_active=True)
            .annotate(line_group=Subquery(line)).order_by("code"))


def area_group_get(*, user: Any, code: str) -> Area:
    found = area_groups_list(user=user).filter(code=code).first()
    if found is None:
        raise Http404("not found")
    return found
