"""An import queued from the web is followed by a linkage run, so its rows reach the registry."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from chumchon.accounts.roles import Role
from chumchon.conftest import make_user
from chumchon.linkage.importing.task import import_job_run_task
from chumchon.linkage.models import LinkageRun, RunStatus, SourceRecord
from chumchon.linkage.services.imports import import_job_create, source_get_or_create
from chumchon.linkage.tasks import run_linkage
from chumchon.linkage.tests.conftest import person_row, write_csv

pytestmark = pytest.mark.django_db


def queue_import(actor: Any, area_code: str, path: Path) -> Any:
    source = source_get_or_create(actor=actor, area_code=area_code, name="ทะเบียนผู้สูงอายุ รพ.สต.")
    return import_job_create(actor=actor, source=source, path=path, mapping=None, sheet="")


def test_an_officers_import_queues_a_linkage_run_that_links_every_row_to_a_person(
        officer: Any, tambon: Any, files: Path, django_capture_on_commit_callbacks: Any) -> None:
    path = write_csv(files / "list.csv", [person_row("A1"), person_row("A2", "สมชาย", "ใจดี", title="นาย",
                                                                        sex="ชาย", born="1 มกราคม 2490", nid="")])
    job = queue_import(officer, tambon.code, path)
    with django_capture_on_commit_callbacks(execute=True):
        result = import_job_run_task.call(job.pk)
    run = LinkageRun.objects.get(pk=result["linkage_run"])
    assert run.status == RunStatus.PENDING and run.created_by == officer
    assert SourceRecord.objects.filter(person__isnull=True).count() == 2
    run_linkage(run.pk)
    run.refresh_from_db()
    assert run.status == RunStatus.DONE
    records = SourceRecord.objects.filter(source__area=tambon)
    assert records.count() == 2 and not records.filter(person__isnull=True).exists()
    assert {r.person.first_name for r in records if r.person} == {"สมศรี", "สมชาย"}


def test_an_import_by_someone_who_may_not_link_queues_no_run(tambon: Any, village_a: Any, files: Path) -> None:
    # EDIT_REGISTRY without LINK_RECORDS: the rows wait for an officer's linkage run.
    clerk = make_user("clerk", Role.CARE_MANAGER, tambon.code)
    path = write_csv(files / "list.csv", [person_row("A1")])
    job = queue_import(clerk, tambon.code, path)
    result = import_job_run_task.call(job.pk)
    assert result.get("linkage_run") is None
    assert not LinkageRun.objects.exists()


def test_an_import_that_changed_nothing_queues_no_run(officer: Any, tambon: Any, files: Path,
                                                      django_capture_on_commit_callbacks: Any) -> None:
    path = write_csv(files / "list.csv", [person_row("A1")])
    with django_capture_on_commit_callbacks(execute=True):
        first = import_job_run_task.call(queue_import(officer, tambon.code, path).pk)
    run_linkage(first["linkage_run"])
    with django_capture_on_commit_callbacks(execute=True):
        again = import_job_run_task.call(queue_import(officer, tambon.code, path).pk)
    assert again["linkage_run"] is None
    assert LinkageRun.objects.count() == 1
