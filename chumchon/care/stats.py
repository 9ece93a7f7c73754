"""Time to acknowledge and to resolve alerts, per village and per tambon, with open and overdue
counts: how well the alert chain works in each area. Counts and durations only (no names), so the
reach is VIEW_AGGREGATES, like other counts."""

from __future__ import annotations

import statistics
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from chumchon.accounts.roles import Capability
from chumchon.accounts.scoping import scope_q
from chumchon.areas.models import Area
from chumchon.care.models import Alert, AlertStatus

TAMBON_CODE_LENGTH = 6


@dataclass
class AreaTimes:
    code: str
    label: str = ""
    raised: int = 0  # raised within the window
    ack_seconds: list[float] = field(default_factory=list)
    resolve_seconds: list[float] = field(default_factory=list)
    open: int = 0  # open now, whenever raised
    overdue: int = 0  # open now and past its acknowledgement time (or already escalated)

    @property
    def acknowledged(self) -> int:
        return len(self.ack_seconds)

    @property
    def resolved(self) -> int:
        return len(self.resolve_seconds)

    @property
    def ack_median(self) -> timedelta | None:
        return timedelta(seconds=statistics.median(self.ack_seconds)) if self.ack_seconds else None

    @property
    def resolve_median(self) -> timedelta | None:
        return timedelta(seconds=statistics.median(self.resolve_seconds)) if self.resolve_seconds else None


def duration_text(value: timedelta | None) -> str:
    """A duration as a person reads it: "3 d 4 h", "2 h 15 min", "12 min"."""
    if value is None:
        return "–"
    minutes = int(value.total_seconds() // 60)
    days, rest = divmod(minutes, 24 * 60)
    hours, mins = divmod(rest, 60)
    if days:
        return _("%(d)s d %(h)s h") % {"d": days, "h": hours}
    if hours:
        return _("%(h)s h %(m)s min") % {"h": hours, "m": mins}
    return _("%(m)s min") % {"m": mins}


def alert_times_by_area(*, user: Any, days: int = 90, now: datetime | None = None) -> dict[str, list[AreaTimes]]:
    """``{"villages": [...], "tambons": [...]}`` for the alerts in the user's VIEW_AGGREGATES reach:
    medians and counts over alerts raised in the last ``days`` days; open and overdue as of now."""
    moment = now or timezone.now()
    since = moment - timedelta(days=days)
    rows = (Alert.objects.filter(scope_q(user, Capability.VIEW_AGGREGATES, "area__code"))
            .filter(Q(created_at__gte=since) | Q(status=AlertStatus.OPEN))
            .values_list("area_id", "created_at", "acknowledged_at", "resolved_at", "status", "ack_due_at",
                         "escalation_level"))
    villages: dict[str, AreaTimes] = {}
    tambons: dict[str, AreaTimes] = {}
    for area_id, created, acked, resolved, status, due, level in rows.iterator():
        groups = [tambons.setdefault(area_id[:TAMBON_CODE_LENGTH], AreaTimes(area_id[:TAMBON_CODE_LENGTH]))]
        if len(area_id) > TAMBON_CODE_LENGTH:
            groups.append(villages.setdefault(area_id, AreaTimes(area_id)))
        for group in groups:
            if created >= since:
                group.raised += 1
                if acked is not None:
                    group.ack_seconds.append(max(0.0, (acked - created).total_seconds()))
                if resolved is not None:
                    group.resolve_seconds.append(max(0.0, (resolved - created).total_seconds()))
            if status == AlertStatus.OPEN:
                group.open += 1
                if level or (due is not None and due <= moment):
                    group.overdue += 1
    labels = dict((area.code, area.label) for area in Area.objects.filter(code__in=[*villages, *tambons]))
    for group in [*villages.values(), *tambons.values()]:
        group.label = labels.get(group.code, group.code)
    return {"villages": sorted(villages.values(), key=lambda g: g.code),
            "tambons": sorted(tambons.values(), key=lambda g: g.code)}
