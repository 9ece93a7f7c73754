"""Arrow's fast path and Python's path import a file to the same records and the same error report;
a file Arrow would read differently goes to the Python path."""

from __future__ import annotations

import csv
from pathlib import Path
from typing import Any

import pytest
from django.db import connection

from chumchon.areas.models import Area
from chumchon.linkage.importing import arrow
from chumchon.linkage.models import SourceRecord
from chumchon.linkage.services import imports
from chumchon.linkage.services.imports import import_job_create, import_run, source_get_or_create
from chumchon.linkage.tests.conftest import person_row, write_csv

pytestmark = pytest.mark.django_db

COMPARED = ("source_key", "national_id", "title", "first_name", "last_name", "nickname", "sex", "birth_date",
            "birth_year_only", "house_no", "area_id", "phone", "raw", "row_hash")

VARIED = [
    person_row("A1"),
    person_row("A2", "  สมชาย ", "ใจดี", title="นาย", sex="", born="1 มกราคม 2490", nid="1-1012-00012-34-6"),
    person_row("A3", "มาลี", "ศรีสุข", born="2500", nid="", moo="หมู่ที่ ๒", phone="66 81 234 5678"),
    person_row("A4", "ด.ช.ต้น", "", title="", sex="", born="๑ ม.ค. ๒๕๖๐", phone="81234567"),
    person_row("", "ไม่มีรหัส"),
    person_row("A1", "ซ้ำ"),
    person_row("A5", born="ไม่ทราบ"),
    person_row("A6", nid="12345"),
    person_row("A7", moo="หมู่บ้านบน"),
    person_row("A8", "ก" * 101),
    person_row("A9", moo="7"),
    person_row("[A10]", "วงเล็บ"),
    person_row("A11", "=cmd|' /C calc'!A0"),
    ["", "", "", "", "", "", "", "", "", ""],
    person_row("A12", "สมหญิง", "มีสุข", title="น.ส.", sex="ญ", born="2500-02-30"),
    person_row("A13", 'สม"ศรี', "ใจ\\ดี", house="12\t3"),
    person_row("A14", "ทับ\\", "แท็บ\tกลาง", house="\\N"),
]


@pytest.fixture
def tambon_source(officer: Any, tambon: Area) -> Any:
    return lambda name: source_get_or_create(actor=officer, area_code=tambon.code, name=name)


def run_on(path_name: str, officer: Any, source: Any, path: Path, monkeypatch: pytest.MonkeyPatch) -> Any:
    monkeypatch.setattr(imports, "USE_ARROW", path_name == "arrow")
    job = import_job_create(actor=officer, source=source, path=path)
    summary = import_run(actor=officer, job=job)
    job.refresh_from_db()
    records = sorted(SourceRecord.objects.filter(source=source).values_list(*COMPARED))
    report = []
    if job.error_report_path:
        with open(job.error_report_path, encoding="utf-8-sig", newline="") as handle:
            report = list(csv.reader(handle))
    return summary.line().split(", new villages")[0], records, report  # the first run registers new moos


def count_arrow_batches(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    calls: list[int] = []
    original = arrow.ArrowCleaner.clean

    def counted(self: Any, batch: Any) -> Any:
        calls.append(1)
        return original(self, batch)

    monkeypatch.setattr(arrow.ArrowCleaner, "clean", counted)
    return calls


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "cp874"])
def test_both_paths_give_the_same_records_and_error_report(officer: Any, tambon_source: Any, files: Path,
                                                           monkeypatch: pytest.MonkeyPatch, encoding: str) -> None:
    rows = VARIED if encoding != "cp874" else [r for r in VARIED if "๑" not in "".join(map(str, r))]
    path = write_csv(files / "varied.csv", rows, encoding=encoding)
    monkeypatch.setattr(arrow, "BLOCK_BYTES", 300)  # a few rows per batch: keys and numbers cross batches
    monkeypatch.setattr(imports, "BATCH_ROWS", 3)
    calls = count_arrow_batches(monkeypatch)
    by_arrow = run_on("arrow", officer, tambon_source("ผ่าน Arrow"), path, monkeypatch)
    assert len(calls) > 2, "a plain file goes through Arrow, here in several batches"
    by_python = run_on("python", officer, tambon_source("ผ่าน Python"), path, monkeypatch)
    assert by_arrow == by_python
    line, records, report = by_arrow
    assert line.startswith(f"read {len(rows) - 1}, created")  # the row of empty cells is skipped
    duplicate = next(row for row in report[1:] if row[2] == "A1")  # the second A1; the first is on line 2
    assert " 2 " in duplicate[1] and int(duplicate[0]) > 2
    assert any(record[0] == "[A10]" for record in records)


@pytest.mark.parametrize("oddity", ["multi-line value", "short row", "long row"])
def test_a_file_arrow_would_read_differently_is_read_by_python(officer: Any, tambon_source: Any, files: Path,
                                                               monkeypatch: pytest.MonkeyPatch, oddity: str) -> None:
    rows: list[list[Any]] = [person_row("A1"), person_row("", "ไม่มีรหัส")]
    line_of_keyless_row = 4
    if oddity == "multi-line value":
        rows.insert(1, person_row("B1", "บรรทัด\nสอง"))
        line_of_keyless_row = 5  # the value over two lines moves it down one more
    elif oddity == "short row":
        rows.insert(1, ["B1", "", "", "สั้น"])
    else:
        rows.insert(1, [*person_row("B1", "ยาว"), "เกิน"])
    path = write_csv(files / "odd.csv", rows)
    calls = count_arrow_batches(monkeypatch)
    by_arrow = run_on("arrow", officer, tambon_source("ผ่าน Arrow"), path, monkeypatch)
    assert not calls  # refused before any batch was cleaned
    by_python = run_on("python", officer, tambon_source("ผ่าน Python"), path, monkeypatch)
    assert by_arrow == by_python
    line, _records, report = by_arrow
    assert line.startswith("read 3,")
    assert [row[0] for row in report[1:]] == [str(line_of_keyless_row)]


def test_backslashes_tabs_and_quotes_are_stored_as_written(officer: Any, tambon_source: Any, files: Path,
                                                            monkeypatch: pytest.MonkeyPatch) -> None:
    plain = [person_row("B1", "ทับ\\", "แท็บ\tกลาง", house="\\N"), person_row("B2", "ธรรมดา")]
    quoted = [*plain, person_row("B3", 'สม"ศรี')]  # Arrow's writer refuses a quote: that batch goes by Python
    from chumchon.linkage.importing.writer import RecordWriter

    by_python_text: list[int] = []
    original = RecordWriter._copy_text
    def counted(self: Any, columns: Any) -> str:
        by_python_text.append(1)
        return original(self, columns)

    monkeypatch.setattr(RecordWriter, "_copy_text", counted)
    for name, rows in (("plain", plain), ("quoted", quoted)):
        path = write_csv(files / f"{name}.csv", rows)
        by_python_text.clear()
        by_arrow = run_on("arrow", officer, tambon_source(f"{name} Arrow"), path, monkeypatch)
        if connection.vendor == "postgresql":  # (SQLite takes rows, not COPY text)
            # Arrow writes the COPY text, escapes and all, unless a value holds a double quote.
            assert bool(by_python_text) == (name == "quoted")
        by_python = run_on("python", officer, tambon_source(f"{name} Python"), path, monkeypatch)
        assert by_arrow == by_python
        first = by_arrow[1][0]
        assert (first[0], first[3], first[4], first[9]) == ("B1", "ทับ\\", "แท็บ กลาง", "\\N")
        assert first[7] is not None and "แท็บ\tกลาง" in first[12]
