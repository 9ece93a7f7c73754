"""Escalation: an alert nobody acknowledged in time goes one level up, without anyone opening a page.

Raised alerts reach the village and the tambon. Still open at ``ack_due_at`` (the minutes its
severity allows, ALERT_ACK_MINUTES), it goes to the people responsible at the district (RECEIVE_ALERTS
granted at the district itself) and the district's LINE group; a window later, to the province;
then it stops climbing. A level where nobody receives alerts is skipped; with nobody left above,
"no one to escalate to" is recorded once. Each step is an AlertEscalation (step, when, where) and its
recipients point at it (to whom). Run by the worker's periodic job ``care.alerts_escalate``; idempotent.
"""

from __future__ import annotations

from datetime import datetime

from django.db import transaction
from django.db.models import Max
from django.utils import timezone

from chumchon.areas.models import Area, AreaLevel
from chumchon.care import channels
from chumchon.care.models import Alert, AlertChannel, AlertEscalation, AlertStatus, ChannelKind
from chumchon.care.services.alerts import ack_window, alert_address, responsible_ids_at
from chumchon.core.audit import log_action

ESCALATION_LEVELS = (AreaLevel.DISTRICT, AreaLevel.PROVINCE)
BATCH = 500


def escalation_areas(area_code: str) -> list[Area]:
    """The areas an alert of ``area_code`` escalates to, in order: its district, its province."""
    codes = [area_code[:n] for n in range(1, len(area_code))]
    found = Area.objects.filter(code__in=codes, level__in=ESCALATION_LEVELS)
    return sorted(found, key=lambda area: -len(area.code))


def _reachable(area: Area) -> list[int] | None:
    """The responsible users of ``area``, or None when nobody there would get the alert (no user
    with RECEIVE_ALERTS granted there and no LINE group this server can push to)."""
    users = responsible_ids_at(area.code)
    if users:
        return users
    if channels.enabled(ChannelKind.LINE) and AlertChannel.objects.filter(area=area, kind=ChannelKind.LINE).exists():
        return []
    return None


def alert_escalate(alert: Alert, *, now: datetime) -> AlertEscalation | None:
    """One step up for this (locked, open, overdue) alert; None when there is no level left.

    A level where nobody receives alerts (often the district: roles are rarely granted there) is
    skipped in the same step, and the step records the level actually reached. When nobody is left
    above, "no one to escalate to" is recorded once (a step with no recipients at the top area, shown
    on the alert page) and the alert stops climbing. ``alert.escalation_level`` is the level reached
    (1 district, 2 province); AlertEscalation.level counts the steps."""
    ups = escalation_areas(alert.area_code)
    if alert.escalation_level >= len(ups):
        alert.ack_due_at = None
        alert.save(update_fields=["ack_due_at"])
        return None
    step = (alert.escalations.aggregate(top=Max("level"))["top"] or 0) + 1
    for index in range(alert.escalation_level, len(ups)):
        area = ups[index]
        users = _reachable(area)
        if users is not None:
            break
    else:  # nobody at any level left
        skipped = [a.code for a in ups[alert.escalation_level:]]
        AlertEscalation.objects.create(alert=alert, level=step, area=ups[-1], at=now)
        alert.escalation_level, alert.ack_due_at = len(ups), None
        alert.save(update_fields=["escalation_level", "ack_due_at"])
        log_action(actor=None, verb="alert.escalate", obj=alert,
                   data={"level": None, "to_area": None, "nobody": True, "skipped": skipped})
        return None
    level = index + 1
    escalation = AlertEscalation.objects.create(alert=alert, level=step, area=area, at=now)
    skipped = [a.code for a in ups[alert.escalation_level:index]]
    alert.escalation_level = level
    alert.ack_due_at = now + ack_window(alert.severity) if level < len(ups) else None
    alert.save(update_fields=["escalation_level", "ack_due_at"])
    added = alert_address(alert, user_ids=users, area_codes=[area.code], escalation=escalation, now=now)
    log_action(actor=None, verb="alert.escalate", obj=alert,
               data={"level": level, "to_area": area.code, "area_level": area.level, "recipients": added,
                     "skipped": skipped})
    return escalation


def alerts_escalate_due(*, now: datetime | None = None) -> list[Alert]:
    """Escalate every open alert whose acknowledgement time has passed (the periodic job)."""
    moment = now or timezone.now()
    ids = list(Alert.objects.filter(status=AlertStatus.OPEN, ack_due_at__lte=moment)
               .order_by("ack_due_at").values_list("pk", flat=True)[:BATCH])
    escalated: list[Alert] = []
    for pk in ids:
        with transaction.atomic():
            alert = (Alert.objects.select_for_update()
                     .filter(pk=pk, status=AlertStatus.OPEN, ack_due_at__lte=moment).first())
            if alert is not None and alert_escalate(alert, now=moment) is not None:
                escalated.append(alert)
    return escalated
