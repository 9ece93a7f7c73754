"""Thai normalisation for linkage, value by value."""

from __future__ import annotations

from datetime import date

import pytest

from chumchon.linkage.normalise import (
    BirthParts,
    birth_agreement,
    birth_parts,
    blocking_keys,
    clean_national_id,
    fold_name,
    id_repairs,
    is_valid_id,
    name_keys,
    one_slip_apart,
    sex_hint,
    split_title,
)

VALID_ID = "3501100001239"


@pytest.mark.parametrize(("title", "first_name", "expected"), [
    ("นาย", "สมชาย", ("นาย", "male", "สมชาย")),
    ("น.ส.", "สมศรี", ("นางสาว", "female", "สมศรี")),
    ("นส.", "สมศรี", ("นางสาว", "female", "สมศรี")),
    ("นางสาว", "สมศรี", ("นางสาว", "female", "สมศรี")),
    ("ด.ช.", "ภูมิ", ("เด็กชาย", "male", "ภูมิ")),
    ("ด.ญ.", "ฟ้า", ("เด็กหญิง", "female", "ฟ้า")),
    ("", "นางสาวสมศรี", ("นางสาว", "female", "สมศรี")),
    ("", "น.ส.สมศรี", ("นางสาว", "female", "สมศรี")),
    ("", "นางสมศรี", ("นาง", "female", "สมศรี")),
    ("", "นายสมชาย", ("นาย", "male", "สมชาย")),
    ("", "เด็กหญิงฟ้า", ("เด็กหญิง", "female", "ฟ้า")),
    ("", "ด.ช. ภูมิ", ("เด็กชาย", "male", "ภูมิ")),
    ("", "สมศรี", ("", "", "สมศรี")),
    ("", "นายก", ("", "", "นายก")),  # too short to be title + name
    ("", "นาวี", ("", "", "นาวี")),
    ("Mr.", "Somchai", ("นาย", "male", "Somchai")),
    ("ดร.", "สมชาย", ("ดร.", "", "สมชาย")),  # another title is kept as typed, no sex hint
])
def test_titles_are_split_from_the_name_and_made_canonical(title: str, first_name: str,
                                                            expected: tuple[str, str, str]) -> None:
    assert tuple(split_title(title, first_name)) == expected


@pytest.mark.parametrize(("sex", "title_sex", "expected"), [
    ("ชาย", "", "male"), ("หญิง", "", "female"), ("M", "", "male"), ("F", "", "female"),
    ("female", "male", "female"), ("", "female", "female"), ("", "", ""), ("?", "male", "male"),
])
def test_sex_comes_from_the_column_or_else_the_title(sex: str, title_sex: str, expected: str) -> None:
    assert sex_hint(sex, title_sex) == expected


@pytest.mark.parametrize(("one", "two"), [
    ("สมศักดิ์", "สมสัก"),  # การันต์ and ศ/ส
    ("สมศักดิ์", "สมศักด์"),  # การันต์ with or without the vowel under it
    ("ณัฐวุฒิ", "นัทวุทิ"),  # ณ/น, ฐ/ท, ฒ/ท
    ("ธนพล", "ทนพล"),
    ("ภานุ", "พานุ"),
    ("ก่ำ", "กำ"),  # tone mark dropped
    ("กํ่า", "ก่ำ"),  # ำ typed as ํ + า around the tone mark
    ("ที่", "ท่ี"),  # tone typed before the vowel
    ("เก็บ", "เกบ"),  # ไม้ไต่คู้
    ("ใจดี", "ไจดี"),
    ("แก้ว", "เเก้ว"),  # แ typed as two เ
    ("สมศรี", "ซมศรี"),  # ซ sounds as ส
    ("ธรรมเพชร", "ทรรมมเพชร"),  # a letter typed twice
    ("ที", "ทีี"),
    ("ญาดา", "ยาดา"),
    ("จุฬา", "จุลา"),
    ("สม ศรี", "สมศรี"),
    ("ประเสริฐ", "ประเสริท"),
])
def test_spelling_variants_of_one_name_fold_to_the_same_key(one: str, two: str) -> None:
    assert fold_name(one) == fold_name(two)


