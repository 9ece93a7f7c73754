"""The worker runs queued tasks and periodic jobs; a failing job stops neither."""

from __future__ import annotations

import pytest
from django.core.management import call_command
from django_tasks import task
from django_tasks_db.models import DBTaskResult

from chumchon.core import periodic

CALLS: list[str] = []


@task()
def record_call(label: str) -> str:
    CALLS.append(label)
    return label.upper()


@pytest.fixture
def clean_jobs(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(periodic, "_JOBS", {})
    CALLS.clear()


def test_periodic_job_runs_when_its_interval_has_passed(clean_jobs: None) -> None:
    periodic.register("t.tick", every_seconds=60, func=lambda: CALLS.append("tick"))
    assert periodic.run_due(now=1000.0) == ["t.tick"]
    assert periodic.run_due(now=1030.0) == []
    assert periodic.run_due(now=1060.0) == ["t.tick"]
    assert CALLS == ["tick", "tick"]


def test_a_failing_periodic_job_does_not_stop_the_others(clean_jobs: None) -> None:
    def broken() -> None:
        raise RuntimeError("channel down")

    periodic.register("t.broken", every_seconds=1, func=broken)
    periodic.register("t.ok", every_seconds=1, func=lambda: CALLS.append("ok"))
    assert periodic.run_due(now=5.0) == ["t.ok"]
    assert CALLS == ["ok"]


def test_register_refuses_a_zero_interval(clean_jobs: None) -> None:
    with pytest.raises(ValueError, match="positive"):
        periodic.register("t.zero", every_seconds=0, func=lambda: None)


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_worker_once_runs_queued_tasks_and_periodic_jobs(clean_jobs: None) -> None:
    periodic.register("t.tick", every_seconds=3600, func=lambda: CALLS.append("tick"))
    result = record_call.enqueue("hello")
    assert DBTaskResult.objects.get(id=result.id).status == "READY"
    call_command("worker", "--once")
    stored = DBTaskResult.objects.get(id=result.id)
    assert stored.status == "SUCCESSFUL"
    assert stored.return_value == "HELLO"
    assert sorted(CALLS) == ["hello", "tick"]
