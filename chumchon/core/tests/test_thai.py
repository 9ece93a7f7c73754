"""Thai conventions, value by value."""

from __future__ import annotations

from datetime import date

import pytest
from hypothesis import given
from hypothesis import strategies as st

from chumchon.core.thai import (
    NationalIdError,
    ThaiDateError,
    fiscal_year_be,
    format_be,
    format_national_id,
    mask_national_id,
    national_id_check_digit,
    normalize_national_id,
    parse_thai_date,
    thai_sorted,
    to_ascii_digits,
    to_thai_digits,
)


@pytest.mark.parametrize(("first12", "check"), [
    ("350110000123", 9),   # DOMAIN.md worked example: sum 134, 134 mod 11 = 2 → 9
    ("111203456356", 2),   # published example: sum 207, 207 mod 11 = 9 → 2
    ("110120001234", 5),
    ("000000000000", 1),   # remainder 0 → 1
    ("000000000006", 0),   # sum 12, remainder 1 → 0
    ("000000000005", 1),   # sum 10, remainder 10 → 1
])
def test_check_digit_follows_the_dopa_formula(first12, check):
    assert national_id_check_digit(first12) == check


@pytest.mark.parametrize(("typed", "stored"), [
    ("3501100001239", "3501100001239"),
    ("3-5011-00001-23-9", "3501100001239"),
    ("3 5011 00001 23 9", "3501100001239"),
    ("๓-๕๐๑๑-๐๐๐๐๑-๒๓-๙", "3501100001239"),
    ("1112034563562", "1112034563562"),
])
def test_valid_ids_are_normalised(typed, stored):
    assert normalize_national_id(typed) == stored


@pytest.mark.parametrize(("typed", "reason"), [
    ("3501100001238", "หลักตรวจสอบ"),
    ("350110000123", "13 หลัก"),
    ("35011000012399", "13 หลัก"),
    ("35011000012a9", "ตัวเลข"),
    ("", "ตัวเลข"),
])
def test_invalid_ids_get_a_thai_reason(typed, reason):
    with pytest.raises(NationalIdError, match=reason):
        normalize_national_id(typed)


def test_id_formatting_and_masking():
    assert format_national_id("3501100001239") == "3-5011-00001-23-9"
    assert mask_national_id("1101200012345") == "1-1012-xxxxx-xx-5"
    assert mask_national_id("") == ""


@given(st.text(alphabet="0123456789", min_size=12, max_size=12))
def test_every_prefix_with_its_check_digit_is_valid(first12):
    full = first12 + str(national_id_check_digit(first12))
    assert normalize_national_id(full) == full
    wrong = first12 + str((int(full[-1]) + 1) % 10)
    with pytest.raises(NationalIdError):
        normalize_national_id(wrong)


PIVOT = date(2026, 11, 22)


@pytest.mark.parametrize(("typed", "value", "year_only"), [
    ("2510-03-05", date(1967, 3, 5), False),
    ("1967-03-05", date(1967, 3, 5), False),
    ("05/03/2510", date(1967, 3, 5), False),
    ("5/3/2510", date(1967, 3, 5), False),
    ("05/03/1967", date(1967, 3, 5), False),
    ("๐๕/๐๓/๒๕๑๐", date(1967, 3, 5), False),
    ("5/3/10", date(1967, 3, 5), False),        # two-digit years are BE: 2510
    ("5/3/69", date(2026, 3, 5), False),        # 2569
    ("5 มี.ค. 2510", date(1967, 3, 5), False),
    ("5 มีค 2510", date(1967, 3, 5), False),
    ("1 มกราคม 2490", date(1947, 1, 1), False),
    ("12 ธันวาคม พ.ศ. 2500", date(1957, 12, 12), False),
    ("วันพุธที่ 5 มิถุนายน พ.ศ. 2567", date(2024, 6, 5), False),
    ("5 มิ.ย. ค.ศ. 2024", date(2024, 6, 5), False),
    ("2490", date(1947, 1, 1), True),
    ("พ.ศ. 2490", date(1947, 1, 1), True),
    ("1947", date(1947, 1, 1), True),
    ("29/02/2567", date(2024, 2, 29), False),
])
def test_dates_as_thai_field_workers_type_them(typed, value, year_only):
    parsed = parse_thai_date(typed, allow_year_only=True, pivot=PIVOT)
    assert (parsed.value, parsed.year_only) == (value, year_only)


