"""Helpers for import tests: real files written in the test (CSV in several encodings, xlsx)."""

from __future__ import annotations

import csv
import io
from pathlib import Path
from typing import Any

import pytest

HEADER = ["source_key", "เลขบัตรประชาชน", "คำนำหน้า", "ชื่อ", "นามสกุล", "เพศ", "วันเกิด", "บ้านเลขที่", "หมู่",
          "โทรศัพท์"]


def csv_text(rows: list[list[Any]], *, header: list[str] | None = None, delimiter: str = ",") -> str:
    out = io.StringIO()
    writer = csv.writer(out, delimiter=delimiter, lineterminator="\r\n")
    writer.writerow(header or HEADER)
    writer.writerows(rows)
    return out.getvalue()


def write_csv(path: Path, rows: list[list[Any]], *, encoding: str = "utf-8", header: list[str] | None = None,
              delimiter: str = ",") -> Path:
    path.write_bytes(csv_text(rows, header=header, delimiter=delimiter).encode(encoding))
    return path


def write_xlsx(path: Path, rows: list[list[Any]], *, header: list[str] | None = None, sheet: str = "รายชื่อ",
               extra_sheet: str = "") -> Path:
    import openpyxl

    book = openpyxl.Workbook()
    ws = book.active
    ws.title = sheet
    ws.append(header or HEADER)
    for row in rows:
        ws.append(row)
    if extra_sheet:
        book.create_sheet(extra_sheet).append(["อื่น"])
    book.save(path)
    return path


def person_row(key: str, first: str = "สมศรี", last: str = "ใจดี", *, moo: Any = "1", born: str = "12/04/2490",
               nid: str = "3501100001239", title: str = "นาง", sex: str = "หญิง", house: str = "12/3",
               phone: str = "0812345678") -> list[Any]:
    return [key, nid, title, first, last, sex, born, house, moo, phone]


@pytest.fixture
def files(tmp_path: Path) -> Path:
    return tmp_path


@pytest.fixture(params=["arrow", "python"])
def import_path(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> str:
    """Run the test on each import path: Arrow's (plain CSV files) and Python's (everything)."""
    from chumchon.linkage.services import imports

    monkeypatch.setattr(imports, "USE_ARROW", request.param == "arrow")
    return str(request.param)


@pytest.fixture(autouse=True)
def own_imports_root(settings: Any, tmp_path: Path) -> None:
    """Uploads, error reports and progress files of each test apart (parallel test workers share a
    data directory, and job ids repeat across their databases)."""
    settings.IMPORTS_ROOT = tmp_path / "imports"