@pytest.mark.parametrize(("one", "two"), [("สมชาย", "สมศรี"), ("มาลี", "มานี"), ("แก้ว", "ทอง")])
def test_different_names_stay_different(one: str, two: str) -> None:
    assert fold_name(one) != fold_name(two)


def test_name_keys_give_the_folded_name_and_three_soundex_codes() -> None:
    keys = name_keys("สมศักดิ์")
    assert keys.folded == "สมสัก"
    assert keys == name_keys("สมสัก")
    assert keys.lk82 and keys.udom83 and keys.metasound
    assert name_keys("") == ("", "", "", "")
    assert blocking_keys("สมศักดิ์") == (keys.folded, keys.lk82, keys.metasound)


@pytest.mark.parametrize(("value", "year_only", "expected"), [
    (date(1950, 3, 12), False, BirthParts(1950, 3, 12)),
    (date(1950, 1, 1), False, BirthParts(1950, None, None)),  # 1 January: a placeholder
    (date(1950, 6, 1), True, BirthParts(1950, None, None)),
    (date(2493, 3, 12), False, BirthParts(1950, 3, 12)),  # a BE year stored as if CE
    (None, False, BirthParts(None, None, None)),
])
def test_birth_parts_read_1_january_as_year_only_and_be_as_ce(value: date | None, year_only: bool,
                                                             expected: BirthParts) -> None:
    assert birth_parts(value, year_only) == expected


@pytest.mark.parametrize(("one", "two", "expected"), [
    (BirthParts(1950, 3, 12), BirthParts(1950, 3, 12), "exact"),
    (BirthParts(1950, 3, 12), BirthParts(1950, None, None), "year"),
    (BirthParts(1950, 3, 12), BirthParts(1950, 4, 2), "month_day_differ"),
    (BirthParts(1950, 3, 12), BirthParts(1951, 3, 12), "near"),
    (BirthParts(1950, 3, 12), BirthParts(1960, 3, 12), "far"),
    (BirthParts(None, None, None), BirthParts(1960, 3, 12), "unknown"),
])
def test_birth_agreement_levels(one: BirthParts, two: BirthParts, expected: str) -> None:
    assert birth_agreement(one, two) == expected


def test_national_id_digits_are_cleaned_and_checked() -> None:
    assert clean_national_id("3-5011-00001-23-9") == VALID_ID
    assert clean_national_id("๓๕๐๑๑๐๐๐๐๑๒๓๙") == VALID_ID
    assert is_valid_id(VALID_ID)
    assert not is_valid_id("3501100001238")
    assert not is_valid_id("350110000123")


def test_an_id_with_one_wrong_digit_can_be_repaired() -> None:
    wrong = VALID_ID[:5] + "9" + VALID_ID[6:]
    assert not is_valid_id(wrong)
    assert VALID_ID in id_repairs(wrong)
    assert all(is_valid_id(candidate) for candidate in id_repairs(wrong))


def test_an_id_with_two_swapped_digits_can_be_repaired() -> None:
    swapped = VALID_ID[:9] + VALID_ID[10] + VALID_ID[9] + VALID_ID[11:]
    assert swapped != VALID_ID and not is_valid_id(swapped)
    assert VALID_ID in id_repairs(swapped)


def test_repairs_are_exactly_the_valid_ids_one_slip_away() -> None:
    wrong = "1101700230706"
    brute = set()
    for index in range(13):
        for digit in "0123456789":
            candidate = wrong[:index] + digit + wrong[index + 1:]
            if candidate != wrong and is_valid_id(candidate):
                brute.add(candidate)
    for index in range(12):
        candidate = wrong[:index] + wrong[index + 1] + wrong[index] + wrong[index + 2:]
        if candidate != wrong and is_valid_id(candidate):
            brute.add(candidate)
    assert set(id_repairs(wrong)) == brute


def test_valid_or_short_ids_are_not_repaired() -> None:
    assert id_repairs(VALID_ID) == []
    assert id_repairs("12345") == []
    assert id_repairs("") == []


def test_one_slip_apart_means_one_digit_or_one_adjacent_swap() -> None:
    assert one_slip_apart("1234", "1234")
    assert one_slip_apart("1234", "1284")
    assert one_slip_apart("1234", "1324")
    assert not one_slip_apart("1234", "4231")
    assert not one_slip_apart("1234", "1299")
    assert not one_slip_apart("1234", "123")
