"""Cleaning values as Thai lists write them: dates, titles in full names, IDs, sex, phones, moo."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest
from django.utils.translation import gettext

from chumchon.core.thai import ThaiDateError, parse_thai_date
from chumchon.linkage.importing.cleaning import AreaResolver, RowCleaner, RowRejected, _clean_phone, split_title
from chumchon.linkage.importing.columns import resolve_columns
from chumchon.linkage.importing.dates import DateCache
from chumchon.linkage.importing.raw import raw_decode, raw_encode, raw_encode_rows


@pytest.mark.parametrize(("text", "expected", "year_only"), [
    ("1967-03-05", date(1967, 3, 5), False),
    ("2510-03-05", date(1967, 3, 5), False),
    ("05/03/2510", date(1967, 3, 5), False),
    ("5/3/1967", date(1967, 3, 5), False),
    ("05.03.2510", date(1967, 3, 5), False),
    ("5 มี.ค. 2510", date(1967, 3, 5), False),
    ("5 มี.ค.2510", date(1967, 3, 5), False),
    ("1 มกราคม 2490", date(1947, 1, 1), False),
    ("๕ มีนาคม ๒๕๑๐", date(1967, 3, 5), False),
    ("๐๕/๐๓/๒๕๑๐", date(1967, 3, 5), False),
    ("2490", date(1947, 1, 1), True),
    ("1947", date(1947, 1, 1), True),
    ("พ.ศ. 2490", date(1947, 1, 1), True),
    ("00/00/2490", date(1947, 1, 1), True),
    ("2490-00-00", date(1947, 1, 1), True),
    ("1967/03/05", date(1967, 3, 5), False),
    ("1967-03-05 00:00:00", date(1967, 3, 5), False),
    ("1967-03-05T00:00:00", date(1967, 3, 5), False),
    ("1 ม.ค. 90", date(1947, 1, 1), False),
    ("1-ม.ค.-2490", date(1947, 1, 1), False),
    ("5 Mar 1967", date(1967, 3, 5), False),
    ("01-Jan-1947", date(1947, 1, 1), False),
])
def test_dates_as_thai_lists_write_them(text: str, expected: date, year_only: bool) -> None:
    parsed = parse_thai_date(text, allow_year_only=True, pivot=date(2024, 6, 1))
    assert (parsed.value, parsed.year_only) == (expected, year_only)


@pytest.mark.parametrize("text", ["31/02/2490", "หลังสงกรานต์", "5 ธันวา 99999", "00/00/2490x", "1 Foo 2490"])
def test_unreadable_dates_are_refused(text: str) -> None:
    with pytest.raises(ThaiDateError):
        parse_thai_date(text, allow_year_only=True)


def test_the_date_cache_parses_each_distinct_string_once_and_refuses_future_dates(monkeypatch: Any) -> None:
    calls: list[str] = []
    real = DateCache._parse

    def counting(self: Any, text: str) -> Any:
        calls.append(text)
        return real(self, text)

    monkeypatch.setattr(DateCache, "_parse", counting)
    cache = DateCache(today=date(2024, 6, 1))
    for _ in range(1000):
        assert cache.parse("1 มกราคม 2490") == ("1947-01-01", False)
    assert calls == ["1 มกราคม 2490"]
    with pytest.raises(ValueError, match="2570"):
        cache.parse("1/1/2570")
    with pytest.raises(ValueError):
        cache.parse("1/1/2570")
    assert calls.count("1/1/2570") == 1


@pytest.mark.parametrize("text", [
    "1 มกราคม 2490", "5 มี.ค. 2510", "31 ธ.ค. 2566", "29 ก.พ. 2543", "29 ก.พ. 2542", "5 มี.ค. 1967",
    "05/03/2510", "5/3/1967", "1967-03-05", "2510-03-05", "31/04/2510", "1 มกราคม 2570", "1 มกราคม 1800",
    "0 มกราคม 2490", "1 มกรา 2490", "12 Mar 1967",
])
def test_the_quick_reading_of_common_dates_agrees_with_the_thai_date_parser(text: str) -> None:
    from chumchon.core.thai import ThaiDateError, parse_thai_date

    today = date(2024, 6, 1)
    try:
        parsed = parse_thai_date(text, allow_year_only=True, pivot=today)
        expected: Any = (parsed.value.isoformat(), parsed.year_only) if parsed.value <= today else "future"
    except ThaiDateError:
        expected = "refused"
    try:
        got: Any = DateCache(today=today).parse(text)
    except ValueError as error:
        future = gettext("The birth date %(text)s is in the future.") % {"text": text}
        got = "future" if str(error) == future else "refused"
    assert got == expected


@pytest.mark.parametrize(("text", "title", "rest"), [
    ("นางสาวสมศรี ใจดี", "นางสาว", "สมศรี ใจดี"),
    ("นาง สมศรี ใจดี", "นาง", "สมศรี ใจดี"),
    ("น.ส.มาลี ศรีสุข", "นางสาว", "มาลี ศรีสุข"),
    ("ด.ช. ภูมิ แก้วทอง", "เด็กชาย", "ภูมิ แก้วทอง"),
    ("ด.ญ.ฟ้า แก้วทอง", "เด็กหญิง", "ฟ้า แก้วทอง"),
    ("พระครูสมชาย ใจดี", "พระครู", "สมชาย ใจดี"),
    ("จ.ส.อ. สมชาย ใจดี", "จ่าสิบเอก", "สมชาย ใจดี"),
    ("สมชาย ใจดี", "", "สมชาย ใจดี"),
])
def test_the_title_is_split_from_a_full_name(text: str, title: str, rest: str) -> None:
    assert split_title(text) == (title, rest)


@pytest.mark.parametrize(("text", "phone"), [
    ("081-234-5678", "0812345678"), ("+66 81 234 5678", "0812345678"), ("812345678", "0812345678"),
    ("๐๘๑๒๓๔๕๖๗๘", "0812345678"), ("074-123456", "074123456"),
])
def test_phone_numbers_keep_their_digits_and_the_leading_zero(text: str, phone: str) -> None:
    assert _clean_phone(text) == phone


def resolver(**kwargs: Any) -> AreaResolver:
    options: dict[str, Any] = {"source_area": "931104", "source_level": "subdistrict",
                               "known": {"931104", "93110401"}, "tambons": {"931104", "931101"}, "may_create": True}
    options.update(kwargs)
    return AreaResolver(**options)


def test_a_full_name_row_is_cleaned_with_title_sex_and_thai_digits() -> None:
    columns = resolve_columns(["source_key", "ชื่อ-สกุล", "เลขบัตรประชาชน", "หมู่", "วันเกิด", "เพศ"])
    cleaner = RowCleaner(columns, resolver())
    key, cleaned, raw, digest = cleaner.clean(
        ["K1", "นายสมชาย  ใจดี", "3 5011 00001 23 9", "ม.๑", "๑ ม.ค. ๒๔๙๐", ""], 2)
    assert key == "K1"
    assert cleaned == ("3501100001239", "นาย", "สมชาย", "ใจดี", "", "male", "1947-01-01", False, "", "93110401", "")
    assert raw_decode(raw) == ["K1", "นายสมชาย  ใจดี", "3 5011 00001 23 9", "ม.๑", "๑ ม.ค. ๒๔๙๐", ""]
    assert len(digest) == 16
    assert cleaner.clean(["K2", "นายสมชาย  ใจดี", "3 5011 00001 23 9", "ม.๑", "๑ ม.ค. ๒๔๙๐", ""], 3)[3] == digest
    other_map = RowCleaner(resolve_columns(["source_key", "ชื่อ-สกุล", "เลขบัตรประชาชน", "หมู่", "วันเกิด", "เพศ"],
                                           {"เพศ": "-"}), resolver())
    assert other_map.clean(["K1", "นายสมชาย  ใจดี", "", "1", "", ""], 2)[3] != digest


@pytest.mark.parametrize("cells", [
    ["K1", "สมศรี", "", "1 มกราคม 2490"],
    ["K1", 'มี "คำพูด" และ \\ ทับ', "บรรทัด\nสอง"],
    ["[1]", "ขึ้นต้นด้วยวงเล็บ"],
    ["{x}", ""],
    ["มี\x1fตัวคั่น", "x"],
    [""],
    ["", ""],
])
def test_a_raw_row_reads_back_exactly_as_it_was_written(cells: list[str]) -> None:
    assert raw_decode(raw_encode(cells)) == cells
    assert raw_encode_rows([cells, ["A", "B"]]) == [raw_encode(cells), raw_encode(["A", "B"])]
    assert raw_decode(raw_encode_rows([cells])[0]) == cells


def test_a_record_imported_before_the_cell_format_still_shows_its_cells() -> None:
    assert raw_decode('{"ชื่อ": "สมศรี"}') == {"ชื่อ": "สมศรี"}


@pytest.mark.parametrize(("values", "reason"), [
    (["", "สมชาย", "", "1"], "source_key"),
    (["K1", "สมชาย", "12345", "1"], "13"),
    (["K1", "สมชาย", "", "หมู่บ้านบน"], "หมู่บ้านบน"),
    (["K1", "ก" * 101, "", "1"], "100"),
])
def test_rows_that_cannot_be_imported_are_rejected_with_a_reason(values: list[str], reason: str) -> None:
    cleaner = RowCleaner(resolve_columns(["source_key", "ชื่อ", "เลขบัตรประชาชน", "หมู่"]), resolver())
    with pytest.raises(RowRejected, match=reason):
        cleaner.clean(values, 2)


def test_a_missing_moo_is_created_only_when_the_importer_may_register_villages() -> None:
    areas = resolver()
    assert areas.resolve("", "5", "") == "93110405"
    assert areas.new_villages == {"93110405": ("931104", 5)}
    with pytest.raises(RowRejected):
        resolver(may_create=False).resolve("", "5", "")
    with pytest.raises(RowRejected, match="931101"):
        resolver().resolve("931101", "1", "")  # a real tambon, but not this source's
    assert resolver().resolve("", "", "") == "931104"
    assert resolver().resolve("", "", "93110401") == "93110401"
