"""The worker, with nobody opening a page: `chumchon worker --once` sends an alert's LINE push to
the fake LINE server and escalates an alert nobody acknowledged in time."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from django.core.management import call_command
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from chumchon.accounts.roles import Role
from chumchon.care import services
from chumchon.care.models import Alert, AlertRecipient, Delivery, DeliveryStatus
from chumchon.care.tests.fakes import LINE_TOKEN, fake_http
from chumchon.conftest import make_user
from chumchon.core import periodic

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


def test_the_care_periodic_jobs_are_registered() -> None:
    names = {job.name: job.every_seconds for job in periodic.jobs()}
    assert names["care.deliveries_send"] <= 30 and names["care.alerts_escalate"] <= 60


def test_worker_once_sends_the_line_push_and_escalates_an_overdue_alert(settings: Any, volunteer: Any, officer: Any,
                                                                        tambon: Any, person_a: Any) -> None:
    district = make_user("district_cm", Role.CARE_MANAGER, tambon.code[:4])
    with fake_http(line=True) as line:
        settings.LINE_CHANNEL_TOKEN, settings.LINE_API_BASE = LINE_TOKEN, line.url
        services.my_channels_set(actor=officer, line_id="U" + "8" * 32)
        services.my_channels_set(actor=district, line_id="U" + "9" * 32)
        alert = services.alert_raise(actor=volunteer, person_id=person_a.pk, title="เด็กถูกทิ้งไว้ลำพัง",
                                     severity="urgent")
        assert DBTaskResult.objects.filter(status="READY").exists()  # enqueued when the alert was committed
        call_command("worker", "--once")
        assert Delivery.objects.get(alert=alert).status == DeliveryStatus.SENT
        assert [r.body["to"] for r in line.received] == ["U" + "8" * 32] and line.problems == []

        Alert.objects.filter(pk=alert.pk).update(ack_due_at=timezone.now() - timedelta(minutes=1))
        call_command("worker", "--once")  # escalates, plans the district's push ...
        call_command("worker", "--once")  # ... and sends it (in this pass at the latest)
        alert.refresh_from_db()
        assert alert.escalation_level == 1
        assert AlertRecipient.objects.filter(alert=alert, user=district, escalation__level=1).exists()
        assert Delivery.objects.get(alert=alert, user=district).status == DeliveryStatus.SENT
        assert [r.body["to"] for r in line.received] == ["U" + "8" * 32, "U" + "9" * 32]
    assert not DBTaskResult.objects.exclude(status="SUCCESSFUL").exists()
