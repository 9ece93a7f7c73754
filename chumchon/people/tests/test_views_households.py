"""Household pages and moving people: scope, Thai order, stale edits, the household picker."""

from __future__ import annotations

from typing import Any

import pytest
from django.urls import reverse
from django.utils import translation
from django.utils.html import escape
from django.utils.translation import gettext_lazy

from chumchon.core.errors import StaleEdit
from chumchon.people.models import Household, Person, PersonMove, Relation
from chumchon.people.services import household_create, household_update, person_create, person_move
from chumchon.people.tests.test_views import client_for, service_error, th


@pytest.fixture
def household_b(officer: Any, village_b: Any) -> Household:
    return household_create(actor=officer, area_code=village_b.code, house_no="45", soi="ร่วมใจ")


# ---------------------------------------------------------------------------
# New household
# ---------------------------------------------------------------------------


def test_new_household_offers_only_villages_the_user_may_edit(volunteer, village_a, village_b):
    response = client_for(volunteer).get(reverse("people:household_new"))
    assert response.status_code == 200
    html = response.content.decode()
    assert f'value="{village_a.code}"' in html and f'value="{village_b.code}"' not in html
    assert "navigator.geolocation" in html and 'id="use-location"' in html


def test_create_household_with_thai_digit_coordinates(volunteer, village_a):
    response = client_for(volunteer).post(reverse("people:household_new"), {
        "area": village_a.code, "house_no": "๙๙/๑", "soi": "สุขใจ", "road": "",
        "house_code": "๙๓๑๑๐๔๐๑๒๓๔", "latitude": "๗.๕๑๒๓๔๕", "longitude": "100.123456",
    })
    assert response.status_code == 302
    household = Household.objects.get(area=village_a, house_no="99/1")
    assert response["Location"] == reverse("people:household_detail", args=[household.pk])
    assert str(household.latitude) == "7.512345" and household.house_code == "93110401234"


def test_household_errors_from_the_service_are_shown_at_the_field(volunteer, village_a, household_a):
    client = client_for(volunteer)
    response = client.post(reverse("people:household_new"), {"area": village_a.code, "house_no": "12/3"})
    assert response.status_code == 200
    taken = service_error(lambda: household_create(actor=volunteer, area_code=village_a.code, house_no="12/3"),
                          "house_no")
    assert taken in response.content.decode()
    response = client.post(reverse("people:household_new"), {"area": village_a.code, "house_no": "8",
                                                             "latitude": "45"})
    html = response.content.decode()
    outside = service_error(lambda: household_create(actor=volunteer, area_code=village_a.code, latitude="45"),
                            "latitude")
    assert outside in html and 'value="45"' in html
    assert Household.objects.filter(area=village_a).count() == 1


def test_outsider_and_coordinator_cannot_create_households_in_our_villages(outsider, coordinator, village_a):
    assert client_for(coordinator).get(reverse("people:household_new")).status_code == 404
    client = client_for(outsider)
    assert client.get(reverse("people:household_new"), {"area": village_a.code}).status_code == 404
    response = client.post(reverse("people:household_new"), {"area": village_a.code, "house_no": "77"})
    assert response.status_code == 200  # the village is not a choice for them
    assert not Household.objects.filter(area=village_a, house_no="77").exists()


# ---------------------------------------------------------------------------
# Household page and edit
# ---------------------------------------------------------------------------


def test_household_page_lists_members_in_thai_order_with_relations_and_masked_ids(officer, volunteer,
                                                                                   person_a, household_a):
    # Code-point order would put ข before เ; Thai dictionary order reads เกศินี as ก + เ.
    person_create(actor=officer, household=household_a, first_name="ขวัญใจ", no_id_reason="unknown",
                  relation_to_head="child")
    person_create(actor=officer, household=household_a, first_name="เกศินี", no_id_reason="unknown",
                  relation_to_head="grandchild")
    for user in (volunteer, officer):
        response = client_for(user).get(reverse("people:household_detail", args=[household_a.pk]))
        assert response.status_code == 200
        html = response.content.decode()
        assert html.index("เกศินี") < html.index("ขวัญใจ") < html.index("สมศรี")
        assert "3-5011-xxxxx-xx-9" in html and "3-5011-00001-23-9" not in html
        assert th(Relation.HEAD.label) in html and th(Relation.GRANDCHILD.label) in html
        assert reverse("people:member_new", args=[household_a.pk]) in html


def test_household_page_links_a_map_when_it_has_coordinates(volunteer, household_a, officer):
    household_update(actor=officer, household=household_a, latitude="7.5", longitude="100.1")
    html = client_for(volunteer).get(reverse("people:household_detail", args=[household_a.pk])).content.decode()
    assert "openstreetmap.org/?mlat=7.500000" in html


@pytest.mark.parametrize("name", ["household_detail", "household_edit", "member_new"])
def test_outsider_and_coordinator_get_404_on_household_pages(outsider, coordinator, household_a, name):
    for user in (outsider, coordinator):
        assert client_for(user).get(reverse(f"people:{name}", args=[household_a.pk])).status_code == 404


def test_volunteer_gets_404_for_a_household_of_another_village(volunteer, household_b):
    assert client_for(volunteer).get(reverse("people:household_detail", args=[household_b.pk])).status_code == 404


def test_edit_household(volunteer, household_a):
    url = reverse("people:household_edit", args=[household_a.pk])
    client = client_for(volunteer)
    html = client.get(url).content.decode()
    assert 'value="12/3"' in html and 'value="เพชรเกษม"' in html
    response = client.post(url, {"version": household_a.version, "house_no": "12/3", "soi": "ร่มเย็น",
                                 "road": "เพชรเกษม"})
    assert response.status_code == 302
    household_a.refresh_from_db()
    assert household_a.soi == "ร่มเย็น" and household_a.version == 2


