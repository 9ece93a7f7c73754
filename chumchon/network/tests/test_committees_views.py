"""Committee, centre and exchange pages: what officers see and do; outsiders get 404."""

from __future__ import annotations

import io
import zipfile
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from chumchon.conftest import PASSWORD
from chumchon.network.models import Attendance, CentreAssessment
from chumchon.network.services.centres import centre_create
from chumchon.network.services.committees import committee_create, member_add
from chumchon.network.services.directory import organisation_create


def _client(user: Any) -> Client:
    client = Client()
    assert client.login(username=user.username, password=PASSWORD)
    return client


@pytest.fixture
def committee(officer: Any) -> Any:
    committee = committee_create(actor=officer, name="คณะทำงานตำบล", area_code="931104")
    member_add(actor=officer, committee=committee, name="นายสมชาย รักดี", role="ประธาน", joined_on="2025-01-01")
    member_add(actor=officer, committee=committee, name="นางสมหญิง ใจงาม", role="เลขานุการ", joined_on="2025-01-01")
    return committee


@pytest.fixture
def centre(officer: Any) -> Any:
    org = organisation_create(actor=officer, name="ศพด.ลำสินธุ์", kind_code="child_centre", area_code="931104")
    return centre_create(actor=officer, organisation_id=org.pk, capacity=30)


def test_officer_records_a_meeting_with_attendance(officer: Any, committee: Any) -> None:
    client = _client(officer)
    page = client.get(reverse("meeting-new", args=[committee.pk]))
    assert "นายสมชาย รักดี" in page.content.decode()
    members = list(committee.members.order_by("pk"))
    response = client.post(reverse("meeting-new", args=[committee.pk]), {
        "held_on": "10/01/2569", "place": "ที่ทำการ อบต.", "agenda": "งบประมาณ", "decisions": "อนุมัติ",
        "listed": [m.pk for m in members], "present": [members[0].pk]})
    assert response.status_code == 302
    assert dict(Attendance.objects.values_list("member__name", "present")) == {
        "นายสมชาย รักดี": True, "นางสมหญิง ใจงาม": False}
    detail = client.get(reverse("committee-detail", args=[committee.pk]), {"from": "1/1/2569", "to": "31/12/2569"})
    text = detail.content.decode()
    assert text.index("นางสมหญิง ใจงาม") < text.index("นายสมชาย รักดี")  # lowest rate first


def test_meeting_with_a_bad_date_saves_nothing(officer: Any, committee: Any) -> None:
    response = _client(officer).post(reverse("meeting-new", args=[committee.pk]), {"held_on": "not a date"})
    assert response.status_code == 200
    assert not committee.meetings.exists()


def test_coordinator_sees_the_committee_but_not_the_names(coordinator: Any, committee: Any) -> None:
    text = _client(coordinator).get(reverse("committee-detail", args=[committee.pk])).content.decode()
    assert committee.name in text
    assert "นายสมชาย" not in text


def test_outsider_gets_404_on_committee_centre_and_exchange(outsider: Any, committee: Any, centre: Any) -> None:
    client = _client(outsider)
    for url in (reverse("committee-detail", args=[committee.pk]), reverse("meeting-new", args=[committee.pk]),
                reverse("centre-detail", args=[centre.pk]), reverse("network-exchange")):
        assert client.get(url).status_code == 404, url
    assert client.post(reverse("centre-detail", args=[centre.pk]), {"action": "caregiver", "name": "x"}
                       ).status_code == 404
    assert committee.name not in client.get(reverse("committee-list")).content.decode()
    assert "ศพด.ลำสินธุ์" not in client.get(reverse("centre-list")).content.decode()


def test_officer_assesses_a_centre_from_the_page(officer: Any, centre: Any) -> None:
    client = _client(officer)
    data = {"action": "assess", "assessed_on": "15/01/2569", **{f"item_{code}": "met" for code in (
        "building_safety", "hygiene_food", "caregiver_ratio", "learning_activities", "development_screening",
        "parent_involvement")}}
    assert client.post(reverse("centre-detail", args=[centre.pk]), data).status_code == 302
    assert CentreAssessment.objects.get().classification == "good"
    page = client.get(reverse("centre-detail", args=[centre.pk])).content.decode()
    assert "ดี" in page or "Good" in page


def test_exchange_download_is_a_zip_of_four_csv_files(officer: Any, centre: Any) -> None:
    response = _client(officer).get(reverse("network-exchange"), {"download": "1"})
    assert response["Content-Type"] == "application/zip"
    names = zipfile.ZipFile(io.BytesIO(response.content)).namelist()
    assert sorted(names) == ["location.csv", "organization.csv", "service.csv", "service_area.csv"]


def test_volunteer_cannot_open_the_exchange(volunteer: Any) -> None:
    assert _client(volunteer).get(reverse("network-exchange")).status_code == 404
