from __future__ import annotations

from datetime import date

from chumchon.people.selectors import Group, duplicate_candidates, person_counts, person_groups, person_list
from chumchon.people.services import household_create, person_create


def _person(officer, household, first, **extra):
    extra.setdefault("no_id_reason", "unknown")
    return person_create(actor=officer, household=household, first_name=first, **extra)


def test_people_come_back_in_thai_dictionary_order_on_any_database(officer, household_a):
    for name in ["ไก่", "เกิด", "กาล", "เป็ด", "หมู", "วัว", "วันที่"]:
        _person(officer, household_a, name, last_name="ทดสอบ")
    assert [p.first_name for p in person_list(user=officer)] == [
        "กาล", "เกิด", "ไก่", "เป็ด", "วันที่", "วัว", "หมู"]


def test_search_by_part_of_a_name_nickname_id_or_house_number(officer, person_a):
    for text in ["สมศ", "ใจดี", "ศรี", "3501100001239", "3-5011-00001-23-9", "12/3", "นาง สมศรี"]:
        assert [p.pk for p in person_list(user=officer, q=text)] == [person_a.pk], text
    assert list(person_list(user=officer, q="ไม่มีใคร")) == []


def test_groups_are_derived_from_birth_date_and_recorded_flags(officer, household_a):
    child = _person(officer, household_a, "น้องเล็ก", birth_date="01/01/2566")
    elder = _person(officer, household_a, "ยายแก้ว", birth_date="2480", is_bedbound=True)
    disabled = _person(officer, household_a, "ชายพิการ", birth_date="2530", disability_types=[3])
    on = date(2026, 11, 22)
    assert person_groups(child, on=on) == [Group.CHILD]
    assert person_groups(elder, on=on) == [Group.ELDER, Group.BEDBOUND]
    assert person_groups(disabled, on=on) == [Group.DISABLED]
    assert [p.first_name for p in person_list(user=officer, group=Group.BEDBOUND)] == ["ยายแก้ว"]
    counts = person_counts(user=officer)[0]
    assert (counts.total, counts.groups["child"], counts.groups["elder"], counts.groups["disabled"]) == (3, 1, 1, 1)


def test_duplicate_check_finds_same_id_and_similar_name_same_year(officer, person_a, village_a):
    same_id = duplicate_candidates(user=officer, area_code=village_a.code, national_id="3501100001239")
    assert [(c.person.pk, c.reason) for c in same_id] == [(person_a.pk, "same_national_id")]
    similar = duplicate_candidates(user=officer, area_code=village_a.code, first_name="สมศรี",
                                   last_name="ใจดีย์", birth_year=1947)
    assert [(c.person.pk, c.reason) for c in similar] == [(person_a.pk, "similar_name_same_year")]
    other_year = duplicate_candidates(user=officer, area_code=village_a.code, first_name="สมศรี",
                                      last_name="ใจดี", birth_year=1960)
    assert other_year == []


def test_duplicate_check_shows_the_outsider_nothing(outsider, person_a, village_a):
    assert duplicate_candidates(user=outsider, area_code=village_a.code, national_id="3501100001239") == []


def test_moved_household_search_text_follows_the_house_number(officer, person_a, village_b):
    from chumchon.people.services import person_move

    target = household_create(actor=officer, area_code=village_b.code, house_no="88")
    person_move(actor=officer, person=person_a, to_household=target)
    assert [p.pk for p in person_list(user=officer, q="88")] == [person_a.pk]


def test_part_of_a_national_id_finds_nobody(officer, person_a):
    """A masked ID shows 1-5011-xxxxx-xx-9; guessing the hidden digits must never narrow it down."""
    for text in ["35011", "350110", "3501100001", "1239", "350110000123"]:
        assert list(person_list(user=officer, q=text)) == [], text
    assert list(person_list(user=officer, q="3501100001238")) == []  # wrong check digit


def test_search_text_holds_no_national_id(person_a):
    assert "3501100001239" not in person_a.search_text
