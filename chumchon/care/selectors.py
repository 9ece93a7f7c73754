"""Reads of alerts: the inbox of the responsible people, scoped by RECEIVE_ALERTS."""

from __future__ import annotations

from typing import Any

from django.db.models import Case, IntegerField, QuerySet, Value, When
from django.http import Http404

from chumchon.accounts.roles import Capability
from chumchon.accounts.scoping import area_prefixes, scope_q
from chumchon.care.models import Alert, AlertRecipient, AlertStatus, Severity

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


def unseen_count(*, user: Any) -> int:
    """Open alerts sent to the user that they have not opened, within their current reach."""
    if not getattr(user, "is_authenticated", False) or not area_prefixes(user, ALERTS):
        return 0
    return (AlertRecipient.objects.filter(user=user, seen_at__isnull=True, alert__status=AlertStatus.OPEN)
            .filter(scope_q(user, ALERTS, "alert__area__code")).count())
