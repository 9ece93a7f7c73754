"""A person who moves across districts takes their open alerts along, and escalation starts again
from the new district instead of skipping it."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django.utils import timezone

from chumchon.accounts.roles import Role
from chumchon.areas.models import Area, AreaLevel
from chumchon.care import services
from chumchon.care.models import Alert, AlertRecipient, AlertStatus
from chumchon.care.services.escalation import alerts_escalate_due
from chumchon.conftest import make_user, make_village
from chumchon.people.services import person_move


def far_village(*, same_province: bool) -> Area:
    tambons = Area.objects.filter(level=AreaLevel.SUBDISTRICT, is_active=True).exclude(code__startswith="9311")
    tambons = tambons.filter(code__startswith="93") if same_province else tambons.exclude(code__startswith="93")
    tambon = tambons.order_by("code").first()
    assert tambon is not None
    return make_village(tambon.code, 1, "บ้านใหม่")


def move(officer: Any, person: Any, village: Area) -> None:
    person_move(actor=officer, person=person, to_area_code=village.code)


def escalated_once(volunteer: Any, person: Any) -> Alert:
    alert = services.alert_raise(actor=volunteer, person_id=person.pk, title="ล้ม", severity="urgent")
    alerts_escalate_due(now=alert.created_at + timedelta(minutes=31))
    alert.refresh_from_db()
    assert alert.escalation_level == 1 and alert.escalations.get().area_id == "9311"
    return alert


def test_after_a_move_to_another_district_the_alert_escalates_to_the_new_district(volunteer, officer, person_a,
                                                                                   tambon):
    make_user("old_district", Role.CARE_MANAGER, "9311")
    village = far_village(same_province=True)
    new_district = make_user("new_district", Role.CARE_MANAGER, village.code[:4])
    make_user("province_admin", Role.ADMINISTRATOR, "93")
    alert = escalated_once(volunteer, person_a)
    move(officer, person_a, village)
    alert.refresh_from_db()
    assert alert.area_id == village.code and alert.escalation_level == 0
    assert alert.ack_due_at is not None and alert.ack_due_at > timezone.now() + timedelta(minutes=29)
    assert alerts_escalate_due(now=timezone.now() + timedelta(minutes=29)) == []  # a full window first
    alerts_escalate_due(now=timezone.now() + timedelta(minutes=31))
    alert.refresh_from_db()
    last = alert.escalations.order_by("level").last()
    assert last is not None
    assert alert.escalation_level == 1 and last.area_id == village.code[:4] and last.level == 2
    assert AlertRecipient.objects.filter(alert=alert, user=new_district, escalation=last).exists()


def test_an_alert_that_had_stopped_climbing_starts_again_after_a_move_to_another_province(volunteer, officer,
                                                                                          person_a):
    village = far_village(same_province=False)
    alert = services.alert_raise(actor=volunteer, person_id=person_a.pk, title="ล้ม", severity="urgent")
    alerts_escalate_due(now=alert.created_at + timedelta(minutes=31))  # nobody above: it stops
    alert.refresh_from_db()
    assert alert.ack_due_at is None
    move(officer, person_a, village)
    alert.refresh_from_db()
    assert alert.escalation_level == 0 and alert.ack_due_at is not None


def test_a_move_within_the_district_keeps_the_escalation_and_an_acknowledged_alert_is_left_alone(
        volunteer, officer, person_a, village_b):
    make_user("old_district", Role.CARE_MANAGER, "9311")
    alert = escalated_once(volunteer, person_a)
    due = alert.ack_due_at
    move(officer, person_a, village_b)
    alert.refresh_from_db()
    assert alert.escalation_level == 1 and alert.ack_due_at == due
    services.alert_acknowledge(actor=officer, alert_id=alert.pk)
    move(officer, person_a, far_village(same_province=True))
    alert.refresh_from_db()
    assert alert.status == AlertStatus.ACKNOWLEDGED and alert.ack_due_at is None and alert.escalation_level == 1