@pytest.mark.parametrize(("typed", "reason"), [
    ("31/02/2510", "ไม่มีวันที่"),
    ("29/02/2566", "ไม่มีวันที่"),
    ("5 มีนา 2510", "ชื่อเดือน"),
    ("สวัสดี", "อ่านวันที่"),
    ("", "กรุณาระบุ"),
    ("05/03/1200", "นอกช่วง"),
])
def test_unreadable_dates_get_a_thai_reason(typed, reason):
    with pytest.raises(ThaiDateError, match=reason):
        parse_thai_date(typed, allow_year_only=True, pivot=PIVOT)


def test_year_only_needs_permission():
    with pytest.raises(ThaiDateError):
        parse_thai_date("2490")


@pytest.mark.parametrize(("value", "style", "shown"), [
    (date(2024, 6, 5), "short", "5 มิ.ย. 2567"),
    (date(2024, 6, 5), "long", "5 มิถุนายน 2567"),
    (date(2024, 6, 5), "numeric", "05/06/2567"),
    (date(1947, 1, 1), "short", "1 ม.ค. 2490"),
])
def test_dates_are_shown_in_buddhist_era(value, style, shown):
    assert format_be(value, style=style) == shown


def test_year_only_dates_show_the_year():
    assert format_be(date(1947, 1, 1), year_only=True) == "2490"


@pytest.mark.parametrize(("day", "fy"), [
    (date(2024, 9, 30), 2567), (date(2024, 10, 1), 2568), (date(2025, 9, 30), 2568),
])
def test_fiscal_year_is_named_by_the_be_year_it_ends(day, fy):
    assert fiscal_year_be(day) == fy


def test_thai_digits_become_ascii():
    assert to_ascii_digits("หมู่ ๑๒ บ้านเลขที่ ๓๔/๕") == "หมู่ 12 บ้านเลขที่ 34/5"


@pytest.mark.parametrize(("words", "ordered"), [
    (["ไก่", "เกิด", "กาล", "เป็ด", "หมู", "วัว", "วันที่"],
     ["กาล", "เกิด", "ไก่", "เป็ด", "วันที่", "วัว", "หมู"]),
    (["สมศรี", "แสง", "โสภา", "สมชาย", "ใส"], ["สมชาย", "สมศรี", "แสง", "โสภา", "ใส"]),
    (["ขวัญ", "กมล", "ฮะ", "อร"], ["กมล", "ขวัญ", "อร", "ฮะ"]),
])
def test_thai_dictionary_order(words, ordered):
    assert thai_sorted(words) == ordered


@given(st.dates(min_value=date(1900, 1, 1), max_value=date(2100, 12, 31)),
       st.sampled_from(["short", "long", "numeric"]))
def test_every_shown_date_reads_back_as_the_same_date(value, style):
    shown = format_be(value, style=style)
    assert parse_thai_date(shown).value == value
    assert parse_thai_date(to_thai_digits(shown)).value == value


@pytest.mark.parametrize(("text", "masked"), [
    ("3501100001239", "3-5011-xxxxx-xx-9"),
    ("ค้น 3-5011-00001-23-9 ด่วน", "ค้น 3-5011-xxxxx-xx-9 ด่วน"),
    ("โทร 081 234 5678", "โทร 081 234 5678"),
    ("บ้านเลขที่ 12/3", "บ้านเลขที่ 12/3"),
])
def test_ids_inside_text_are_masked(text, masked):
    from chumchon.core.thai import mask_ids_in_text

    assert mask_ids_in_text(text) == masked
