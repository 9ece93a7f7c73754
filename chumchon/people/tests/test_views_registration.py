"""Registering and editing people through the pages: the duplicate warning, stale edits, Thai input."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import translation
from django.utils.html import escape

from chumchon.core.errors import StaleEdit
from chumchon.core.models import AuditEntry
from chumchon.people.models import Person
from chumchon.people.services import person_create, person_update
from chumchon.people.tests.test_views import client_for, service_error, valid_id


def edit_url(person: Person) -> str:
    return reverse("people:person_edit", args=[person.pk])


def edit_data(person: Person, **changes: Any) -> dict[str, Any]:
    """What the edit form posts back unchanged, plus ``changes``."""
    data: dict[str, Any] = {
        "version": person.version, "title": person.title, "first_name": person.first_name,
        "last_name": person.last_name, "nickname": person.nickname, "sex": person.sex,
        "birth_date": "12/04/2490", "national_id": person.national_id or "",
        "no_id_reason": person.no_id_reason, "phone": person.phone,
        "relation_to_head": person.relation_to_head, "health_coverage": person.health_coverage,
        "status": person.status,
    }
    data.update(changes)
    return {key: value for key, value in data.items() if value is not None}


def stale_message() -> str:
    with translation.override("th"):
        return escape(str(StaleEdit().messages[0]))


# ---------------------------------------------------------------------------
# Edit
# ---------------------------------------------------------------------------


def test_edit_form_shows_birth_date_in_be_and_the_version(officer, person_a):
    response = client_for(officer).get(edit_url(person_a))
    assert response.status_code == 200
    html = response.content.decode()
    assert 'value="12/04/2490"' in html
    assert f'name="version" value="{person_a.version}"' in html
    assert 'value="3501100001239"' in html  # the officer may see the full ID
    assert html.count('name="disability_types"') == 7


def test_edit_form_shows_only_the_be_year_when_year_only(officer, person_a):
    person_update(actor=officer, person=person_a, birth_date="2490")
    html = client_for(officer).get(edit_url(person_a)).content.decode()
    assert 'value="2490"' in html and "01/01/2490" not in html


def test_volunteer_edit_form_hides_the_full_id_and_keeps_it_when_left_empty(volunteer, person_a):
    client = client_for(volunteer)
    html = client.get(edit_url(person_a)).content.decode()
    assert "3501100001239" not in html and "3-5011-xxxxx-xx-9" in html
    response = client.post(edit_url(person_a), edit_data(person_a, national_id="", nickname="ศรีจ๋า"))
    assert response.status_code == 302
    person_a.refresh_from_db()
    assert (person_a.national_id, person_a.nickname) == ("3501100001239", "ศรีจ๋า")


def test_edit_saves_thai_digits_checkboxes_and_allowances(officer, person_a):
    response = client_for(officer).post(edit_url(person_a), edit_data(
        person_a, birth_date="๑๒/๐๔/๒๔๙๑", phone="๐๘๑๒๓๔๕๖๗๘", has_disability_card="on",
        disability_types=["3", "4"], allowances=["elderly", "disability"], is_bedbound="on"))
    assert response.status_code == 302
    assert response["Location"] == reverse("people:person_detail", args=[person_a.pk])
    person_a.refresh_from_db()
    assert person_a.birth_date.isoformat() == "1948-04-12"
    assert person_a.phone == "0812345678"
    assert person_a.disability_types == [3, 4] and person_a.is_disabled
    assert person_a.allowances == ["disability", "elderly"]
    assert person_a.is_bedbound and person_a.version == 2
    assert AuditEntry.objects.filter(verb="person.update", object_id=str(person_a.pk)).exists()


def test_stale_edit_shows_the_message_keeps_the_input_and_changes_nothing(officer, volunteer, person_a):
    opened = edit_data(person_a, nickname="ชื่อเล่นใหม่จากฟอร์มเก่า")
    person_update(actor=officer, person=person_a, version=person_a.version, nickname="ศรีจ๋า")
    response = client_for(volunteer).post(edit_url(person_a), opened)
    assert response.status_code == 200
    html = response.content.decode()
    assert stale_message() in html
    assert html.index(stale_message()) < html.index('name="first_name"')  # at the top of the form
    assert 'value="ชื่อเล่นใหม่จากฟอร์มเก่า"' in html
    person_a.refresh_from_db()
    assert person_a.nickname == "ศรีจ๋า" and person_a.version == 2


def test_service_errors_are_shown_at_the_field(officer, person_a):
    response = client_for(officer).post(edit_url(person_a), edit_data(person_a, national_id="1101200012346",
                                                                      birth_date="31/02/2500"))
    html = response.content.decode()
    assert response.status_code == 200
    bad_id = service_error(lambda: person_update(actor=officer, person=person_a, national_id="1101200012346"),
                           "national_id")
    bad_date = service_error(lambda: person_update(actor=officer, person=person_a, birth_date="31/02/2500"),
                             "birth_date")
    assert bad_id in html and bad_date in html
    person_a.refresh_from_db()
    assert person_a.national_id == "3501100001239" and person_a.version == 1


@pytest.mark.parametrize("method", ["get", "post"])
def test_outsider_and_coordinator_get_404_on_edit(outsider, coordinator, person_a, method):
    for user in (outsider, coordinator):
        response = getattr(client_for(user), method)(edit_url(person_a), edit_data(person_a, nickname="x"))
        assert response.status_code == 404
    person_a.refresh_from_db()
    assert person_a.nickname == "ศรี"


# ---------------------------------------------------------------------------
# Add a member, duplicates
# ---------------------------------------------------------------------------


def member_url(household: Any) -> str:
    return reverse("people:member_new", args=[household.pk])


def duplicates(client: Client, **params: Any) -> str:
    return client.get(reverse("people:duplicates"), params, headers={"HX-Request": "true"}).content.decode()


def test_add_member_form_watches_for_duplicates(volunteer, household_a):
    response = client_for(volunteer).get(member_url(household_a))
    assert response.status_code == 200
    html = response.content.decode()
    assert f'hx-get="{reverse("people:duplicates")}"' in html
    assert f'name="area" value="{household_a.area_code}"' in html


def test_add_member_with_thai_digits(volunteer, household_a):
    response = client_for(volunteer).post(member_url(household_a), {
        "title": "นาย", "first_name": "มานะ", "last_name": "ใจดี", "birth_date": "๐๕/๐๓/๒๕๑๐",
        "national_id": "๑-๑๐๑๒-๐๐๐๑๒-๓๔-๕", "relation_to_head": "spouse", "health_coverage": "ucs",
    })
    assert response.status_code == 302
    assert response["Location"] == reverse("people:household_detail", args=[household_a.pk])
    person = Person.objects.get(first_name="มานะ")
    assert person.national_id == "1101200012345"
    assert person.birth_date is not None and person.birth_date.isoformat() == "1967-03-05"
    assert (person.household, person.relation_to_head) == (household_a, "spouse")


def test_duplicate_box_for_the_same_national_id(volunteer, person_a, household_a):
    html = duplicates(client_for(volunteer), area=household_a.area_code, first_name="ใครก็ได้",
                      national_id="3-5011-00001-23-9")
    assert "นางสมศรี ใจดี" in html and "หมู่ 1 บ้านลำสินธุ์" in html
    assert reverse("people:person_detail", args=[person_a.pk]) in html
    assert 'name="confirm_new"' in html


def test_duplicate_box_for_a_similar_name_born_the_same_year(volunteer, person_a, household_a):
    client = client_for(volunteer)
    html = duplicates(client, area=household_a.area_code, first_name="สมศรี", last_name="ใจดี",
                      birth_date="๒๔๙๐")
    assert "นางสมศรี ใจดี" in html
    other_year = duplicates(client, area=household_a.area_code, first_name="สมศรี", last_name="ใจดี",
                            birth_date="2520")
    assert "สมศรี" not in other_year
    half_typed = duplicates(client, area=household_a.area_code, first_name="สมศรี", birth_date="12/0")
    assert "สมศรี" not in half_typed


def test_duplicate_box_shows_nothing_of_ours_to_outsider_or_coordinator(outsider, coordinator, person_a,
                                                                       other_village, household_a):
    for user, area in ((outsider, other_village.code), (outsider, household_a.area_code),
                       (coordinator, household_a.area_code)):
        html = duplicates(client_for(user), area=area, first_name="สมศรี", last_name="ใจดี",
                          birth_date="2490", national_id="3501100001239")
        assert "สมศรี" not in html


def test_possible_duplicate_blocks_the_save_until_confirmed(volunteer, person_a, household_a):
    client = client_for(volunteer)
    data = {"first_name": "สมศรี", "last_name": "ใจดี", "birth_date": "1/1/2490", "no_id_reason": "unknown"}
    response = client.post(member_url(household_a), data)
    assert response.status_code == 200
    html = response.content.decode()
    assert "นางสมศรี ใจดี" in html and 'name="confirm_new"' in html
    assert 'value="1/1/2490"' in html  # the typed input is kept
    assert Person.objects.filter(first_name="สมศรี").count() == 1
    response = client.post(member_url(household_a), {**data, "confirm_new": "on"})
    assert response.status_code == 302
    assert Person.objects.filter(first_name="สมศรี").count() == 2


def test_same_id_is_refused_by_the_service_even_when_confirmed(volunteer, person_a, household_a):
    client = client_for(volunteer)
    data = {"first_name": "สมหญิง", "national_id": "3501100001239"}
    blocked = client.post(member_url(household_a), data).content.decode()
    assert "นางสมศรี ใจดี" in blocked
    refused = client.post(member_url(household_a), {**data, "confirm_new": "on"}).content.decode()
    taken = service_error(lambda: person_create(actor=volunteer, household=household_a, confirm_new=True,
                                                first_name="สมหญิง", national_id="3501100001239"), "national_id")
    assert taken in refused
    assert not Person.objects.filter(first_name="สมหญิง").exists()


def test_outsider_and_coordinator_get_404_on_add_member(outsider, coordinator, household_a):
    for user in (outsider, coordinator):
        client = client_for(user)
        assert client.get(member_url(household_a)).status_code == 404
        assert client.post(member_url(household_a), {"first_name": "แอบ", "no_id_reason": "unknown",
                                                      "confirm_new": "on"}).status_code == 404
    assert not Person.objects.filter(first_name="แอบ").exists()


# ---------------------------------------------------------------------------
# A person without a household
# ---------------------------------------------------------------------------


def test_new_person_without_household_in_a_chosen_village(volunteer, village_a):
    client = client_for(volunteer)
    url = reverse("people:person_new")
    html = client.get(url, {"area": village_a.code}).content.decode()
    assert "หมู่ 1 บ้านลำสินธุ์" in html
    response = client.post(f"{url}?area={village_a.code}", {
        "area": village_a.code, "first_name": "ลุงแก้ว", "birth_date": "2480",
        "national_id": valid_id("310120001234"),
    })
    assert response.status_code == 302
    person = Person.objects.get(first_name="ลุงแก้ว")
    assert person.household is None and person.area_id == village_a.code and person.birth_year_only


def test_new_person_in_a_village_outside_reach_is_404(volunteer, outsider, village_a, village_b):
    assert client_for(volunteer).get(reverse("people:person_new"), {"area": village_b.code}).status_code == 404
    assert client_for(outsider).get(reverse("people:person_new"), {"area": village_a.code}).status_code == 404
    response = client_for(outsider).post(reverse("people:person_new"), {
        "area": village_a.code, "first_name": "แอบ", "no_id_reason": "unknown", "confirm_new": "on"})
    assert response.status_code == 200
    assert not Person.objects.filter(first_name="แอบ").exists()
