"""Alerts already open when the escalation migration (care 0002, alert channels, deliveries and
escalation) arrives get their acknowledgement time, a full window from the deploy."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.utils import timezone

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
    stale = old.objects.create(area_id=village_a.code, title="d", severity="urgent", status="open")
    old.objects.filter(pk=stale.pk).update(created_at=timezone.now() - timedelta(days=30))
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    before = timezone.now()
    executor.migrate(executor.loader.graph.leaf_nodes())  # back to the latest of every app
    after = timezone.now()
    from chumchon.care.models import Alert

    got = {a.pk: a for a in Alert.objects.all()}
    # a full window counted from the deploy (never from long ago: old alerts must not all escalate
    # on the first pass after it)
    for pk, minutes in ((urgent.pk, 30), (normal.pk, 1440), (stale.pk, 30)):
        window, due = timedelta(minutes=minutes), got[pk].ack_due_at
        assert due is not None and before + window <= due <= after + window
        assert due >= got[pk].created_at + window
    assert got[done.pk].ack_due_at is None
