"""Importing a person list: counts, idempotence, changes, rejections, villages, scope, audit, crash."""

from __future__ import annotations

import csv
from pathlib import Path
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.http import Http404

from chumchon.areas.models import Area
from chumchon.core.models import AuditEntry
from chumchon.linkage.importing import writer
from chumchon.linkage.importing.progress import progress_read, progress_write
from chumchon.linkage.models import ImportJob, ImportStatus, Source, SourceRecord
from chumchon.linkage.services.imports import import_job_create, import_run, source_get_or_create
from chumchon.linkage.tests.conftest import person_row, write_csv

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("import_path")]


@pytest.fixture
def source(officer: Any, tambon: Area) -> Source:
    return source_get_or_create(actor=officer, area_code=tambon.code, name="ทะเบียนผู้สูงอายุ รพ.สต.")


def run(actor: Any, source: Source, path: Path, **kwargs: Any) -> Any:
    mapping = kwargs.pop("mapping", None)
    job = import_job_create(actor=actor, source=source, path=path, mapping=mapping, sheet=kwargs.pop("sheet", ""))
    return import_run(actor=actor, job=job, **kwargs), job


def read_report(path: str) -> list[list[str]]:
    with open(path, encoding="utf-8-sig", newline="") as handle:
        return list(csv.reader(handle))


def test_an_import_creates_one_source_record_per_good_row_with_cleaned_values(
        officer: Any, source: Source, files: Path) -> None:
    path = write_csv(files / "list.csv", [
        person_row("A1"),
        person_row("A2", "สมชาย", "ใจดี", title="นาย", sex="ชาย", born="1 มกราคม 2490", nid="1-1012-00012-34-6"),
        person_row("A3", "มาลี", "ศรีสุข", born="2500", nid="", moo="หมู่ที่ ๒", phone="81234567"),
    ])
    summary, job = run(officer, source, path)
    assert summary.line() == "read 3, created 3, updated 0, unchanged 0, rejected 0"
    first = SourceRecord.objects.get(source=source, source_key="A1")
    assert (first.title, first.first_name, first.last_name, first.sex) == ("นาง", "สมศรี", "ใจดี", "female")
    assert str(first.birth_date) == "1947-04-12" and not first.birth_year_only
    assert first.area_id == "93110401" and first.house_no == "12/3" and first.phone == "0812345678"
    assert ("ชื่อ", "สมศรี") in first.raw_cells() and first.import_job_id == job.pk
    assert first.raw_cells()[0] == ("source_key", "A1")
    second = SourceRecord.objects.get(source=source, source_key="A2")
    assert second.national_id == "1101200012346" and str(second.birth_date) == "1947-01-01"
    third = SourceRecord.objects.get(source=source, source_key="A3")
    assert third.birth_year_only and str(third.birth_date) == "1957-01-01"
    assert third.area_id == "93110402" and third.phone == "081234567"
    job.refresh_from_db()
    assert job.status == ImportStatus.DONE and job.created_count == 3 and job.processed_rows == 3


def test_importing_the_same_file_again_changes_nothing(officer: Any, source: Source, files: Path) -> None:
    path = write_csv(files / "list.csv", [person_row("A1"), person_row("A2", "สมชาย")])
    run(officer, source, path)
    before = {r.source_key: (r.updated_at, r.row_hash) for r in SourceRecord.objects.all()}
    summary, _job = run(officer, source, path)
    assert summary.line() == "read 2, created 0, updated 0, unchanged 2, rejected 0"
    assert {r.source_key: (r.updated_at, r.row_hash) for r in SourceRecord.objects.all()} == before


def test_a_changed_row_updates_its_record_and_leaves_the_others(officer: Any, source: Source, files: Path) -> None:
    run(officer, source, write_csv(files / "v1.csv", [person_row("A1"), person_row("A2", "สมชาย")]))
    summary, job = run(officer, source, write_csv(files / "v2.csv", [
        person_row("A1", last="ใจงาม"), person_row("A2", "สมชาย"), person_row("A3", "มาลี")]))
    assert summary.line() == "read 3, created 1, updated 1, unchanged 1, rejected 0"
    changed = SourceRecord.objects.get(source_key="A1")
    assert changed.last_name == "ใจงาม" and changed.import_job_id == job.pk


