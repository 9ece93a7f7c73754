"""Import pages and API: upload, mapping with preview, background run, progress, summary, error
report; size limit; outsiders get 404 and see nothing; provenance on the person page."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.http import Http404
from django.test import Client

from chumchon.api.testing import API, ApiClient, make_token
from chumchon.conftest import PASSWORD
from chumchon.core.models import AuditEntry
from chumchon.linkage.importing.task import import_job_run_task
from chumchon.linkage.models import ImportJob, ImportStatus, Source, SourceRecord
from chumchon.linkage.services.imports import import_job_create, import_run, source_get_or_create
from chumchon.linkage.tests.conftest import csv_text, person_row, write_csv, write_xlsx

pytestmark = pytest.mark.django_db


def login(user: Any) -> Client:
    client = Client()
    assert client.login(username=user.username, password=PASSWORD)
    return client


def upload(client: Client, content: bytes, name: str = "list.csv", **extra: str) -> Any:
    data = {"new_source": "ทะเบียนผู้สูงอายุ", "area": "931104", "file": SimpleUploadedFile(name, content)}
    data.update(extra)
    return client.post("/imports/upload/", data)


@pytest.fixture
def done_job(officer: Any, tambon: Any, files: Path) -> ImportJob:
    source = source_get_or_create(actor=officer, area_code="931104", name="ทะเบียนผู้พิการ รพ.สต.")
    job = import_job_create(actor=officer, source=source, file_name="elders.csv",
                            path=write_csv(files / "l.csv", [person_row("A1"), person_row("")]), copy=True)
    import_run(actor=officer, job=job)
    job.refresh_from_db()
    return job


def test_officer_uploads_maps_runs_and_sees_the_summary_and_the_error_report(officer: Any, files: Path) -> None:
    client = login(officer)
    assert client.get("/imports/").status_code == 200
    content = csv_text([person_row("A1"), person_row("A2", "สมชาย"), person_row("", "ไม่มีรหัส")],
                       header=["ลำดับที่", "เลขบัตรประชาชน", "คำนำหน้า", "ชื่อ", "นามสกุล", "เพศ", "วันเกิด",
                               "บ้านเลขที่", "หมู่", "โทรศัพท์"]).encode("cp874")
    response = upload(client, content)
    job = ImportJob.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/imports/{job.pk}/map/"
    page = client.get(f"/imports/{job.pk}/map/").content.decode()
    assert "TIS-620" in page and "สมชาย" in page  # detected encoding and the preview
    refused = client.post(f"/imports/{job.pk}/map/", {"run": "1"})  # no column is the key yet
    assert "source_key" in refused.content.decode()
    assert ImportJob.objects.get().task_id == ""
    choices = {f"col{i}": field for i, field in enumerate(
        ["source_key", "national_id", "title", "first_name", "last_name", "sex", "birth_date", "house_no", "moo",
         "phone"])}
    response = client.post(f"/imports/{job.pk}/map/", {"run": "1", **choices})
    assert response.status_code == 302 and response["Location"] == f"/imports/{job.pk}/"
    job.refresh_from_db()
    assert job.task_id and job.status == ImportStatus.PENDING
    progress = client.get(f"/imports/{job.pk}/progress/").content.decode()
    assert 'hx-trigger="every 1s"' in progress
    import_job_run_task.func(job.pk)  # what the worker does
    job.refresh_from_db()
    assert (job.status, job.created_count, job.rejected_count) == (ImportStatus.DONE, 2, 1)
    done = client.get(f"/imports/{job.pk}/progress/").content.decode()
    assert "every 1s" not in done and f"/imports/{job.pk}/errors.csv" in done
    report = client.get(f"/imports/{job.pk}/errors.csv")
    assert report.status_code == 200 and "no-store" in report["Cache-Control"]
    body = b"".join(report.streaming_content).decode("utf-8-sig")  # type: ignore[attr-defined]
    assert "ไม่มีรหัส" in body and "source_key" in body
    assert AuditEntry.objects.filter(verb="import.errors_download", object_id=str(job.pk), actor=officer).exists()
    assert job.file_name in client.get(f"/imports/sources/{job.source_id}/").content.decode()


def test_an_excel_file_offers_its_sheets_and_previews_the_chosen_one(officer: Any, files: Path) -> None:
    client = login(officer)
    path = write_xlsx(files / "l.xlsx", [person_row("A1")], sheet="ปี 2567", extra_sheet="สรุป")
    upload(client, path.read_bytes(), name="l.xlsx")
    job = ImportJob.objects.get()
    page = client.get(f"/imports/{job.pk}/map/").content.decode()
    assert "ปี 2567" in page and "สรุป" in page and "สมศรี" in page
    assert "อื่น" in client.get(f"/imports/{job.pk}/map/", {"sheet": "สรุป"}).content.decode()


def test_a_file_over_the_size_limit_is_refused_with_a_clear_message(officer: Any, settings: Any) -> None:
    settings.IMPORT_MAX_MB = 1
    client = login(officer)
    big = csv_text([person_row(f"A{i}") for i in range(1)]).encode() + b"x" * (2 * 1024 * 1024)
    response = upload(client, big)
    assert response.status_code == 400
    assert "1 MB" in response.content.decode()
    assert not ImportJob.objects.exists() and not Source.objects.exists()


def test_a_bad_file_is_refused_at_upload_with_its_reason(officer: Any) -> None:
    client = login(officer)
    response = upload(client, "source_key,ชื่อ\r\nA1,สมศรี\r\n".encode("utf-16"))
    assert response.status_code == 200 and "UTF-8" in response.content.decode()
    response = upload(client, b"", name="empty.csv")
    assert response.status_code == 200 and "errorlist" in response.content.decode()
    assert not SourceRecord.objects.exists() and not ImportJob.objects.exists()


def test_outsider_gets_404_for_every_page_of_an_import_of_another_tambon(
        outsider: Any, volunteer: Any, done_job: ImportJob) -> None:
    for user in (outsider, volunteer):
        client = login(user)
        for url in (f"/imports/{done_job.pk}/", f"/imports/{done_job.pk}/map/", f"/imports/{done_job.pk}/progress/",
                    f"/imports/{done_job.pk}/errors.csv", f"/imports/sources/{done_job.source_id}/"):
            assert client.get(url).status_code == 404, url
        listing = client.get("/imports/")
        assert listing.status_code in (200, 404)
        assert "elders.csv" not in listing.content.decode()
        assert "ทะเบียนผู้พิการ" not in listing.content.decode()


def test_an_outsider_cannot_upload_into_a_source_of_another_tambon(outsider: Any, done_job: ImportJob) -> None:
    client = login(outsider)
    response = upload(client, csv_text([person_row("Z1")]).encode(), source=str(done_job.source_id))
    assert response.status_code in (200, 404)
    assert ImportJob.objects.count() == 1


def test_the_api_uploads_queues_reports_progress_and_serves_the_error_report(officer: Any, files: Path) -> None:
    client = ApiClient(make_token(officer))
    content = csv_text([person_row("7"), person_row("")], header=["ลำดับ", "เลขบัตรประชาชน", "คำนำหน้า", "ชื่อ",
                                                                  "นามสกุล", "เพศ", "วันเกิด", "บ้านเลขที่", "หมู่",
                                                                  "โทรศัพท์"]).encode()
    response = client.post(f"{API}/imports", {"file": SimpleUploadedFile("l.csv", content), "area_code": "931104",
                                              "source_name": "API list", "mapping": '{"ลำดับ": "source_key"}'})
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["status"] == "pending" and body["mapping"]["ลำดับ"] == "source_key"
    import_job_run_task.func(body["id"])
    progress = client.get(f"{API}/imports/{body['id']}").json()
    assert (progress["status"], progress["created"], progress["rejected"], progress["percent"]) == ("done", 1, 1, 100)
    report = client.get(f"{API}/imports/{body['id']}/errors")
    assert report.status_code == 200
    refused = client.post(f"{API}/imports", {"file": SimpleUploadedFile("l.csv", content), "area_code": "931104",
                                             "source_name": "API list"})
    assert refused.status_code == 422 and "source_key" in refused.content.decode()
    # the refused upload left no waiting import, and every step of the good one is in the audit log
    assert ImportJob.objects.count() == 1
    verbs = set(AuditEntry.objects.filter(area_code="931104").values_list("verb", flat=True))
    assert {"import.create", "import.map", "import.start", "import.run"} <= verbs


def test_the_api_refuses_a_file_over_the_size_limit_while_it_streams_in_and_stores_nothing(
        officer: Any, settings: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from django.core.files import uploadhandler

    settings.IMPORT_MAX_MB = 1
    settings.IMPORTS_ROOT = tmp_path / "imports"
    spooled: list[int] = []  # what reached Django's own handlers (memory or a temporary file)
    for name in ("MemoryFileUploadHandler", "TemporaryFileUploadHandler"):
        cls = getattr(uploadhandler, name)
        original = cls.receive_data_chunk

        def counting(self: Any, raw_data: bytes, start: int, _original: Any = original) -> Any:
            spooled.append(len(raw_data))
            return _original(self, raw_data, start)

        monkeypatch.setattr(cls, "receive_data_chunk", counting)
    client = ApiClient(make_token(officer))
    big = csv_text([person_row("A1")]).encode() + b"x" * (2 * 1024 * 1024)
    response = client.post(f"{API}/imports", {"file": SimpleUploadedFile("big.csv", big), "area_code": "931104",
                                              "source_name": "API list"})
    assert response.status_code == 422
    detail = response.json()["detail"]
    assert detail[0]["loc"] == ["body", "file"] and "1 MB" in detail[0]["msg"]
    assert not ImportJob.objects.exists() and not Source.objects.exists()
    assert not settings.IMPORTS_ROOT.exists() or not any(settings.IMPORTS_ROOT.iterdir())
    assert sum(spooled) <= 1024 * 1024  # cut off at the limit, not spooled whole and checked after


def test_the_api_answers_404_to_an_outsider_for_an_import_and_its_errors(outsider: Any, done_job: ImportJob) -> None:
    client = ApiClient(make_token(outsider))
    assert client.get(f"{API}/imports/{done_job.pk}").status_code == 404
    assert client.get(f"{API}/imports/{done_job.pk}/errors").status_code == 404
    response = client.post(f"{API}/imports", {"file": SimpleUploadedFile("l.csv", b"source_key\r\nA\r\n"),
                                              "source_id": str(done_job.source_id)})
    assert response.status_code == 404


def test_the_person_page_shows_what_each_source_said_with_the_registry_highlighted(
        officer: Any, volunteer: Any, person_a: Any, done_job: ImportJob) -> None:
    record = SourceRecord.objects.get(source_key="A1")
    record.person = person_a
    record.phone = "0899999999"
    record.save()
    page = login(officer).get(f"/people/{person_a.pk}/").content.decode()
    assert 'id="provenance"' in page and "ทะเบียนผู้พิการ รพ.สต." in page and "0899999999" in page
    assert "3-5011-00001-23-9" in page  # the officer may see full IDs
    volunteer_page = login(volunteer).get(f"/people/{person_a.pk}/").content.decode()
    assert 'id="provenance"' in volunteer_page and "3-5011-xxxxx-xx-9" in volunteer_page


def test_the_person_page_has_no_provenance_panel_without_source_records(officer: Any, person_a: Any) -> None:
    page = login(officer).get(f"/people/{person_a.pk}/").content.decode()
    assert 'id="provenance"' not in page


def test_a_village_volunteer_can_neither_import_nor_open_an_import_of_their_own_village(
        officer: Any, volunteer: Any, village_a: Any, files: Path) -> None:
    # A list's raw rows and its error report carry full national IDs, which volunteers see masked.
    with pytest.raises(Http404):
        source_get_or_create(actor=volunteer, area_code=village_a.code, name="รายชื่อ อสม.")
    source = source_get_or_create(actor=officer, area_code=village_a.code, name="รายชื่อหมู่ 1")
    job = import_job_create(actor=officer, source=source,
                            path=write_csv(files / "moo1.csv", [person_row("A1"), person_row("")]))
    import_run(actor=officer, job=job)
    client = login(volunteer)
    assert client.get("/imports/").status_code == 404
    for url in (f"/imports/{job.pk}/", f"/imports/{job.pk}/map/", f"/imports/{job.pk}/errors.csv",
                f"/imports/sources/{source.pk}/"):
        assert client.get(url).status_code == 404, url
    assert login(officer).get(f"/imports/{job.pk}/errors.csv").status_code == 200
