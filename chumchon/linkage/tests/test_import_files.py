"""Reading files: encodings, delimiters, Excel sheets, formulas, merged cells, and bad files."""

from __future__ import annotations

from pathlib import Path

import openpyxl
import pytest
from django.core.exceptions import ValidationError

from chumchon.linkage.importing.columns import parse_map_options, resolve_columns
from chumchon.linkage.importing.readers import detect_encoding, open_table
from chumchon.linkage.tests.conftest import HEADER, person_row, write_csv, write_xlsx


def rows_of(path: Path, sheet: str = "") -> tuple[list[str], list[list[str]]]:
    with open_table(path, sheet=sheet) as table:
        return table.headers, [row.values for row in table.rows]


@pytest.mark.parametrize(("encoding", "detected"), [
    ("utf-8", "utf-8-sig"), ("utf-8-sig", "utf-8-sig"), ("cp874", "cp874"), ("tis-620", "cp874"),
])
def test_thai_csv_is_read_in_each_encoding_people_save_it_in(files: Path, encoding: str, detected: str) -> None:
    path = write_csv(files / "list.csv", [person_row("A1")], encoding=encoding)
    with open_table(path) as table:
        assert table.encoding == detected
        assert table.headers == HEADER
        assert [row.values for row in table.rows] == [[str(v) for v in person_row("A1")]]


@pytest.mark.parametrize("delimiter", [",", "\t", ";"])
def test_the_delimiter_is_sniffed(files: Path, delimiter: str) -> None:
    path = write_csv(files / "list.csv", [person_row("A1"), person_row("A2")], delimiter=delimiter)
    headers, rows = rows_of(path)
    assert headers == HEADER and len(rows) == 2 and rows[1][0] == "A2"


def test_a_file_that_is_neither_utf8_nor_thai_is_refused_as_wrong_encoding(files: Path) -> None:
    path = files / "list.csv"
    path.write_bytes("source_key,ชื่อ\r\nA1,สมศรี\r\n".encode("utf-16"))
    with pytest.raises(ValidationError) as error:
        open_table(path)
    assert "UTF-8" in str(error.value.message_dict["file"])
    with pytest.raises(ValidationError):
        detect_encoding(b"source_key,\x81\x82\x83\r\n")


def test_an_empty_file_and_a_blank_file_are_refused_clearly(files: Path) -> None:
    for content in (b"", b"\r\n\r\n  \r\n"):
        path = files / "empty.csv"
        path.write_bytes(content)
        with pytest.raises(ValidationError) as error:
            open_table(path)
        assert error.value.message_dict["file"]


def test_a_file_without_a_header_row_is_refused_before_any_row_is_read(files: Path) -> None:
    path = files / "list.csv"
    path.write_text("A1,3501100001239,นาง,สมศรี\r\nA2,3501100001239,นาย,สมชาย\r\n", encoding="utf-8")
    with open_table(path) as table, pytest.raises(ValidationError) as error:
        resolve_columns(table.headers)
    assert "file" in error.value.message_dict


def test_an_old_xls_file_is_refused_with_what_to_do(files: Path) -> None:
    path = files / "list.xls"
    path.write_bytes(b"\xd0\xcf\x11\xe0" + b"\0" * 100)
    with pytest.raises(ValidationError) as error:
        open_table(path)
    assert ".xlsx" in str(error.value.message_dict["file"])


def test_xlsx_reads_the_chosen_sheet_and_turns_numbers_and_dates_into_text(files: Path) -> None:
    import datetime

    path = write_xlsx(files / "list.xlsx", [["A1", 3501100001239, "นาง", "สมศรี", "ใจดี", "หญิง",
                                             datetime.date(1947, 4, 12), "12/3", 1, 812345678]],
                      extra_sheet="สรุป")
    headers, rows = rows_of(path, "รายชื่อ")
    assert headers == HEADER
    assert rows == [["A1", "3501100001239", "นาง", "สมศรี", "ใจดี", "หญิง", "1947-04-12", "12/3", "1", "812345678"]]
    assert rows_of(path, "สรุป")[0] == ["อื่น"]
    with pytest.raises(ValidationError) as error:
        open_table(path, sheet="ไม่มี")
    assert "รายชื่อ" in str(error.value.message_dict["file"])


def test_xlsx_merged_cells_are_filled_with_the_top_left_value_and_noted(files: Path) -> None:
    path = files / "merged.xlsx"
    book = openpyxl.Workbook()
    ws = book.active
    ws.append(["source_key", "ชื่อ", "หมู่"])
    ws.append(["A1", "สมศรี", 3])
    ws.append(["A2", "สมชาย", None])
    ws.append(["A3", "มาลี", None])
    ws.append(["A4", "บุญมา", 4])
    ws.merge_cells("C2:C4")
    book.save(path)
    with open_table(path) as table:
        rows = [row.values for row in table.rows]
        notes = table.notes
    assert [row[2] for row in rows] == ["3", "3", "3", "4"]
    assert "C2:C4" in notes[0]


def test_xlsx_formula_with_no_saved_value_marks_its_row(files: Path) -> None:
    path = files / "formula.xlsx"
    book = openpyxl.Workbook()
    ws = book.active
    ws.append(["source_key", "ชื่อ", "อายุ"])
    ws.append(["A1", "สมศรี", "=2567-2490"])  # openpyxl saves no cached value
    ws.append(["A2", "สมชาย", 70])
    book.save(path)
    with open_table(path) as table:
        rows = list(table.rows)
    assert "C2" in rows[0].problem and rows[1].problem == ""


def test_a_column_mapped_twice_is_refused_before_any_row_is_read() -> None:
    headers = ["source_key", "เลขบัตรประชาชน", "national_id", "ชื่อ"]
    with pytest.raises(ValidationError) as error:
        resolve_columns(headers)
    assert "national_id" in str(error.value.message_dict["mapping"])
    with pytest.raises(ValidationError):
        resolve_columns(["รหัส", "ชื่อ", "ชื่อเล่น"], {"รหัส": "source_key", "ชื่อเล่น": "first_name"})
    assert resolve_columns(headers, {"national_id": "-"}).columns["national_id"] == 1


def test_columns_are_found_by_thai_or_english_header_or_mapped_explicitly() -> None:
    columns = resolve_columns(["ลำดับ", "เลขประจำตัวประชาชน", "ชื่อ-สกุล", "วันเดือนปีเกิด", "หมู่ที่", "รหัสตำบล",
                               "เบอร์โทร", "Nickname"], parse_map_options(["ลำดับ=source_key"]))
    assert columns.columns == {"source_key": 0, "national_id": 1, "full_name": 2, "birth_date": 3, "moo": 4,
                               "tambon_code": 5, "phone": 6, "nickname": 7}


def test_the_source_key_must_be_named_or_mapped_and_unknown_fields_and_headers_are_refused() -> None:
    with pytest.raises(ValidationError) as error:
        resolve_columns(["ลำดับ", "ชื่อ"])
    assert "source_key" in str(error.value.message_dict["mapping"])
    with pytest.raises(ValidationError):
        resolve_columns(["ลำดับ", "ชื่อ"], {"ลำดับ": "row_id"})
    with pytest.raises(ValidationError):
        resolve_columns(["ลำดับ", "ชื่อ"], {"ไม่มี": "source_key"})
    with pytest.raises(ValidationError):
        parse_map_options(["source_key"])