def test_bad_rows_go_to_the_error_report_with_a_thai_reason_and_do_not_stop_good_rows(
        officer: Any, source: Source, files: Path) -> None:
    path = write_csv(files / "list.csv", [
        person_row("A1"),
        person_row("", "ไม่มีรหัส"),
        person_row("A3", born="31/02/2490"),
        person_row("A4", nid="12345"),
        person_row("A5", nid="3501100001230"),  # fails the check digit: kept for linkage to repair
        person_row("A1", "ซ้ำ"),
        person_row("A7", "=HYPERLINK(\"http://x\")"),
        person_row("A8", born="หลังสงกรานต์"),
    ])
    summary, job = run(officer, source, path)
    assert summary.line() == "read 8, created 3, updated 0, unchanged 0, rejected 5"
    assert set(SourceRecord.objects.values_list("source_key", flat=True)) == {"A1", "A5", "A7"}
    assert SourceRecord.objects.get(source_key="A1").first_name == "สมศรี"
    assert SourceRecord.objects.get(source_key="A5").national_id == "3501100001230"
    job.refresh_from_db()
    report = read_report(job.error_report_path)
    assert report[0][:3] == ["แถว", "เหตุผล", "source_key"]
    reasons = {row[0]: row[1] for row in report[1:]}
    assert set(reasons) == {"3", "4", "5", "7", "9"}
    assert "source_key" in reasons["3"]
    assert "31/02/2490" in reasons["4"]
    assert "13" in reasons["5"]
    assert "2" in reasons["7"] and "A1" in reasons["7"]
    assert "หลังสงกรานต์" in reasons["9"]
    assert report[1][2:] == ["", "3501100001239", "นาง", "ไม่มีรหัส", "ใจดี", "หญิง", "12/04/2490", "12/3", "1",
                             "0812345678"]
    with open(job.error_report_path, "rb") as handle:
        assert handle.read(3) == b"\xef\xbb\xbf"


def test_formula_like_cells_in_the_error_report_are_written_as_text(officer: Any, source: Source,
                                                                   files: Path) -> None:
    path = write_csv(files / "list.csv", [person_row("", "=1+1", "@SUM(A1)", house="-2+3", phone="+66 81")])
    _summary, job = run(officer, source, path)
    job.refresh_from_db()
    row = read_report(job.error_report_path)[1]
    assert "'=1+1" in row and "'@SUM(A1)" in row and "'-2+3" in row and "'+66 81" in row


def test_a_moo_not_yet_registered_in_the_tambon_is_created_and_named_in_the_summary(
        officer: Any, source: Source, files: Path) -> None:
    summary, job = run(officer, source, write_csv(files / "list.csv", [person_row("A1", moo="7")]))
    assert summary.new_villages == ["93110407"]
    assert "new villages 1: 93110407" in summary.line()
    village = Area.objects.get(code="93110407")
    assert village.parent_id == "931104" and village.number == 7
    job.refresh_from_db()
    assert job.new_villages == ["93110407"]
    assert AuditEntry.objects.filter(verb="area.village_create", object_id="93110407").exists()


def test_an_unknown_tambon_or_one_outside_the_source_is_rejected(officer: Any, source: Source,
                                                                 files: Path) -> None:
    header = ["source_key", "ชื่อ", "รหัสตำบล", "หมู่"]
    path = write_csv(files / "list.csv", [["A1", "หนึ่ง", "931104", "1"], ["A2", "สอง", "999999", "1"],
                                          ["A3", "สาม", "931101", "1"], ["A4", "สี่", "9311", ""]], header=header)
    summary, job = run(officer, source, path)
    assert (summary.created, summary.rejected) == (1, 3)
    reasons = [row[1] for row in read_report(ImportJob.objects.get(pk=job.pk).error_report_path)[1:]]
    assert "999999" in reasons[0] and "นอกพื้นที่" in reasons[1] and "6" in reasons[2]
    assert not Area.objects.filter(code__in=["99999901", "93110101"]).exists()


def test_one_audit_entry_per_import_with_the_counts(officer: Any, source: Source, files: Path) -> None:
    run(officer, source, write_csv(files / "list.csv", [person_row("A1"), person_row("")]))
    entries = AuditEntry.objects.filter(verb="import.run")
    assert entries.count() == 1
    entry = entries.get()
    assert entry.data["created"] == 1 and entry.data["rejected"] == 1 and entry.area_code == "931104"


def test_a_volunteer_or_an_outsider_cannot_import_into_the_tambon_source(
        volunteer: Any, outsider: Any, source: Source, files: Path) -> None:
    path = write_csv(files / "list.csv", [person_row("A1")])
    for user in (volunteer, outsider):
        with pytest.raises(Http404):
            import_job_create(actor=user, source=source, path=path)
        with pytest.raises(Http404):
            source_get_or_create(actor=user, area_code="931104", name="อีกรายการ")
    assert not SourceRecord.objects.exists()


def test_a_crash_while_applying_leaves_the_database_as_before(officer: Any, source: Source, files: Path,
                                                               monkeypatch: pytest.MonkeyPatch) -> None:
    run(officer, source, write_csv(files / "v1.csv", [person_row("A1")]))
    before = list(SourceRecord.objects.order_by("source_key").values_list("source_key", "last_name", "row_hash"))
    original = writer.RecordWriter.finish

    def crash_after_writing(self: Any) -> Any:
        original(self)  # the rows are written inside the transaction...
        raise RuntimeError("power cut")  # ...then the process dies before the commit

    monkeypatch.setattr(writer.RecordWriter, "finish", crash_after_writing)
    job = import_job_create(actor=officer, source=source, path=write_csv(files / "v2.csv", [
        person_row("A1", last="ใจงาม"), person_row("A2", moo="8"), person_row("A3")]))
    with pytest.raises(RuntimeError):
        import_run(actor=officer, job=job)
    after = list(SourceRecord.objects.order_by("source_key").values_list("source_key", "last_name", "row_hash"))
    assert after == before
    assert not Area.objects.filter(code="93110408").exists()
    job.refresh_from_db()
    assert job.status == ImportStatus.FAILED and job.message


