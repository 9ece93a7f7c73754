"""The search page and the person page: scope, masking, the PDPA read log and lawful-basis records."""

from __future__ import annotations

from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse
from django.utils import translation
from django.utils.html import escape
from django.utils.translation import gettext_lazy

from chumchon.accounts.roles import Role
from chumchon.conftest import OTHER_TAMBON, make_user
from chumchon.core.models import AuditEntry
from chumchon.core.thai import national_id_check_digit
from chumchon.people.forms import GROUP_LABELS
from chumchon.people.models import Allowance, DataBasis, DisabilityType, HealthCoverage, Person
from chumchon.people.services import household_create, person_create, person_update

FULL_ID = "3-5011-00001-23-9"
MASKED_ID = "3-5011-xxxxx-xx-9"


def valid_id(first12: str) -> str:
    return first12 + str(national_id_check_digit(first12))


def th(text: Any) -> str:
    """``text`` as a Thai page shows it: translated (when the catalogue has it) and HTML-escaped."""
    with translation.override("th"):
        return escape(str(text))


def service_error(call: Any, field: str) -> str:
    """The message a service gives at ``field`` for the refused ``call``, as a Thai page shows it."""
    with translation.override("th"), pytest.raises(ValidationError) as err:
        call()
    return escape(err.value.message_dict[field][0])


def client_for(user: Any) -> Client:
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def person_b(officer: Any, village_b: Any) -> Person:
    """A child of village B: seen by the tambon officer, not by the volunteer of village A."""
    household = household_create(actor=officer, area_code=village_b.code, house_no="7")
    return person_create(actor=officer, household=household, first_name="เด็กชาย", last_name="ทดสอบ",
                         birth_date="2566", no_id_reason="not_registered", relation_to_head="grandchild")


@pytest.fixture
def stranger(other_village: Any) -> Person:
    """Someone of another tambon, registered by that tambon's officer."""
    their_officer = make_user("their_officer", Role.TAMBON_OFFICER, OTHER_TAMBON)
    household = household_create(actor=their_officer, area_code=other_village.code, house_no="1")
    return person_create(actor=their_officer, household=household, first_name="คนไกล", last_name="ตำบลอื่น",
                         national_id=valid_id("110120001234"))


def search(client: Client, htmx: bool = False, **params: Any) -> Any:
    """GET the search page (or, with ``htmx``, the results partial) with query ``params``."""
    headers = {"HX-Request": "true"} if htmx else {}
    return client.get(reverse("people:search"), params, headers=headers)


# ---------------------------------------------------------------------------
# Search
# ---------------------------------------------------------------------------


def test_search_lists_people_in_reach_with_masked_ids(volunteer, person_a, person_b, stranger):
    response = search(client_for(volunteer))
    assert response.status_code == 200
    html = response.content.decode()
    assert "นางสมศรี ใจดี" in html and "(ศรี)" in html
    assert MASKED_ID in html
    assert FULL_ID not in html and "3501100001239" not in html
    assert "หมู่ 1 บ้านลำสินธุ์" in html
    assert "2490" in html  # born in BE
    # The volunteer of village A sees neither village B nor the other tambon.
    assert "เด็กชาย" not in html and "คนไกล" not in html


def test_officer_sees_whole_tambon_but_not_other_tambon(officer, person_a, person_b, stranger):
    html = search(client_for(officer)).content.decode()
    assert "สมศรี" in html and "เด็กชาย" in html
    assert "คนไกล" not in html


@pytest.mark.parametrize("term", ["สมศรี", "ศรี", "ใจดี", "12/3", "3501100001239"])
def test_search_by_part_of_name_nickname_house_number_or_id_finds_the_person(volunteer, person_a, term):
    html = search(client_for(volunteer), q=term).content.decode()
    assert "นางสมศรี ใจดี" in html


def test_search_that_matches_nobody_says_so(volunteer, person_a):
    html = search(client_for(volunteer), q="ไม่มีใครชื่อนี้").content.decode()
    assert "สมศรี" not in html
    assert th(gettext_lazy("No one found.")) in html


def test_htmx_search_renders_only_the_results_partial(volunteer, person_a):
    response = search(client_for(volunteer), htmx=True, q="ศรี")
    html = response.content.decode()
    assert response.status_code == 200
    assert "<html" not in html and 'id="id_q"' not in html
    assert "นางสมศรี ใจดี" in html
    assert "HX-Request" in response["Vary"]


def test_full_search_page_has_the_live_search_box(volunteer):
    html = search(client_for(volunteer)).content.decode()
    assert 'hx-trigger="input changed delay:250ms, search"' in html
    assert 'id="results"' in html


