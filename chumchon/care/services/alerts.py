"""Alert writes: raised by an assessment's flags or by hand, acknowledged, resolved, seen.

An alert goes to the responsible people of its area: active users whose membership role grants
RECEIVE_ALERTS at the alert's village (or community) or its subdistrict, through the inbox and the
channels each has chosen (services/delivery.py), and the LINE groups of those areas. Only they may
acknowledge it; if nobody does within the minutes its severity allows (ALERT_ACK_MINUTES), it
escalates to the district, then the province (services/escalation.py).
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _

from chumchon.accounts.models import Membership
from chumchon.accounts.roles import ROLE_CAPABILITIES, Capability
from chumchon.accounts.scoping import can, require_area
from chumchon.areas.models import AreaLevel
from chumchon.care.models import Alert, AlertEscalation, AlertRecipient, AlertStatus, Severity
from chumchon.care.services.delivery import deliveries_plan
from chumchon.core.audit import log_action
from chumchon.people.models import Household, Person

RECIPIENT_LEVELS = (AreaLevel.VILLAGE, AreaLevel.COMMUNITY, AreaLevel.SUBDISTRICT)
_SEVERITIES = {choice.value for choice in Severity}


def _alert_roles() -> list[str]:
    return [role for role, caps in ROLE_CAPABILITIES.items() if Capability.RECEIVE_ALERTS in caps]


def _prefixes(area_code: str) -> list[str]:
    return [area_code[:n] for n in range(1, len(area_code) + 1)]


def alert_recipient_ids(area_code: str) -> list[int]:
    """Users responsible for ``area_code``: RECEIVE_ALERTS at that village or subdistrict."""
    return list(
        Membership.objects.filter(area_id__in=_prefixes(area_code), area__level__in=RECIPIENT_LEVELS,
                                  role__in=_alert_roles(), user__is_active=True)
        .values_list("user_id", flat=True).distinct().order_by("user_id")
    )


def responsible_ids_at(area_code: str) -> list[int]:
    """Users granted RECEIVE_ALERTS at exactly this area (a district or province, on escalation)."""
    return list(Membership.objects.filter(area_id=area_code, role__in=_alert_roles(), user__is_active=True)
                .values_list("user_id", flat=True).distinct().order_by("user_id"))


def ack_window(severity: str) -> timedelta:
    """How long an alert of this severity may wait for an acknowledgement before it escalates."""
    minutes = settings.ALERT_ACK_MINUTES
    return timedelta(minutes=minutes.get(str(severity), minutes["high"]))


def alert_address(alert: Alert, *, user_ids: list[int], area_codes: list[str],
                  escalation: AlertEscalation | None = None, now: datetime | None = None) -> list[int]:
    """Add these users as recipients (inbox) and plan the deliveries to their channels and to the
    areas' groups. Returns the users who were not recipients before."""
    before = set(AlertRecipient.objects.filter(alert=alert).values_list("user_id", flat=True))
    new_ids = [user_id for user_id in dict.fromkeys(user_ids) if user_id not in before]
    AlertRecipient.objects.bulk_create(
        [AlertRecipient(alert=alert, user_id=user_id, escalation=escalation) for user_id in new_ids],
        ignore_conflicts=True,
    )
    deliveries_plan(alert, user_ids=new_ids, area_codes=area_codes, now=now)
    return new_ids


def _address(alert: Alert) -> None:
    from chumchon.areas.models import Area

    areas = list(Area.objects.filter(code__in=_prefixes(alert.area_code), level__in=RECIPIENT_LEVELS)
                 .values_list("code", flat=True))
    alert_address(alert, user_ids=alert_recipient_ids(alert.area_code), area_codes=areas)


def _flag_definitions(code: str, version: int | None) -> dict[str, tuple[str, str]] | None:
    """flag code → (label, severity) from the instrument definition; None when it cannot be read."""
    try:
        from chumchon.visits.instruments.registry import get_instrument

        instrument = get_instrument(code, version)
    except Exception:  # an unknown or broken definition must not stop the assessment
        return None
    if instrument is None:
        return None
    return {flag.code: (flag.label.get(), flag.severity) for flag in instrument.flags}


def _create_once(**fields: Any) -> Alert | None:
    """Create the alert unless an open one exists for the same person and flag (also under a race)."""
    person_id = fields.get("person_id")
    if person_id is not None and Alert.objects.filter(person_id=person_id, flag_code=fields["flag_code"],
                                                      status=AlertStatus.OPEN).exists():
        return None
    try:
        with transaction.atomic():
            return Alert.objects.create(**fields)
    except IntegrityError:
        return None


