"""A person's health records follow them when they move: the receiving village's volunteers see
the history, the schedule and the open alerts; the village they left no longer does."""

from __future__ import annotations

from typing import Any

from django.db.models import Q
from django.utils import timezone

from chumchon.areas.models import Area
from chumchon.care.models import Alert, AlertStatus
from chumchon.care.services.alerts import ack_window, alert_address, alert_recipient_ids
from chumchon.care.services.escalation import escalation_areas
from chumchon.core.audit import log_action
from chumchon.visits.models import Assessment, CurrentStatus, Photo, Review


def _escalation_starts_again(alerts: list[Alert], to_area: Area) -> None:
    """Across districts, an open alert's escalation starts again from the new district: the level it
    had reached (the old district, or the top) would otherwise skip the new district's people; and
    the new area's people get a full window to acknowledge it before it goes up."""
    now = timezone.now()
    has_levels = bool(escalation_areas(to_area.code))
    for alert in alerts:
        if alert.status != AlertStatus.OPEN:
            continue
        alert.escalation_level = 0
        alert.ack_due_at = now + ack_window(alert.severity) if has_levels else None
        alert.save(update_fields=["escalation_level", "ack_due_at"])


def health_records_follow(*, actor: Any, person: Any, from_area_code: str, to_area: Area) -> None:
    """Re-point the person's assessments, current results, photos, reviews and unresolved alerts to
    ``to_area``, address the alerts to the new area's responsible people (across districts, open alerts
escalate again from the new district), and audit it. Called inside
    ``people.services.person_move``'s transaction. Visits stay with the household they were made in."""
    moved = {
        "assessments": Assessment.objects.filter(person=person).update(area=to_area),
        "current": CurrentStatus.objects.filter(person=person).update(area=to_area),
        "photos": Photo.objects.filter(Q(person=person) | Q(assessment__person=person)).update(area=to_area),
        "reviews": Review.objects.filter(Q(person=person) | Q(assessment__person=person)).update(area=to_area),
    }
    alerts = list(Alert.objects.filter(person=person).exclude(status=AlertStatus.RESOLVED))
    if alerts:
        Alert.objects.filter(pk__in=[a.pk for a in alerts]).update(area=to_area)
        if to_area.code[:4] != from_area_code[:4]:
            _escalation_starts_again(alerts, to_area)
        recipients = alert_recipient_ids(to_area.code)
        groups = [code for code in (to_area.code, to_area.code[:6]) if code != from_area_code[:len(code)]]
        for alert in alerts:  # the new area's people get them in their inbox and on their channels
            alert_address(alert, user_ids=recipients, area_codes=groups)
    moved["alerts"] = len(alerts)
    if any(moved.values()):
        log_action(actor=actor, verb="person.health_records_move", obj=person, area_code=to_area.code,
                   data={"from_area": from_area_code, "to_area": to_area.code, **moved})