def test_search_filters_by_village_and_group(officer, person_a, person_b):
    client = client_for(officer)
    html = search(client, area=person_b.area_code).content.decode()
    assert "เด็กชาย" in html and "สมศรี" not in html
    html = search(client, group="elder").content.decode()
    assert "สมศรี" in html and "เด็กชาย" not in html
    html = search(client, group="child").content.decode()
    assert "เด็กชาย" in html and "สมศรี" not in html


def test_result_rows_show_group_tags(officer, person_a, person_b):
    html = search(client_for(officer), q="เด็กชาย").content.decode()
    assert f'<span class="tag">{th(GROUP_LABELS["child"])}</span>' in html


def test_unknown_group_or_village_outside_reach_shows_no_one_of_theirs(volunteer, person_a, stranger):
    client = client_for(volunteer)
    assert search(client, group="nonsense").status_code == 200
    html = search(client, area=stranger.area_code).content.decode()
    assert "คนไกล" not in html


def test_search_pages_fifty_at_a_time(officer, household_a):
    for number in range(51):
        person_create(actor=officer, household=household_a, first_name=f"ทดสอบ{number:02d}",
                      no_id_reason="unknown")
    client = client_for(officer)
    first = search(client, q="ทดสอบ").content.decode()
    assert first.count('class="row"') == 50
    assert "page=2" in first
    second = search(client, q="ทดสอบ", page=2).content.decode()
    assert second.count('class="row"') == 1


def test_outsider_sees_nothing_of_ours_in_search(outsider, person_a, person_b, stranger):
    client = client_for(outsider)
    for params in ({}, {"q": "สมศรี"}, {"q": "3501100001239"}, {"area": person_a.area_code}):
        for htmx in (False, True):
            html = search(client, htmx=htmx, **params).content.decode()
            assert "นางสมศรี ใจดี" not in html and "เด็กชาย" not in html
            assert f"/people/{person_a.pk}/" not in html and MASKED_ID not in html
    assert "คนไกล" in search(client).content.decode()


def test_coordinator_counts_only_gets_an_empty_search(coordinator, person_a):
    for params in ({}, {"q": "สมศรี"}):
        response = search(client_for(coordinator), False, **params)
        assert response.status_code == 200
        html = response.content.decode()
        assert "นางสมศรี ใจดี" not in html and f"/people/{person_a.pk}/" not in html


def test_menu_and_register_buttons_follow_capabilities(volunteer, coordinator):
    new_household = reverse("people:household_new")
    volunteer_html = search(client_for(volunteer)).content.decode()
    assert f'href="{reverse("people:search")}"' in volunteer_html and new_household in volunteer_html
    coordinator_html = search(client_for(coordinator)).content.decode()
    assert new_household not in coordinator_html


def test_search_needs_login(person_a):
    response = Client().get(reverse("people:search"))
    assert response.status_code == 302 and "/login/" in response["Location"]


# ---------------------------------------------------------------------------
# Person page
# ---------------------------------------------------------------------------


def person_page(client: Client, person: Person) -> Any:
    return client.get(reverse("people:person_detail", args=[person.pk]))


def test_person_page_shows_address_from_household_and_area_tree(volunteer, person_a):
    response = person_page(client_for(volunteer), person_a)
    assert response.status_code == 200
    html = response.content.decode()
    for text in ("12/3", "เพชรเกษม", "หมู่ 1 บ้านลำสินธุ์", "ต.ลำสินธุ์", "อ.ศรีนครินทร์", "จ.พัทลุง"):
        assert text in html, text
    assert "12 เมษายน 2490" in html


def test_person_page_shows_what_they_have_and_their_groups(officer, volunteer, person_a):
    person_update(actor=officer, person=person_a, has_id_card=True, has_disability_card=True,
                  disability_types=[1, 3], health_coverage="ucs", allowances=["elderly", "disability"])
    html = person_page(client_for(volunteer), person_a).content.decode()
    assert f"{th(DisabilityType.VISUAL.label)}, {th(DisabilityType.MOBILITY.label)}" in html
    assert th(HealthCoverage.UCS.label) in html
    assert f"{th(Allowance.DISABILITY.label)}, {th(Allowance.ELDERLY.label)}" in html
    for group in ("elder", "disabled"):
        assert f'<span class="tag">{th(GROUP_LABELS[group])}</span>' in html


