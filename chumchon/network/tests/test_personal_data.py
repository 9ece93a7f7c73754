"""Personal data in the network (organisation contacts and staff, centre caregivers and their
training) is shown only with VIEW_NAMES in the organisation's or centre's area; without it, small
counts (1–4 enrolled children, committee members) read "<5"."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from chumchon.api.testing import api_client
from chumchon.conftest import PASSWORD
from chumchon.network.services.centres import caregiver_add, centre_create, enrolment_add, training_add
from chumchon.network.services.committees import committee_create, member_add
from chumchon.network.services.directory import organisation_create, staff_add
from chumchon.people.services import person_create

CONTACT, PHONE, STAFF = "นายติดต่อ ลับมาก", "081-555-0199", "อสม. หมู่ 1"
CAREGIVER, COURSE = "ครูสมใจ รักเด็ก", "หลักสูตรการดูแลเด็กปฐมวัย"


def _client(user: Any) -> Client:
    client = Client()
    assert client.login(username=user.username, password=PASSWORD)
    return client


@pytest.fixture
def organisation(officer: Any, volunteer: Any) -> Any:
    org = organisation_create(actor=officer, name="อบต.ลำสินธุ์", kind_code="sao", area_code="931104",
                              contacts=[{"name": CONTACT, "role": "ปลัด", "phone": PHONE}])
    staff_add(actor=officer, organisation=org, user=volunteer, position="ผู้ช่วย")
    return org


@pytest.fixture
def centre(officer: Any, household_a: Any) -> Any:
    org = organisation_create(actor=officer, name="ศพด.ลำสินธุ์", kind_code="child_centre", area_code="931104")
    centre = centre_create(actor=officer, organisation_id=org.pk, capacity=30)
    caregiver = caregiver_add(actor=officer, centre=centre, name=CAREGIVER, position="ครูผู้ดูแลเด็ก")
    training_add(actor=officer, caregiver=caregiver, course=COURSE, completed_on="2025-01-10", hours=12)
    for name in ("น้องหนึ่ง", "น้องสอง"):
        child = person_create(actor=officer, household=household_a, first_name=name, last_name="ทดสอบ", sex="male",
                              birth_date="2022-06-01", relation_to_head="grandchild", no_id_reason="unknown")
        enrolment_add(actor=officer, centre=centre, person_id=child.pk, enrolled_on="2025-05-01")
    return centre


@pytest.fixture
def committee(officer: Any) -> Any:
    committee = committee_create(actor=officer, name="คณะทำงานตำบล", area_code="931104")
    for name in ("นายหนึ่ง", "นางสอง"):
        member_add(actor=officer, committee=committee, name=name, joined_on="2025-01-01")
    return committee


def test_coordinator_sees_no_contacts_or_staff_of_an_organisation(coordinator: Any, organisation: Any) -> None:
    page = _client(coordinator).get(reverse("network-organisation", args=[organisation.pk])).content.decode()
    assert "อบต.ลำสินธุ์" in page
    for secret in (CONTACT, PHONE, STAFF):
        assert secret not in page
    api = api_client(coordinator)
    assert api.get(f"/api/v1/organisations/{organisation.pk}").json()["contacts"] == []
    listed = api.get("/api/v1/organisations").json()["items"]
    assert [row["contacts"] for row in listed if row["id"] == organisation.pk] == [[]]


def test_officer_sees_contacts_and_staff_of_an_organisation(officer: Any, organisation: Any) -> None:
    page = _client(officer).get(reverse("network-organisation", args=[organisation.pk])).content.decode()
    for secret in (CONTACT, PHONE, STAFF):
        assert secret in page
    contacts = api_client(officer).get(f"/api/v1/organisations/{organisation.pk}").json()["contacts"]
    assert [contact["name"] for contact in contacts] == [CONTACT]


def test_coordinator_sees_caregivers_as_a_count_and_children_as_fewer_than_five(coordinator: Any,
                                                                                centre: Any) -> None:
    client = _client(coordinator)
    response = client.get(reverse("centre-detail", args=[centre.pk]))
    page = response.content.decode()
    assert CAREGIVER not in page and COURSE not in page
    assert response.context["caregiver_count"] == 1
    assert response.context["enrolled_count"] is None and "&lt;5" in page
    listing = client.get(reverse("centre-list"))
    assert [c.enrolled_shown for c in listing.context["centres"]] == [None]
    assert "&lt;5" in listing.content.decode()
    assert api_client(coordinator).get(f"/api/v1/centres/{centre.pk}/caregivers").json() == []


def test_officer_sees_caregivers_their_training_and_the_count_of_children(officer: Any, centre: Any) -> None:
    client = _client(officer)
    response = client.get(reverse("centre-detail", args=[centre.pk]))
    page = response.content.decode()
    assert CAREGIVER in page and COURSE in page
    assert response.context["enrolled_count"] == 2 and "&lt;5" not in page
    assert [c.enrolled_shown for c in client.get(reverse("centre-list")).context["centres"]] == [2]
    caregivers = api_client(officer).get(f"/api/v1/centres/{centre.pk}/caregivers").json()
    assert [(row["name"], [t["course"] for t in row["trainings"]]) for row in caregivers] == [(CAREGIVER, [COURSE])]


def test_committee_member_count_below_five_is_hidden_without_names(coordinator: Any, officer: Any,
                                                                   committee: Any) -> None:
    hidden = _client(coordinator).get(reverse("committee-list"))
    assert [c.member_count_shown for c in hidden.context["committees"]] == [None]
    assert "&lt;5" in hidden.content.decode()
    shown = _client(officer).get(reverse("committee-list"))
    assert [c.member_count_shown for c in shown.context["committees"]] == [2]
    assert "&lt;5" not in shown.content.decode()
