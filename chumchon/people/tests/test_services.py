from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from django.http import Http404

from chumchon.core.errors import StaleEdit
from chumchon.core.models import AuditEntry
from chumchon.people.models import Person, PersonMove
from chumchon.people.services import household_create, person_create, person_move, person_update


def test_person_create_stores_clean_fields_and_audits(person_a, officer):
    assert person_a.national_id == "3501100001239"
    assert str(person_a.birth_date) == "1947-04-12"
    assert person_a.area_id == "93110401"
    entry = AuditEntry.objects.get(verb="person.create", object_id=str(person_a.pk))
    assert entry.actor == officer
    assert entry.area_code == "93110401"
    assert entry.data["after"]["first_name"] == "สมศรี"


def test_person_create_accepts_thai_digits_in_national_id(officer, household_a):
    person = person_create(actor=officer, household=household_a, first_name="มานะ",
                           national_id="๑-๑๐๑๒-๐๐๐๑๒-๓๔-๕", birth_date="2560")
    assert person.national_id == "1101200012345"
    assert person.birth_year_only is True
    assert str(person.birth_date) == "2017-01-01"


def test_invalid_check_digit_is_refused_with_a_thai_message(officer, household_a):
    with pytest.raises(ValidationError) as err:
        person_create(actor=officer, household=household_a, first_name="มานะ", national_id="1101200012346")
    assert "หลักตรวจสอบ" in err.value.message_dict["national_id"][0]
    assert not Person.objects.filter(first_name="มานะ").exists()


def test_future_birth_date_is_refused(officer, household_a):
    with pytest.raises(ValidationError) as err:
        person_create(actor=officer, household=household_a, first_name="มานะ", no_id_reason="unknown",
                      birth_date="01/01/2600")
    assert "อนาคต" in err.value.message_dict["birth_date"][0]


def test_outsider_cannot_register_in_our_village(outsider, village_a):
    with pytest.raises(Http404):
        household_create(actor=outsider, area_code=village_a.code, house_no="99")


def test_duplicate_house_number_in_a_village_is_refused(officer, household_a, village_a):
    with pytest.raises(ValidationError) as err:
        household_create(actor=officer, area_code=village_a.code, house_no="12/3")
    assert "มีอยู่แล้ว" in err.value.message_dict["house_no"][0]


def test_stale_edit_is_refused_and_changes_nothing(officer, person_a):
    opened_version = person_a.version
    person_update(actor=officer, person=person_a, version=opened_version, nickname="ศรีจ๋า")
    stale = Person.objects.get(pk=person_a.pk)
    with pytest.raises(StaleEdit):
        person_update(actor=officer, person=stale, version=opened_version, nickname="อื่น")
    assert Person.objects.get(pk=person_a.pk).nickname == "ศรีจ๋า"


def test_person_move_keeps_history(officer, person_a, village_b):
    target = household_create(actor=officer, area_code=village_b.code, house_no="5")
    person_move(actor=officer, person=person_a, to_household=target, relation_to_head="parent")
    person_a.refresh_from_db()
    assert person_a.area_id == village_b.code
    move = PersonMove.objects.get(person=person_a)
    assert (move.from_area_id, move.to_area_id) == ("93110401", village_b.code)


def test_nan_coordinate_is_a_field_error_not_a_crash(officer, village_a):
    with pytest.raises(ValidationError) as err:
        household_create(actor=officer, area_code=village_a.code, house_no="1", latitude="NaN")
    assert "latitude" in err.value.message_dict


def test_house_code_may_be_typed_with_dashes(officer, village_a):
    household = household_create(actor=officer, area_code=village_a.code, house_no="2", house_code="9311-012345-6")
    assert household.house_code == "93110123456"


def test_control_characters_are_removed_from_names(officer, household_a):
    person = person_create(actor=officer, household=household_a, first_name="สม\x00ใจ", no_id_reason="unknown")
    assert person.first_name == "สมใจ"


def test_moving_to_another_tambon_is_written_in_the_receiving_tambons_log(officer, person_a, other_village):
    person_move(actor=officer, person=person_a, to_area_code=other_village.code)
    entries = AuditEntry.objects.filter(object_id=str(person_a.pk), verb__startswith="person.move")
    assert {(e.verb, e.area_code) for e in entries} == {
        ("person.move", "93110401"), ("person.move_in", other_village.code)}


def test_a_possible_duplicate_is_not_saved_until_confirmed(officer, person_a, household_a):
    from chumchon.core.errors import PossibleDuplicate

    with pytest.raises(PossibleDuplicate) as err:
        person_create(actor=officer, household=household_a, first_name="สมศรี", last_name="ใจดี",
                      birth_date="2490", no_id_reason="unknown")
    assert [c.person.pk for c in err.value.candidates] == [person_a.pk]
    assert "confirm_new" in err.value.message_dict
    assert Person.objects.filter(first_name="สมศรี").count() == 1
    person_create(actor=officer, household=household_a, first_name="สมศรี", last_name="ใจดี",
                  birth_date="2490", no_id_reason="unknown", confirm_new=True)
    assert Person.objects.filter(first_name="สมศรี").count() == 2


def test_move_date_may_be_typed_in_be_with_thai_digits(officer, person_a, village_b):
    target = household_create(actor=officer, area_code=village_b.code, house_no="9")
    move = person_move(actor=officer, person=person_a, to_household=target, moved_on="๐๑/๐๓/๒๕๖๘")
    assert str(move.moved_on) == "2025-03-01"


def test_unreadable_move_date_is_a_field_error(officer, person_a, village_b):
    target = household_create(actor=officer, area_code=village_b.code, house_no="10")
    with pytest.raises(ValidationError) as err:
        person_move(actor=officer, person=person_a, to_household=target, moved_on="31/02/2568")
    assert "moved_on" in err.value.message_dict