def test_full_id_for_officer_masked_for_volunteer(officer, volunteer, person_a):
    officer_html = person_page(client_for(officer), person_a).content.decode()
    assert FULL_ID in officer_html
    volunteer_html = person_page(client_for(volunteer), person_a).content.decode()
    assert MASKED_ID in volunteer_html
    assert FULL_ID not in volunteer_html and "3501100001239" not in volunteer_html


def test_opening_a_person_page_is_logged_as_a_read(volunteer, person_a):
    before = AuditEntry.objects.filter(verb="person.view").count()
    person_page(client_for(volunteer), person_a)
    entry = AuditEntry.objects.filter(verb="person.view").latest("id")
    assert AuditEntry.objects.filter(verb="person.view").count() == before + 1
    assert entry.actor == volunteer
    assert entry.object_id == str(person_a.pk)
    assert entry.area_code == person_a.area_code


def test_outsider_gets_404_on_our_person_page_and_nothing_is_logged(outsider, person_a):
    client = client_for(outsider)
    assert person_page(client, person_a).status_code == 404
    assert client.post(reverse("people:basis_record", args=[person_a.pk]),
                       {"basis": "public_task", "purposes": "x"}).status_code == 404
    assert not AuditEntry.objects.filter(verb="person.view", actor=outsider).exists()
    assert not DataBasis.objects.filter(person=person_a).exists()


def test_volunteer_gets_404_for_a_person_of_another_village(volunteer, person_b):
    assert person_page(client_for(volunteer), person_b).status_code == 404


def test_coordinator_gets_404_on_person_pages(coordinator, person_a):
    assert person_page(client_for(coordinator), person_a).status_code == 404


def test_person_page_links_to_edit_and_move_for_editors(volunteer, person_a):
    html = person_page(client_for(volunteer), person_a).content.decode()
    assert reverse("people:person_edit", args=[person_a.pk]) in html
    assert reverse("people:person_move", args=[person_a.pk]) in html


# ---------------------------------------------------------------------------
# Lawful basis (PDPA)
# ---------------------------------------------------------------------------


def test_record_a_lawful_basis_with_a_thai_date(volunteer, person_a):
    client = client_for(volunteer)
    response = client.post(reverse("people:basis_record", args=[person_a.pk]), {
        "basis": "consent", "purposes": "เยี่ยมบ้านและวางแผนดูแล", "given_by": "self",
        "given_on": "๐๑/๐๒/๒๕๖๗", "notice_version": "1.0",
    })
    assert response.status_code == 302
    record = DataBasis.objects.get(person=person_a)
    assert (record.basis, record.given_by, record.given_on.isoformat()) == ("consent", "self", "2024-02-01")
    assert record.recorded_by == volunteer
    html = person_page(client, person_a).content.decode()
    assert "เยี่ยมบ้านและวางแผนดูแล" in html and "1 ก.พ. 2567" in html


def test_consent_without_who_gave_it_is_refused_at_the_field(volunteer, person_a):
    from chumchon.people.services import data_basis_record

    message = service_error(lambda: data_basis_record(actor=volunteer, person=person_a, basis="consent",
                                                      purposes="เยี่ยมบ้าน", given_by="n/a"), "given_by")
    response = client_for(volunteer).post(reverse("people:basis_record", args=[person_a.pk]), {
        "basis": "consent", "purposes": "เยี่ยมบ้าน", "given_by": "n/a", "given_on": "",
    })
    assert response.status_code == 200
    assert message in response.content.decode()
    assert not DataBasis.objects.filter(person=person_a).exists()


def test_withdraw_a_lawful_basis(volunteer, person_a):
    client = client_for(volunteer)
    client.post(reverse("people:basis_record", args=[person_a.pk]),
                {"basis": "public_task", "purposes": "ทะเบียนผู้สูงอายุ", "given_by": "n/a"})
    record = DataBasis.objects.get(person=person_a)
    response = client.post(reverse("people:basis_withdraw", args=[person_a.pk, record.pk]))
    assert response.status_code == 302
    record.refresh_from_db()
    assert record.withdrawn_on is not None
    assert AuditEntry.objects.filter(verb="person.basis_withdraw", object_id=str(person_a.pk)).exists()


def test_outsider_cannot_withdraw_our_records(outsider, volunteer, person_a):
    client_for(volunteer).post(reverse("people:basis_record", args=[person_a.pk]),
                               {"basis": "public_task", "purposes": "ทะเบียน", "given_by": "n/a"})
    record = DataBasis.objects.get(person=person_a)
    response = client_for(outsider).post(reverse("people:basis_withdraw", args=[person_a.pk, record.pk]))
    assert response.status_code == 404
    record.refresh_from_db()
    assert record.withdrawn_on is None
