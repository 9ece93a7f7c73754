"""The registry after a merge, and the fast Thai-aware duplicate check at entry."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from chumchon.conftest import PASSWORD
from chumchon.linkage.services.merge import person_merge
from chumchon.linkage.tests.helpers import make_person
from chumchon.people.matchkeys import dup_key, fold_thai_name, name_sound, strip_title
from chumchon.people.models import Person
from chumchon.people.selectors import duplicate_candidates, person_counts, person_list
from chumchon.people.services import person_move, person_update

pytestmark = pytest.mark.django_db


def _client(user: Any) -> Client:
    client = Client()
    assert client.login(username=user.username, password=PASSWORD)
    return client


@pytest.fixture
def merged_pair(officer: Any, person_a: Person, village_b: Any) -> tuple[Person, Person]:
    twin = make_person(village_b, "สมสี", "ใจดี", birth_date=date(1947, 1, 1), birth_year_only=True)
    person_merge(actor=officer, keep_id=person_a.pk, merge_id=twin.pk)
    twin.refresh_from_db()
    return person_a, twin


def test_merged_person_is_left_out_of_lists_search_and_counts(officer: Any, merged_pair: Any) -> None:
    kept, _twin = merged_pair
    assert list(person_list(user=officer, status="")) == [kept]
    assert list(person_list(user=officer)) == [kept]
    assert list(person_list(user=officer, q="ใจดี", status="")) == [kept]
    assert sum(row.total for row in person_counts(user=officer)) == 1


def test_merged_person_is_left_out_of_the_duplicate_check(officer: Any, merged_pair: Any, village_b: Any) -> None:
    kept, _twin = merged_pair
    found = duplicate_candidates(user=officer, area_code=village_b.code, first_name="สมสี", last_name="ใจดี",
                                 birth_year=1947)
    assert [c.person for c in found] == [kept]


def test_merged_persons_page_redirects_to_the_kept_person(officer: Any, merged_pair: Any) -> None:
    kept, twin = merged_pair
    response = _client(officer).get(reverse("people:person_detail", args=[twin.pk]))
    assert response.status_code == 302
    assert response["Location"] == reverse("people:person_detail", args=[kept.pk])


def test_the_api_gives_a_merged_record_the_id_it_now_lives_on(officer: Any, merged_pair: Any) -> None:
    kept, twin = merged_pair
    client = _client(officer)
    merged = client.get(f"/api/v1/persons/{twin.pk}").json()
    assert merged["merged_into"] == kept.pk and merged["status"] == "merged"
    assert client.get(f"/api/v1/persons/{kept.pk}").json()["merged_into"] is None


def test_the_api_does_not_name_a_record_outside_the_callers_area(merged_pair: Any, village_b: Any) -> None:
    from chumchon.accounts.roles import Role
    from chumchon.conftest import make_user

    kept, twin = merged_pair  # kept in village 1, the merged twin in village 2
    neighbour = make_user("vol_b", Role.VOLUNTEER, village_b.code)
    client = _client(neighbour)
    seen = client.get(f"/api/v1/persons/{twin.pk}")
    assert seen.status_code == 200 and seen.json()["merged_into"] is None
    assert client.get(f"/api/v1/persons/{kept.pk}").status_code == 404
    # The page of the merged record leads nowhere for them either: 404, not a redirect naming the kept one.
    assert client.get(reverse("people:person_detail", args=[twin.pk])).status_code == 404


def test_outsider_gets_404_for_a_merged_persons_page(outsider: Any, merged_pair: Any) -> None:
    _kept, twin = merged_pair
    assert _client(outsider).get(reverse("people:person_detail", args=[twin.pk])).status_code == 404


# --- Thai normalisation and keys ---------------------------------------------------------------

@pytest.mark.parametrize(("one", "two"), [
    ("สมศักดิ์", "สมสัก"), ("ณัฐพล", "นัฐพล"), ("ศรีสุข", "สีสุข"), ("จันทร์", "จัน"), ("ธนา", "ทนา"),
    ("ภูมิ", "พูมิ"), ("ญาดา", "ยาดา"), ("สุวรรณ", "สุวัน"),
])
def test_names_that_sound_alike_share_a_sound(one: str, two: str) -> None:
    assert name_sound(one) == name_sound(two)


@pytest.mark.parametrize(("name", "title", "rest"), [
    ("นางสาวมาลี", "นางสาว", "มาลี"), ("น.ส.มาลี", "น.ส.", "มาลี"), ("นายสมชาย", "นาย", "สมชาย"),
    ("มาลี", "", "มาลี"),
])
def test_titles_are_split_from_names(name: str, title: str, rest: str) -> None:
    assert strip_title(name) == (title, rest)


def test_folding_drops_tone_marks_and_silent_letters_and_similar_letters() -> None:
    assert fold_thai_name("สมศักดิ์") == fold_thai_name("สมสัก")
    assert fold_thai_name("นายสมศักดิ์", has_title=True) == "สมสัก"
    assert fold_thai_name("ไก่") == "ไก"


def test_dup_key_is_empty_without_a_birth_year_or_name() -> None:
    assert dup_key("93110401", None, "สมชาย") == ""
    assert dup_key("93110401", 1950, "") == ""
    assert dup_key("93110401", 1950, "สมชาย").startswith("931104|1950|")


def test_keys_follow_edits_and_moves(officer: Any, person_a: Person, other_village: Any) -> None:
    from chumchon.accounts.roles import Role
    from chumchon.accounts.services import membership_grant

    assert person_a.dup_key_first.startswith("931104|1947|")
    person_update(actor=officer, person=person_a, birth_date="1960")
    person_a.refresh_from_db()
    assert person_a.dup_key_first.startswith("931104|1960|")
    membership_grant(actor=None, user=officer, area_code=other_village.code, role=Role.TAMBON_OFFICER)
    person_move(actor=officer, person=person_a, to_area_code=other_village.code)
    person_a.refresh_from_db()
    assert person_a.dup_key_last.startswith(other_village.code[:6] + "|1960|")


@pytest.mark.parametrize(("first", "last"), [
    ("สมสี", "ใจดี"), ("สมศรี", "ใจดี"), ("สมศรี", "ไจดี"), ("ศมศรี", "ใจดี"), ("สมสรี", "ใจดีย์"),
])
def test_duplicate_check_finds_thai_spelling_variants(officer: Any, person_a: Person, village_b: Any,
                                                     first: str, last: str) -> None:
    found = duplicate_candidates(user=officer, area_code=village_b.code, first_name=first, last_name=last,
                                 birth_year=1947)
    assert [c.person for c in found] == [person_a]


def test_duplicate_check_leaves_out_other_years_and_other_names(officer: Any, person_a: Person,
                                                               village_b: Any) -> None:
    assert duplicate_candidates(user=officer, area_code=village_b.code, first_name="สมศรี", last_name="ใจดี",
                                birth_year=1950) == []
    assert duplicate_candidates(user=officer, area_code=village_b.code, first_name="บุญมา", last_name="ทองคำ",
                                birth_year=1947) == []


def test_duplicate_check_in_another_tambon_finds_nothing(outsider: Any, person_a: Person, other_village: Any) -> None:
    assert duplicate_candidates(user=outsider, area_code=other_village.code, first_name="สมศรี",
                                last_name="ใจดี", birth_year=1947) == []


def test_a_merged_record_cannot_be_edited_or_moved(officer: Any, merged_pair: Any, village_a: Any) -> None:
    from django.core.exceptions import ValidationError

    _kept, twin = merged_pair
    with pytest.raises(ValidationError):
        person_update(actor=officer, person=twin, phone="0811111111")
    with pytest.raises(ValidationError):
        person_move(actor=officer, person=twin, to_area_code=village_a.code)


def test_status_merged_cannot_be_set_by_hand(officer: Any, person_a: Person) -> None:
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError) as refused:
        person_update(actor=officer, person=person_a, status="merged")
    assert "status" in refused.value.message_dict
    person_a.refresh_from_db()
    assert person_a.status == "active"
