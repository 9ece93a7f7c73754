"""Results on the person page (only with VIEW_HEALTH, audited) and the people-list filter by
current assessment result (refused without VIEW_HEALTH)."""

from __future__ import annotations

from datetime import date

import pytest
from django.core.exceptions import ValidationError
from django.test import Client

from chumchon.accounts.roles import Role
from chumchon.api.testing import api_client
from chumchon.conftest import PASSWORD, make_user
from chumchon.core.models import AuditEntry
from chumchon.people.selectors import person_list
from chumchon.people.services import household_create
from chumchon.visits.selectors.results import classification_choices, person_results
from chumchon.visits.tests.test_due_schedule import days, make_person, make_status


def login(user) -> Client:
    client = Client()
    assert client.login(username=user.username, password=PASSWORD)
    return client


@pytest.fixture
def fund_member(tambon):
    """Sees names in the tambon but no health data."""
    return make_user("fund", Role.FUND_COMMITTEE, tambon.code)


@pytest.fixture
def assessed(officer, person_a, household_a, village_b):
    make_status(person_a, "barthel_adl", "home_bound", score=9, due_on=days(-200), assessed_on=days(-382))
    make_status(person_a, "barthel_adl", "bed_bound", score=3, due_on=days(180), assessed_on=days(-2))
    bedbound2 = make_person(officer, household_a, "ติดเตียงสอง", date(1939, 5, 5))
    make_status(bedbound2, "barthel_adl", "bed_bound", score=1, due_on=days(100))
    homebound = make_person(officer, household_a, "ติดบ้าน", date(1941, 5, 5))
    make_status(homebound, "barthel_adl", "home_bound", score=7, due_on=days(100))
    house_b = household_create(actor=officer, area_code=village_b.code, house_no="9")
    bedbound_b = make_person(officer, house_b, "ติดเตียงหมู่สอง", date(1938, 5, 5))
    make_status(bedbound_b, "barthel_adl", "bed_bound", score=0, due_on=days(100))
    return {"bedbound2": bedbound2, "homebound": homebound, "bedbound_b": bedbound_b}


def test_person_results_give_current_band_score_and_history(volunteer, person_a, assessed):
    [result] = person_results(user=volunteer, person=person_a) or []
    assert result.instrument_code == "barthel_adl" and result.classification == "bed_bound"
    assert result.severity == "urgent" and result.classification_label
    assert result.score == 3 and len(result.chart["labels"]) == 2
    assert result.chart["series"][0]["data"] == [9.0, 3.0]


def test_person_page_shows_the_classification_for_health_viewers_and_logs_it(volunteer, person_a, assessed):
    response = login(volunteer).get(f"/people/{person_a.pk}/")
    html = response.content.decode()
    assert 'data-instrument="barthel_adl"' in html and 'data-classification="bed_bound"' in html
    assert "result-chart-barthel_adl" in html and "chart.umd.min.js" in html
    assert 'data-review="submitted"' in html  # not yet checked by a second visit
    assert str(days(-2).year + 543) in html
    entry = AuditEntry.objects.get(verb="assessment.view", object_id=str(person_a.pk))
    assert entry.data["instruments"] == ["barthel_adl"] and entry.actor == volunteer


def test_person_page_without_view_health_shows_no_results(fund_member, person_a, assessed):
    response = login(fund_member).get(f"/people/{person_a.pk}/")
    assert response.status_code == 200
    html = response.content.decode()
    assert "data-instrument" not in html and "bed_bound" not in html
    assert not AuditEntry.objects.filter(verb="assessment.view").exists()
    assert person_results(user=fund_member, person=person_a) is None


def test_person_page_outsider_404(outsider, person_a, assessed):
    assert login(outsider).get(f"/people/{person_a.pk}/").status_code == 404


def test_filter_by_barthel_bed_bound_returns_exactly_the_bed_bound(volunteer, officer, person_a, assessed,
                                                                   village_a):
    names = {p.first_name for p in person_list(user=volunteer, current_status="barthel_adl:bed_bound")}
    assert names == {"สมศรี", "ติดเตียงสอง"}  # current status only: person_a was home-bound before
    names = {p.first_name for p in person_list(user=officer, current_status="barthel_adl:bed_bound")}
    assert names == {"สมศรี", "ติดเตียงสอง", "ติดเตียงหมู่สอง"}
    names = {p.first_name for p in person_list(user=officer, current_status="barthel_adl:bed_bound",
                                               area_code=village_a.code)}
    assert names == {"สมศรี", "ติดเตียงสอง"}
    names = {p.first_name for p in person_list(user=officer, current_status="barthel_adl:home_bound",
                                               group="elder")}
    assert names == {"ติดบ้าน"}


def test_filter_by_health_result_is_refused_without_view_health(fund_member, outsider, assessed):
    with pytest.raises(ValidationError):
        person_list(user=fund_member, current_status="barthel_adl:bed_bound")
    assert not person_list(user=outsider, current_status="barthel_adl:bed_bound").exists()


def test_search_page_filter_and_refusal(volunteer, fund_member, assessed):
    html = login(volunteer).get("/people/", {"status": "barthel_adl:bed_bound"}).content.decode()
    assert "ติดเตียงสอง" in html and "ติดบ้าน ทดสอบ" not in html
    assert 'value="barthel_adl:bed_bound" selected' in html
    html = login(fund_member).get("/people/", {"status": "barthel_adl:bed_bound"}).content.decode()
    assert "ติดเตียงสอง" not in html and 'role="alert"' in html
    assert 'name="status"' not in html  # the select is not offered


def test_api_filter_and_refusal(volunteer, fund_member, assessed):
    response = api_client(volunteer).api_get("/persons", assessment="barthel_adl:bed_bound")
    assert response.status_code == 200
    assert {p["first_name"] for p in response.json()["items"]} == {"สมศรี", "ติดเตียงสอง"}
    refused = api_client(fund_member).api_get("/persons", assessment="barthel_adl:bed_bound")
    assert refused.status_code == 422 and refused.json()["detail"][0]["loc"] == ["query", "assessment"]


def test_filter_choices_list_each_instruments_classifications(db):
    values = {value for _title, options in classification_choices() for value, _label in options}
    assert {"barthel_adl:bed_bound", "dspm:suspected_delay", "growth:not_well"} <= values
