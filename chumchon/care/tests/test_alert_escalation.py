"""Acknowledgement windows and escalation with frozen time: an alert nobody acknowledges within
the minutes its severity allows goes to the district, then the province, once per window."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from django.core.exceptions import ImproperlyConfigured, ValidationError
from django.http import Http404

from chumchon.accounts.roles import Role
from chumchon.care import services
from chumchon.care.models import Alert, AlertChannel, AlertRecipient, AlertStatus, Delivery
from chumchon.care.services.escalation import alerts_escalate_due
from chumchon.conftest import make_user
from chumchon.core.models import AuditEntry
from chumchon.settings import parse_ack_minutes

MINUTE = timedelta(minutes=1)


@pytest.fixture(autouse=True)
def windows(settings: Any) -> None:
    settings.ALERT_ACK_MINUTES = {"urgent": 30, "high": 240, "normal": 1440}


@pytest.fixture
def district_manager(tambon: Any) -> Any:
    return make_user("district_cm", Role.CARE_MANAGER, tambon.code[:4], display_name="ผู้จัดการอำเภอ")


@pytest.fixture
def province_admin(tambon: Any) -> Any:
    return make_user("province_admin", Role.ADMINISTRATOR, tambon.code[:2])


def raise_alert(volunteer: Any, person: Any, severity: str = "urgent") -> Alert:
    return services.alert_raise(actor=volunteer, person_id=person.pk, title="เด็กถูกทิ้งไว้ลำพัง", severity=severity)


def usernames(alert: Alert) -> set[str]:
    return set(AlertRecipient.objects.filter(alert=alert).values_list("user__username", flat=True))


def test_not_escalated_a_minute_before_the_window_and_escalated_a_minute_after(volunteer, officer, district_manager,
                                                                              province_admin, person_a):
    alert = raise_alert(volunteer, person_a)
    assert usernames(alert) == {"vol_a", "officer"}  # the district is not bothered at first
    window = timedelta(minutes=30)
    assert alerts_escalate_due(now=alert.created_at + window - MINUTE) == []
    escalated_at = alert.created_at + window + MINUTE
    assert [a.pk for a in alerts_escalate_due(now=escalated_at)] == [alert.pk]
    alert.refresh_from_db()
    assert alert.escalation_level == 1 and alert.status == AlertStatus.OPEN
    assert usernames(alert) == {"vol_a", "officer", "district_cm"}
    [step] = alert.escalations.all()
    assert (step.level, step.area_id, step.at) == (1, "9311", escalated_at)
    assert list(step.recipients.values_list("user__username", flat=True)) == ["district_cm"]
    entry = AuditEntry.objects.get(verb="alert.escalate", object_id=str(alert.pk))
    assert entry.data["to_area"] == "9311" and entry.data["recipients"] == [district_manager.pk]


def test_escalates_only_once_per_window_then_to_the_province_then_stops(volunteer, officer, district_manager,
                                                                       province_admin, person_a):
    alert = raise_alert(volunteer, person_a)
    first = alert.created_at + timedelta(minutes=31)
    alerts_escalate_due(now=first)
    assert alerts_escalate_due(now=first) == []  # the same pass again: not twice
    assert alerts_escalate_due(now=first + timedelta(minutes=29)) == []
    assert len(alerts_escalate_due(now=first + timedelta(minutes=31))) == 1
    alert.refresh_from_db()
    assert alert.escalation_level == 2 and "province_admin" in usernames(alert)
    assert list(alert.escalations.values_list("area_id", flat=True)) == ["9311", "93"]
    assert alert.ack_due_at is None  # nowhere left to go
    assert alerts_escalate_due(now=first + timedelta(days=30)) == []
    assert alert.escalations.count() == 2


def test_the_window_follows_the_severity(volunteer, officer, district_manager, person_a):
    high = raise_alert(volunteer, person_a, severity="high")
    assert alerts_escalate_due(now=high.created_at + timedelta(minutes=239)) == []
    assert [a.pk for a in alerts_escalate_due(now=high.created_at + timedelta(minutes=241))] == [high.pk]


def test_acknowledged_alerts_never_escalate(volunteer, officer, district_manager, person_a):
    alert = raise_alert(volunteer, person_a)
    services.alert_acknowledge(actor=officer, alert_id=alert.pk)
    assert alerts_escalate_due(now=alert.created_at + timedelta(days=365)) == []
    assert usernames(alert) == {"vol_a", "officer"} and not alert.escalations.exists()


def test_resolved_alerts_never_escalate(volunteer, officer, district_manager, person_a):
    alert = raise_alert(volunteer, person_a)
    services.alert_resolve(actor=volunteer, alert_id=alert.pk)
    assert alerts_escalate_due(now=alert.created_at + timedelta(days=365)) == []


def test_escalation_delivers_to_the_district_people_and_group(settings, volunteer, officer, district_manager,
                                                              person_a):
    settings.LINE_CHANNEL_TOKEN = "token"
    services.my_channels_set(actor=district_manager, line_id="U" + "3" * 32)
    AlertChannel.objects.create(area_id="9311", kind="line", target="C" + "4" * 32)
    alert = raise_alert(volunteer, person_a)
    assert not Delivery.objects.filter(alert=alert).exists()
    when = alert.created_at + timedelta(minutes=31)
    alerts_escalate_due(now=when)
    planned = set(Delivery.objects.filter(alert=alert).values_list("target", "status", "next_attempt_at"))
    assert planned == {("U" + "3" * 32, "pending", when), ("C" + "4" * 32, "pending", when)}


def test_the_district_recipient_may_acknowledge_once_escalated(volunteer, officer, district_manager, person_a):
    alert = raise_alert(volunteer, person_a)
    with pytest.raises(ValidationError) as caught:
        services.alert_acknowledge(actor=district_manager, alert_id=alert.pk)
    assert "alert" in caught.value.message_dict
    alerts_escalate_due(now=alert.created_at + timedelta(minutes=31))
    services.alert_acknowledge(actor=district_manager, alert_id=alert.pk)
    alert.refresh_from_db()
    assert alert.status == AlertStatus.ACKNOWLEDGED and alert.ack_due_at is None


def test_acknowledging_someone_elses_alert_is_refused_with_a_reason(volunteer, officer, person_a, tambon, outsider):
    alert = raise_alert(volunteer, person_a)
    # a care manager who joined the tambon after the alert went out: sees it, was not sent it
    newcomer = make_user("new_cm", Role.CARE_MANAGER, tambon.code)
    with pytest.raises(ValidationError) as caught:
        services.alert_acknowledge(actor=newcomer, alert_id=alert.pk)
    assert set(caught.value.message_dict) == {"alert"}  # a reason, on the alert, not a 404
    with pytest.raises(ValidationError):
        services.alert_resolve(actor=newcomer, alert_id=alert.pk)
    with pytest.raises(Http404):
        services.alert_acknowledge(actor=outsider, alert_id=alert.pk)
    assert Alert.objects.get(pk=alert.pk).status == AlertStatus.OPEN


@pytest.mark.parametrize("raw", ["urgent=30,high=240", "urgent=30,high=240,normal=soon", "urgent=0,high=1,normal=2",
                                 "urgent=30;high=240;normal=1440", "urgent=30,high=240,normal=1,low=5",
                                 "urgent=30,urgent=40,high=1,normal=2"])
def test_bad_acknowledgement_minutes_fail_loudly_at_start(raw):
    with pytest.raises(ImproperlyConfigured, match="CHUMCHON_ALERT_ACK_MINUTES"):
        parse_ack_minutes("CHUMCHON_ALERT_ACK_MINUTES", raw)


def test_acknowledgement_minutes_are_read_per_severity():
    assert parse_ack_minutes("X", " urgent = 15, HIGH=60,normal=600") == {"urgent": 15, "high": 60, "normal": 600}


# Levels where nobody receives alerts are skipped; with nobody above, it says so once and stops.

def test_with_nobody_at_the_district_one_step_reaches_the_province(volunteer, officer, province_admin, person_a):
    alert = raise_alert(volunteer, person_a)
    moment = alert.created_at + timedelta(minutes=31)
    assert [a.pk for a in alerts_escalate_due(now=moment)] == [alert.pk]
    alert.refresh_from_db()
    assert alert.escalation_level == 2 and alert.ack_due_at is None  # the level actually reached
    [step] = alert.escalations.all()
    assert (step.level, step.area_id) == (1, "93")
    assert list(step.recipients.values_list("user__username", flat=True)) == ["province_admin"]
    entry = AuditEntry.objects.get(verb="alert.escalate", object_id=str(alert.pk))
    assert entry.data["skipped"] == ["9311"] and entry.data["to_area"] == "93"


def test_a_district_with_only_a_line_group_is_not_skipped(settings, volunteer, officer, province_admin, person_a,
                                                          tambon):
    settings.LINE_CHANNEL_TOKEN = "token"
    AlertChannel.objects.create(area_id=tambon.code[:4], kind="line", target="C" + "9" * 32)
    alert = raise_alert(volunteer, person_a)
    alerts_escalate_due(now=alert.created_at + timedelta(minutes=31))
    alert.refresh_from_db()
    assert alert.escalation_level == 1 and alert.escalations.get().area_id == "9311"
    assert Delivery.objects.filter(alert=alert, area_id="9311").exists()


def test_with_nobody_above_it_records_no_one_to_escalate_to_once_and_stops(client, volunteer, officer, person_a):
    alert = raise_alert(volunteer, person_a)
    moment = alert.created_at + timedelta(minutes=31)
    assert alerts_escalate_due(now=moment) == []
    assert alerts_escalate_due(now=moment + timedelta(days=2)) == []
    alert.refresh_from_db()
    assert alert.ack_due_at is None and alert.status == AlertStatus.OPEN
    [step] = alert.escalations.all()
    assert step.reached_nobody and not step.recipients.exists()
    assert usernames(alert) == {"vol_a", "officer"}
    client.force_login(officer)
    page = client.get(f"/alerts/{alert.pk}/").content.decode()
    assert 'class="escalation-nobody"' in page


def test_after_the_district_with_nobody_at_the_province_it_says_so_once(volunteer, officer, district_manager,
                                                                        person_a):
    alert = raise_alert(volunteer, person_a)
    first = alert.created_at + timedelta(minutes=31)
    alerts_escalate_due(now=first)
    alerts_escalate_due(now=first + timedelta(minutes=31))
    alerts_escalate_due(now=first + timedelta(minutes=62))
    steps = list(alert.escalations.all())
    assert [(s.level, s.area_id, s.reached_nobody) for s in steps] == [(1, "9311", False), (2, "93", True)]


def test_the_migration_gives_old_open_alerts_a_full_window_from_the_deploy(volunteer, officer, district_manager,
                                                                            person_a):
    import importlib

    from django.apps import apps
    from django.utils import timezone

    migration = importlib.import_module("chumchon.care.migrations.0002_alert_channels_deliveries_and_escalation")
    old = raise_alert(volunteer, person_a)
    Alert.objects.filter(pk=old.pk).update(created_at=timezone.now() - timedelta(days=30), ack_due_at=None)
    before = timezone.now()
    migration.open_alerts_get_a_deadline(apps, None)
    old.refresh_from_db()
    assert old.ack_due_at is not None and old.ack_due_at >= before + timedelta(minutes=30)
    assert alerts_escalate_due(now=timezone.now()) == []  # not escalated on the first pass after the deploy
    assert [a.pk for a in alerts_escalate_due(now=timezone.now() + timedelta(minutes=31))] == [old.pk]