def test_a_bad_byte_late_in_the_file_fails_the_whole_import_and_changes_nothing(
        officer: Any, source: Source, files: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from chumchon.linkage.importing import readers
    from chumchon.linkage.services import imports

    monkeypatch.setattr(readers, "SAMPLE_BYTES", 200)
    monkeypatch.setattr(imports, "BATCH_ROWS", 2)  # earlier batches are written, then rolled back
    good = "".join(f"A{i},ชื่อ{i}\r\n" for i in range(3000)).encode()
    path = files / "broken.csv"
    path.write_bytes("source_key,ชื่อ\r\n".encode() + good + b"B1,\xff\xfe\r\n")
    job = import_job_create(actor=officer, source=source, path=path)
    with pytest.raises(ValidationError) as error:
        import_run(actor=officer, job=job)
    assert "file" in error.value.message_dict
    assert not SourceRecord.objects.exists()
    job.refresh_from_db()
    assert job.status == ImportStatus.FAILED and "บรรทัด" in job.message


def test_a_crash_in_the_middle_of_a_first_import_leaves_no_record(officer: Any, source: Source, files: Path,
                                                                  monkeypatch: pytest.MonkeyPatch) -> None:
    from chumchon.linkage.importing import arrow
    from chumchon.linkage.services import imports

    monkeypatch.setattr(imports, "BATCH_ROWS", 2)
    monkeypatch.setattr(arrow, "BLOCK_BYTES", 200)  # about two rows per Arrow batch
    batches: list[int] = []

    def crash_on_third_batch(original: Any) -> Any:
        def add(self: Any, batch: Any) -> None:
            batches.append(1)
            if len(batches) == 3:
                raise RuntimeError("worker killed")
            original(self, batch)
        return add

    monkeypatch.setattr(writer.RecordWriter, "add", crash_on_third_batch(writer.RecordWriter.add))
    monkeypatch.setattr(writer.RecordWriter, "add_arrow", crash_on_third_batch(writer.RecordWriter.add_arrow))
    job = import_job_create(actor=officer, source=source, path=write_csv(
        files / "list.csv", [person_row(f"A{i}") for i in range(8)]))
    with pytest.raises(RuntimeError):
        import_run(actor=officer, job=job)
    assert len(batches) == 3 and not SourceRecord.objects.exists()
    job.refresh_from_db()
    assert job.status == ImportStatus.FAILED
    assert progress_read(job.pk) is None


def test_a_running_import_shows_the_rows_read_so_far(officer: Any, source: Source, files: Path) -> None:
    from chumchon.linkage.selectors.imports import import_job_get, import_progress

    job = import_job_create(actor=officer, source=source, path=write_csv(files / "list.csv", [person_row("A1")]))
    ImportJob.objects.filter(pk=job.pk).update(status=ImportStatus.RUNNING)
    progress_write(job.pk, read=250, total=1000)
    running = import_job_get(user=officer, id=job.pk)
    assert (running.processed_rows, running.total_rows, import_progress(running)) == (250, 1000, 25)
    ImportJob.objects.filter(pk=job.pk).update(status=ImportStatus.PENDING)
    assert import_job_get(user=officer, id=job.pk).processed_rows == 0  # only a running import reads the file


def test_an_excel_list_with_a_merged_moo_gives_each_row_the_moo_and_says_so(officer: Any, source: Source,
                                                                           files: Path) -> None:
    import openpyxl

    path = files / "merged.xlsx"
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(["source_key", "ชื่อ-สกุล", "หมู่", "วันเกิด"])
    sheet.append(["A1", "นางสมศรี ใจดี", 2, "1 มกราคม 2490"])
    sheet.append(["A2", "นายสมชาย ใจดี", None, "2485"])
    sheet.merge_cells("C2:C3")
    book.save(path)
    summary, job = run(officer, source, path)
    assert summary.line() == "read 2, created 2, updated 0, unchanged 0, rejected 0"
    assert set(SourceRecord.objects.values_list("area_id", flat=True)) == {"93110402"}
    second = SourceRecord.objects.get(source_key="A2")
    assert (second.title, second.first_name, second.last_name, second.sex) == ("นาย", "สมชาย", "ใจดี", "male")
    assert second.birth_year_only
    job.refresh_from_db()
    assert job.file_format == "xlsx" and "C2:C3" in job.notes[0]
