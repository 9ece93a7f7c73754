"""Alerts already open when the escalation migration (care 0002, alert channels, deliveries and
escalation) arrives get their acknowledgement time."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)
BEFORE = [("care", "0001_alerts_and_recipients")]


def test_open_alerts_get_a_deadline_from_their_severity_and_handled_ones_do_not(settings: Any, village_a: Any) -> None:
    settings.ALERT_ACK_MINUTES = {"urgent": 30, "high": 240, "normal": 1440}
    executor = MigrationExecutor(connection)
    executor.migrate(BEFORE)
    old = executor.loader.project_state(BEFORE).apps.get_model("care", "Alert")
    urgent = old.objects.create(area_id=village_a.code, title="a", severity="urgent", status="open")
    normal = old.objects.create(area_id=village_a.code, title="b", severity="normal", status="open")
    done = old.objects.create(area_id=village_a.code, title="c", severity="urgent", status="resolved")
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(executor.loader.graph.leaf_nodes())  # back to the latest of every app
    from chumchon.care.models import Alert

    got = {a.pk: a for a in Alert.objects.all()}
    assert got[urgent.pk].ack_due_at == got[urgent.pk].created_at + timedelta(minutes=30)
    assert got[normal.pk].ack_due_at == got[normal.pk].created_at + timedelta(minutes=1440)
    assert got[done.pk].ack_due_at is None
