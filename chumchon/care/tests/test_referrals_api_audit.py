"""An agency's reads of referrals through the API (the list and the queue) name people, so each page
read is logged in every person's area, as the queue page does; empty reads log nothing."""

from __future__ import annotations

import pytest

from chumchon.api.testing import api_client
from chumchon.care.services import referrals as svc
from chumchon.care.tests.plan_fixtures import *  # noqa: F403
from chumchon.core.models import AuditEntry
from chumchon.people.services import household_create, person_create


@pytest.fixture
def person_b(officer, village_b):
    house = household_create(actor=officer, area_code=village_b.code, house_no="7", road="สายกลาง")
    return person_create(actor=officer, household=house, title="นาย", first_name="สมชาย", last_name="มีสุข",
                         sex="male", birth_date="01/01/2500", national_id="3100100001231", relation_to_head="head")


@pytest.fixture
def referrals(volunteer, officer, person_a, person_b, home_care):
    first = svc.referral_create(actor=volunteer, person_id=person_a.pk, service_id=home_care.pk, reason="ติดเตียง")
    second = svc.referral_create(actor=officer, person_id=person_b.pk, service_id=home_care.pk, reason="พิการ")
    return first, second


def _list_entries(user):
    return AuditEntry.objects.filter(actor=user, verb="referral.list")


def test_agency_queue_read_through_the_api_is_logged_in_each_persons_area(agency_staff, referrals, person_a,
                                                                         person_b):
    response = api_client(agency_staff).api_get("/referrals", queue="true")
    assert response.status_code == 200 and response.json()["count"] == 2
    entries = {entry.area_code: entry for entry in _list_entries(agency_staff)}
    assert set(entries) == {person_a.area_id, person_b.area_id}
    assert entries[person_a.area_id].data["referrals"] == [referrals[0].pk]
    assert entries[person_b.area_id].data["referrals"] == [referrals[1].pk]
    assert entries[person_a.area_id].data["via"] == "api"


def test_agency_list_read_through_the_api_logs_only_the_page_shown(agency_staff, referrals):
    response = api_client(agency_staff).api_get("/referrals", limit=1)
    assert response.status_code == 200 and response.json()["count"] == 2
    shown = [row["id"] for row in response.json()["items"]]
    logged = [pk for entry in _list_entries(agency_staff) for pk in entry.data["referrals"]]
    assert logged == shown and len(shown) == 1


def test_an_empty_agency_read_logs_nothing(agency_staff, home_care):
    response = api_client(agency_staff).api_get("/referrals", queue="true")
    assert response.status_code == 200 and response.json()["items"] == []
    assert not _list_entries(agency_staff).exists()


def test_other_agency_sees_nothing_and_nothing_is_logged_for_it(other_staff, referrals):
    response = api_client(other_staff).api_get("/referrals", queue="true")
    assert response.status_code == 200 and response.json()["items"] == []
    assert api_client(other_staff).api_get(f"/referrals/{referrals[0].pk}").status_code == 404
    assert not _list_entries(other_staff).exists()


def test_agency_queue_page_still_logs_each_persons_area(agency_staff, referrals, person_a, person_b):
    from chumchon.care.tests.plan_fixtures import login

    assert login(agency_staff).get("/care/referrals/queue/").status_code == 200
    assert set(_list_entries(agency_staff).values_list("area_code", flat=True)) == {person_a.area_id,
                                                                                   person_b.area_id}