@transaction.atomic
def alerts_raise_for_assessment(*, assessment: Any, actor: Any) -> list[Alert]:
    """One alert per flag the assessment raised, unless that person already has it open."""
    codes = [str(code) for code in (assessment.flags or []) if code]
    if not codes:
        return []
    definitions = _flag_definitions(assessment.instrument_code, assessment.instrument_version)
    raised: list[Alert] = []
    for code in dict.fromkeys(codes):
        label, severity = (definitions or {}).get(code, (code, Severity.HIGH))
        if severity not in _SEVERITIES:
            severity = Severity.HIGH
        alert = _create_once(
            ack_due_at=timezone.now() + ack_window(severity),
            area_id=assessment.area_id, person_id=assessment.person_id, household_id=assessment.household_id,
            assessment=assessment, flag_code=code, severity=severity, title=str(label)[:200],
            raised_by=actor if getattr(actor, "is_authenticated", False) else None,
        )
        if alert is None:
            continue
        _address(alert)
        log_action(actor=actor, verb="alert.raise", obj=alert,
                   data={"flag": code, "severity": severity, "assessment": assessment.pk,
                         "instrument": assessment.instrument_code})
        raised.append(alert)
    return raised


@transaction.atomic
def alert_raise(*, actor: Any, title: str, message: str = "", severity: str = Severity.HIGH,
                person_id: int | None = None, household_id: int | None = None) -> Alert:
    """An alert raised by hand about a person or a household the actor visits or receives alerts for."""
    person = Person.objects.filter(pk=person_id).first() if person_id else None
    household = Household.objects.filter(pk=household_id).first() if household_id and not person else None
    subject = person or household
    if (person_id and person is None) or (household_id and not person_id and household is None):
        raise Http404("not found")
    if subject is None:
        raise ValidationError({"person_id": _("Choose the person or household the alert is about.")})
    area_code = subject.area_code
    if not (can(actor, Capability.RECEIVE_ALERTS, area_code) or can(actor, Capability.RECORD_VISITS, area_code)):
        raise Http404("not found")
    title = (title or "").strip()
    if not title:
        raise ValidationError({"title": _("Say what the alert is about.")})
    if len(title) > 200:
        raise ValidationError({"title": _("Keep the title under 200 characters.")})
    if severity not in _SEVERITIES:
        raise ValidationError({"severity": _("Choose urgent, high or normal.")})
    alert = Alert.objects.create(
        area_id=area_code, person=person, household=person.household if person else household,
        flag_code="", severity=severity, title=title, message=(message or "").strip(), raised_by=actor,
        ack_due_at=timezone.now() + ack_window(severity),
    )
    _address(alert)
    log_action(actor=actor, verb="alert.raise", obj=alert, data={"severity": severity, "by_hand": True})
    return alert


def _locked(actor: Any, alert_id: int) -> Alert:
    """The alert, locked, if the actor may see it (else 404) and was sent it (else refused)."""
    alert = Alert.objects.select_for_update().filter(pk=alert_id).first()
    if alert is None:
        raise Http404("not found")
    require_area(actor, Capability.RECEIVE_ALERTS, alert.area_code)
    if not AlertRecipient.objects.filter(alert=alert, user=actor).exists():
        raise ValidationError({"alert": _("This alert was not sent to you: only the people it was sent to "
                                          "can acknowledge or resolve it.")})
    return alert


@transaction.atomic
def alert_acknowledge(*, actor: Any, alert_id: int, now: datetime | None = None) -> Alert:
    """Someone is on it: marks the alert for everybody, with who and when; it no longer escalates."""
    alert = _locked(actor, alert_id)
    if alert.status != AlertStatus.OPEN:
        raise ValidationError({"status": _("This alert is no longer open.")})
    alert.status = AlertStatus.ACKNOWLEDGED
    alert.acknowledged_by = actor
    alert.acknowledged_at = now or timezone.now()
    alert.ack_due_at = None
    alert.save(update_fields=["status", "acknowledged_by", "acknowledged_at", "ack_due_at"])
    AlertRecipient.objects.filter(alert=alert, user=actor, seen_at__isnull=True).update(seen_at=alert.acknowledged_at)
    log_action(actor=actor, verb="alert.acknowledge", obj=alert, data={"from": AlertStatus.OPEN})
    return alert


@transaction.atomic
def alert_resolve(*, actor: Any, alert_id: int, note: str = "", now: datetime | None = None) -> Alert:
    alert = _locked(actor, alert_id)
    if alert.status == AlertStatus.RESOLVED:
        raise ValidationError({"status": _("This alert is already resolved.")})
    before = alert.status
    now = now or timezone.now()
    alert.status = AlertStatus.RESOLVED
    alert.resolved_by = actor
    alert.resolved_at = now
    fields = ["status", "resolved_by", "resolved_at"]
    if before == AlertStatus.OPEN:  # resolving also acknowledges
        alert.acknowledged_by, alert.acknowledged_at, alert.ack_due_at = actor, now, None
        fields += ["acknowledged_by", "acknowledged_at", "ack_due_at"]
    alert.save(update_fields=fields)
    AlertRecipient.objects.filter(alert=alert, user=actor, seen_at__isnull=True).update(seen_at=now)
    log_action(actor=actor, verb="alert.resolve", obj=alert, data={"from": before, "note": (note or "")[:500]})
    return alert


def alert_mark_seen(*, user: Any, alert: Alert) -> int:
    """The user opened the alert: clears it from their unseen count. Not audited (no record changes)."""
    if not getattr(user, "is_authenticated", False):
        return 0
    return AlertRecipient.objects.filter(alert=alert, user=user, seen_at__isnull=True).update(seen_at=timezone.now())
