"""`chumchon import persons`: summary line, progress, errors file, exit on a bad file."""

from __future__ import annotations

import io
from pathlib import Path
from typing import Any

import pytest
from django.core.management import CommandError, call_command

from chumchon.linkage.models import Source, SourceRecord
from chumchon.linkage.tests.conftest import person_row, write_csv, write_xlsx

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("import_path")]


def run(*args: str) -> tuple[str, str]:
    out, err = io.StringIO(), io.StringIO()
    call_command("import", *args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def test_the_command_imports_a_csv_and_prints_the_summary(officer: Any, files: Path) -> None:
    path = write_csv(files / "list.csv", [person_row("A1"), person_row("A2", "สมชาย"), person_row("")])
    errors = files / "errors.csv"
    out, _err = run("persons", str(path), "--source", "รายชื่อผู้สูงอายุ", "--area", "931104",
                    "--errors", str(errors), "--user", "officer")
    assert "read 3, created 2, updated 0, unchanged 0, rejected 1" in out
    assert errors.exists() and f"errors: {errors}" in out
    assert SourceRecord.objects.filter(source__name="รายชื่อผู้สูงอายุ").count() == 2
    out, _err = run("persons", str(path), "--source", "รายชื่อผู้สูงอายุ")  # the one source of that name
    assert "read 3, created 0, updated 0, unchanged 2, rejected 1" in out


def test_the_command_takes_a_sheet_and_an_explicit_column_map(officer: Any, files: Path) -> None:
    path = write_xlsx(files / "list.xlsx", [["7", "สมศรี", "ใจดี", "1"]], header=["ลำดับ", "ชื่อ", "สกุล", "หมู่"],
                      sheet="ปี 67", extra_sheet="สรุป")
    out, _err = run("persons", str(path), "--source", "เบี้ยยังชีพ", "--area", "931104", "--sheet", "ปี 67",
                    "--map", "ลำดับ=source_key", "--user", "officer")
    assert "created 1" in out
    record = SourceRecord.objects.get(source__name="เบี้ยยังชีพ")
    assert (record.source_key, record.last_name, record.area_id) == ("7", "ใจดี", "93110401")


def test_a_bad_file_exits_non_zero_with_the_reason_and_imports_nothing(officer: Any, files: Path) -> None:
    empty = files / "empty.csv"
    empty.write_bytes(b"")
    with pytest.raises(CommandError, match="file"):
        run("persons", str(empty), "--source", "ว่าง", "--area", "931104")
    twice = write_csv(files / "twice.csv", [["A1", "1", "2"]], header=["source_key", "เลขบัตรประชาชน", "cid"])
    with pytest.raises(CommandError, match="national_id"):
        run("persons", str(twice), "--source", "ซ้ำ", "--area", "931104")
    assert not SourceRecord.objects.exists()


def test_a_user_outside_the_area_cannot_import(outsider: Any, tambon: Any, files: Path) -> None:
    path = write_csv(files / "list.csv", [person_row("A1")])
    with pytest.raises(CommandError):
        run("persons", str(path), "--source", "x", "--area", "931104", "--user", "outsider")
    assert not Source.objects.exists()


def test_the_progress_bar_is_drawn_in_place_on_stderr(officer: Any, files: Path, monkeypatch: Any) -> None:
    from chumchon.linkage.services import imports

    monkeypatch.setattr(imports, "BATCH_ROWS", 10)
    monkeypatch.setattr(imports.time, "monotonic", iter(range(0, 10_000, 1)).__next__)
    path = write_csv(files / "list.csv", [person_row(f"A{i}") for i in range(50)])
    _out, err = run("persons", str(path), "--source", "x", "--area", "931104")
    assert err.count("\r[") >= 2 and "100 %" in err
