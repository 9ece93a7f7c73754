"""Uploaded lists and error reports hold full national IDs: the worker deletes them after
IMPORT_KEEP_DAYS, keeps the records, and never touches a file named on the command line."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from django.test import Client
from django.utils import timezone

from chumchon.areas.models import Area
from chumchon.core import periodic
from chumchon.core.models import AuditEntry
from chumchon.linkage.models import ImportJob, ImportStatus, Source, SourceRecord
from chumchon.linkage.services.imports import (
    import_files_prune,
    import_job_create,
    import_run,
    source_get_or_create,
    store_upload,
)
from chumchon.linkage.tests.conftest import csv_text, person_row

pytestmark = pytest.mark.django_db


@pytest.fixture
def root(settings: Any, tmp_path: Path) -> Path:
    settings.IMPORTS_ROOT = tmp_path / "imports"
    settings.IMPORT_KEEP_DAYS = 30
    return settings.IMPORTS_ROOT


@pytest.fixture
def source(officer: Any, tambon: Area) -> Source:
    return source_get_or_create(actor=officer, area_code=tambon.code, name="ทะเบียนผู้สูงอายุ รพ.สต.")


def uploaded(officer: Any, source: Source, rows: list[list[Any]]) -> ImportJob:
    stored = store_upload([csv_text(rows).encode()], suffix=".csv")
    return import_job_create(actor=officer, source=source, path=stored, file_name="list.csv")


def test_an_import_that_ended_a_month_ago_loses_its_upload_and_error_report_but_keeps_its_records(
        officer: Any, source: Source, root: Path, client: Client) -> None:
    job = uploaded(officer, source, [person_row("A1"), person_row("", "ไม่มีรหัส")])
    import_run(actor=officer, job=job)
    job.refresh_from_db()
    upload, report = Path(job.stored_path), Path(job.error_report_path)
    assert upload.exists() and report.exists() and report.is_relative_to(root)

    assert import_files_prune(now=timezone.now() + timedelta(days=29)) == 0
    assert upload.exists() and report.exists()

    assert import_files_prune(now=timezone.now() + timedelta(days=31)) == 1
    assert not upload.exists() and not report.exists()
    job.refresh_from_db()
    assert (job.stored_path, job.error_report_path, job.status) == ("", "", ImportStatus.DONE)
    assert SourceRecord.objects.filter(source=source).count() == 1
    assert AuditEntry.objects.filter(verb="import.files_prune", object_id=str(job.pk)).count() == 1
    client.force_login(officer)
    assert client.get(f"/imports/{job.pk}/errors.csv").status_code == 404
    assert import_files_prune(now=timezone.now() + timedelta(days=40)) == 0  # nothing left to do


def test_an_upload_never_imported_is_deleted_and_its_import_marked_failed(officer: Any, source: Source,
                                                                          root: Path) -> None:
    job = uploaded(officer, source, [person_row("A1")])
    upload = Path(job.stored_path)
    assert import_files_prune(now=timezone.now() + timedelta(days=31)) == 1
    job.refresh_from_db()
    assert not upload.exists() and job.status == ImportStatus.FAILED and "30" in job.message


def test_a_file_named_on_the_command_line_is_never_deleted(officer: Any, source: Source, root: Path,
                                                           tmp_path: Path) -> None:
    own = tmp_path / "my-list.csv"
    own.write_text(csv_text([person_row("A1")]), encoding="utf-8")
    job = import_job_create(actor=None, source=source, path=own)
    import_run(actor=None, job=job)
    assert import_files_prune(now=timezone.now() + timedelta(days=31)) == 1
    assert own.exists()


def test_the_worker_prunes_old_import_files_every_hour() -> None:
    job = next(job for job in periodic.jobs() if job.name == "linkage.import_files_prune")
    assert job.every_seconds == 3600


def test_a_failed_import_leaves_no_error_report_behind(officer: Any, source: Source, root: Path,
                                                        monkeypatch: pytest.MonkeyPatch) -> None:
    from django.core.exceptions import ValidationError

    from chumchon.linkage.importing import readers
    from chumchon.linkage.services import imports

    monkeypatch.setattr(readers, "SAMPLE_BYTES", 20)  # the bad byte is found only while rows are read
    monkeypatch.setattr(imports, "BATCH_ROWS", 1)
    written: list[int] = []
    original = imports.ErrorReport.add

    def add(self: Any, *args: Any) -> None:
        written.append(1)
        original(self, *args)

    monkeypatch.setattr(imports.ErrorReport, "add", add)
    good = "".join(f"A{i},ชื่อ{i}\r\n" for i in range(3000))  # more than one read buffer before the bad byte
    stored = store_upload([f"source_key,ชื่อ\r\n,ไม่มีรหัส\r\n{good}".encode() + b"B1,\xff\xfe\r\n"], suffix=".csv")
    job = import_job_create(actor=officer, source=source, path=stored, file_name="broken.csv")
    with pytest.raises(ValidationError):
        import_run(actor=officer, job=job)
    assert written  # a rejected row was written to the report before the bad byte...
    assert not list(root.glob("errors-*.csv"))  # ...and the report went with the import


def test_an_import_stuck_running_after_its_worker_died_loses_its_upload(officer: Any, source: Source,
                                                                        root: Path) -> None:
    job = uploaded(officer, source, [person_row("A1")])
    ImportJob.objects.filter(pk=job.pk).update(status=ImportStatus.RUNNING, started_at=timezone.now())
    upload = Path(job.stored_path)
    assert import_files_prune(now=timezone.now() + timedelta(days=31)) == 1
    job.refresh_from_db()
    assert not upload.exists() and job.status == ImportStatus.FAILED