def test_stale_household_edit_is_refused_with_the_message(volunteer, officer, household_a):
    url = reverse("people:household_edit", args=[household_a.pk])
    opened_version = household_a.version
    household_update(actor=officer, household=household_a, version=opened_version, soi="ก")
    response = client_for(volunteer).post(url, {"version": opened_version, "house_no": "12/3", "soi": "ข"})
    with translation.override("th"):
        message = escape(str(StaleEdit().messages[0]))
    html = response.content.decode()
    assert response.status_code == 200 and message in html and 'value="ข"' in html
    household_a.refresh_from_db()
    assert household_a.soi == "ก"


def test_outsider_cannot_post_a_household_edit(outsider, household_a):
    url = reverse("people:household_edit", args=[household_a.pk])
    assert client_for(outsider).post(url, {"house_no": "1", "soi": "x"}).status_code == 404
    household_a.refresh_from_db()
    assert household_a.house_no == "12/3"


# ---------------------------------------------------------------------------
# Move
# ---------------------------------------------------------------------------


def move_url(person: Person) -> str:
    return reverse("people:person_move", args=[person.pk])


def test_move_form_and_household_picker(officer, person_a, household_b, village_b):
    client = client_for(officer)
    assert client.get(move_url(person_a)).status_code == 200
    picker = client.get(reverse("people:move_households", args=[person_a.pk]),
                        {"village": village_b.code, "house_no": "45"}, headers={"HX-Request": "true"})
    html = picker.content.decode()
    assert picker.status_code == 200 and "<html" not in html
    assert f'name="to_household" value="{household_b.pk}"' in html
    assert "บ้านเลขที่ 45" in html


def test_move_to_a_household_in_reach(officer, person_a, household_b):
    response = client_for(officer).post(move_url(person_a), {
        "version": person_a.version, "village": household_b.area_code, "house_no": "45",
        "to_household": household_b.pk, "relation_to_head": "parent", "moved_on": "๑/๓/๒๕๖๗",
    })
    assert response.status_code == 302
    person_a.refresh_from_db()
    assert (person_a.household, person_a.area_id, person_a.relation_to_head) == (
        household_b, household_b.area_code, "parent")
    move = PersonMove.objects.get(person=person_a)
    assert move.moved_on.isoformat() == "2024-03-01" and move.to_household == household_b
    html = client_for(officer).get(reverse("people:person_detail", args=[person_a.pk])).content.decode()
    assert "1 มี.ค. 2567" in html


def test_move_with_a_house_number_but_no_household_chosen_asks_to_choose(officer, person_a, household_b):
    response = client_for(officer).post(move_url(person_a), {
        "version": person_a.version, "village": household_b.area_code, "house_no": "45"})
    html = response.content.decode()
    assert response.status_code == 200
    assert th(gettext_lazy("Choose the household from the list.")) in html
    assert f'name="to_household" value="{household_b.pk}"' in html
    assert not PersonMove.objects.exists()


def test_move_out_to_a_village_of_another_tambon(volunteer, person_a, other_village):
    response = client_for(volunteer).post(move_url(person_a), {
        "version": person_a.version, "other_area_code": other_village.code, "note": "ย้ายไปอยู่กับลูก"})
    assert response.status_code == 302
    assert response["Location"] == reverse("people:search")  # the person is now out of reach
    person_a.refresh_from_db()
    assert person_a.area_id == other_village.code and person_a.household is None


def test_move_with_nothing_chosen_is_refused(officer, person_a):
    response = client_for(officer).post(move_url(person_a), {"version": person_a.version})
    assert response.status_code == 200
    nothing = service_error(lambda: person_move(actor=officer, person=person_a), "to_household")
    assert nothing in response.content.decode()
    assert not PersonMove.objects.exists()


def test_stale_move_is_refused(officer, person_a, household_b):
    from chumchon.people.services import person_update

    opened_version = person_a.version
    person_update(actor=officer, person=person_a, version=opened_version, nickname="ใหม่")
    response = client_for(officer).post(move_url(person_a), {
        "version": opened_version, "to_household": household_b.pk})
    with translation.override("th"):
        assert escape(str(StaleEdit().messages[0])) in response.content.decode()
    assert not PersonMove.objects.exists()


def test_outsider_gets_404_on_move_and_picker(outsider, person_a, household_b):
    client = client_for(outsider)
    assert client.get(move_url(person_a)).status_code == 404
    assert client.get(reverse("people:move_households", args=[person_a.pk])).status_code == 404
    assert client.post(move_url(person_a), {"to_household": household_b.pk}).status_code == 404
    person_a.refresh_from_db()
    assert person_a.household_id != household_b.pk


def test_outsider_cannot_move_our_person_into_their_household_nor_pick_ours(outsider, other_village,
                                                                            person_a, household_a):
    """The picker of an outsider's own person shows none of our households."""
    their = person_create(actor=outsider, area_code=other_village.code, first_name="ของเขา",
                          no_id_reason="unknown")
    client = client_for(outsider)
    html = client.get(reverse("people:move_households", args=[their.pk]),
                      {"village": household_a.area_code}).content.decode()
    assert "12/3" not in html
    response = client.post(move_url(their), {"version": their.version, "to_household": household_a.pk})
    assert response.status_code == 200
    their.refresh_from_db()
    assert their.household is None and their.area_id == other_village.code
