"""API for committees and centres: officers record, coordinators see no names, outsiders get 404."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

from chumchon.conftest import PASSWORD
from chumchon.network.services.centres import centre_create
from chumchon.network.services.committees import committee_create, member_add
from chumchon.network.services.directory import organisation_create


def _client(user: Any) -> Client:
    client = Client()
    assert client.login(username=user.username, password=PASSWORD)
    return client


@pytest.fixture
def committee(officer: Any) -> Any:
    committee = committee_create(actor=officer, name="คณะทำงาน", area_code="931104")
    member_add(actor=officer, committee=committee, name="นายหนึ่ง", role="ประธาน", joined_on="2025-01-01")
    member_add(actor=officer, committee=committee, name="นางสอง", role="กรรมการ", joined_on="2025-01-01")
    return committee


@pytest.fixture
def centre(officer: Any) -> Any:
    org = organisation_create(actor=officer, name="ศพด.", kind_code="child_centre", area_code="931104")
    return centre_create(actor=officer, organisation_id=org.pk)


def test_meeting_through_the_api_and_attendance_rates(officer: Any, committee: Any) -> None:
    client = _client(officer)
    one, two = committee.members.order_by("pk")
    response = client.post(f"/api/v1/committees/{committee.pk}/meetings", {
        "held_on": "10/01/2569", "present": {str(one.pk): True, str(two.pk): False}}, content_type="application/json")
    assert response.status_code == 201, response.content
    rates = client.get(f"/api/v1/committees/{committee.pk}/attendance").json()
    assert [(row["label"], row["percent"]) for row in rates] == [("นางสอง", 0), ("นายหนึ่ง", 100)]
    bad = client.post(f"/api/v1/committees/{committee.pk}/meetings", {"held_on": "x"}, content_type="application/json")
    assert bad.status_code == 422


def test_coordinator_gets_no_member_names(coordinator: Any, committee: Any) -> None:
    client = _client(coordinator)
    assert client.get(f"/api/v1/committees/{committee.pk}/members").json() == []
    assert "นายหนึ่ง" not in client.get(f"/api/v1/committees/{committee.pk}/attendance").content.decode()


def test_enrolment_of_an_adult_is_422(officer: Any, centre: Any, person_a: Any) -> None:
    response = _client(officer).post(f"/api/v1/centres/{centre.pk}/enrolments",
                                     {"person_id": person_a.pk, "enrolled_on": "2025-05-01"},
                                     content_type="application/json")
    assert response.status_code == 422


def test_outsider_gets_404_on_committee_and_centre_api(outsider: Any, committee: Any, centre: Any) -> None:
    client = _client(outsider)
    for url in (f"/api/v1/committees/{committee.pk}", f"/api/v1/committees/{committee.pk}/attendance",
                f"/api/v1/centres/{centre.pk}", f"/api/v1/centres/{centre.pk}/support"):
        assert client.get(url).status_code == 404, url
    assert client.get("/api/v1/committees").json()["items"] == []
    assert client.get("/api/v1/centres").json()["items"] == []
