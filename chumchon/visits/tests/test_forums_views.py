"""Forum pages and the printed list: scoped (outsider 404, sees no forum), marks through the
services, and a Thai PDF with the village's names and no health details or IDs."""

from __future__ import annotations

import shutil
import subprocess
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from chumchon.conftest import PASSWORD
from chumchon.core.models import AuditEntry
from chumchon.core.review import ReviewStatus
from chumchon.people.models import Person
from chumchon.people.services import person_create
from chumchon.visits.models import Assessment, ForumEntry
from chumchon.visits.services import forums

S = ReviewStatus


def login(user: Any) -> Client:
    client = Client()
    assert client.login(username=user.username, password=PASSWORD)
    return client


@pytest.fixture
def forum(officer: Any, village_a: Any) -> Any:
    return forums.forum_create(actor=officer, area_code=village_a.code, held_on="5/12/2569", place="ศาลาหมู่บ้าน")


def verified(person: Person) -> Person:
    Person.objects.filter(pk=person.pk).update(review_status=S.VERIFIED)
    person.refresh_from_db()
    return person


def pdf_text(body: bytes, tmp_path: Any) -> str:
    """The PDF's text as poppler reads it, without spaces (Thai needs none; pdftotext splits
    some clusters with one)."""
    assert shutil.which("pdftotext"), "pdftotext (poppler-utils) is needed: run scripts/ensure-system-deps"
    path = tmp_path / "forum.pdf"
    path.write_bytes(body)
    out = subprocess.run(["pdftotext", "-enc", "UTF-8", str(path), "-"], check=True, capture_output=True, text=True)
    return "".join(out.stdout.split())


def test_outsider_gets_404_on_every_forum_page_and_sees_no_forum(outsider, forum, person_a):
    client = login(outsider)
    for name in ("forum-detail", "forum-pdf"):
        assert client.get(reverse(name, args=[forum.pk])).status_code == 404
    for name, data in (("forum-attendees", {"attendee_name": "x", "attendee_role": ""}),
                       ("forum-mark", {"person_id": person_a.pk, "outcome": "confirmed"}),
                       ("forum-add", {"first_name": "x"}), ("forum-close", {})):
        assert client.post(reverse(name, args=[forum.pk]), data).status_code == 404
    page = client.get(reverse("forum-list"))
    assert page.status_code == 200
    assert "ศาลาหมู่บ้าน" not in page.content.decode()
    assert not page.context["forums"]
    assert not AuditEntry.objects.filter(actor=outsider, verb="person.export").exists()
    forum.refresh_from_db()
    assert not forum.is_closed and not ForumEntry.objects.exists()


def test_officer_creates_a_forum_from_the_list_page(officer, village_a):
    client = login(officer)
    page = client.get(reverse("forum-list"))
    assert "หมู่ 1 บ้านลำสินธุ์" in page.content.decode()
    response = client.post(reverse("forum-list"), {"area_code": village_a.code, "held_on": "๕/๑๒/๒๕๖๙",
                                                   "place": "วัด"})
    assert response.status_code == 302
    bad = client.post(reverse("forum-list"), {"area_code": village_a.code, "held_on": "32/13/2569"})
    assert bad.status_code == 200 and bad.context["form"].errors["held_on"]


def test_a_volunteer_sees_the_forum_but_cannot_mark_or_create(volunteer, forum, person_a, village_a):
    verified(person_a)
    client = login(volunteer)
    page = client.get(reverse("forum-detail", args=[forum.pk]))
    assert page.status_code == 200 and "สมศรี" in page.content.decode()
    assert not page.context["can_run"]
    assert client.post(reverse("forum-mark", args=[forum.pk]),
                       {"person_id": person_a.pk, "outcome": "confirmed"}).status_code == 404
    assert client.post(reverse("forum-list"), {"area_code": village_a.code, "held_on": "5/12/2569"}).status_code == 404
    person_a.refresh_from_db()
    assert person_a.review_status == S.VERIFIED


def test_marks_from_the_page_confirm_correct_and_dispute(officer, forum, person_a, household_a):
    verified(person_a)
    client = login(officer)
    url = reverse("forum-mark", args=[forum.pk])
    response = client.post(url, {"person_id": person_a.pk, "outcome": "corrected", "version": person_a.version,
                                 "c_title": "นาง", "c_first_name": "สมศรี", "c_last_name": "ใจงาม",
                                 "c_nickname": "ศรี", "c_birth_date": "12/04/2490", "c_is_poor": "on"})
    assert response.status_code == 302
    person_a.refresh_from_db()
    assert (person_a.last_name, person_a.is_poor, person_a.review_status) == ("ใจงาม", True, S.ACCEPTED)
    assert AuditEntry.objects.filter(verb="person.update", object_id=str(person_a.pk)).exists()
    refused = client.post(url, {"person_id": person_a.pk, "outcome": "disputed", "reason": ""}, follow=True)
    assert [str(m) for m in refused.context["messages"]]
    person_a.refresh_from_db()
    assert person_a.review_status == S.ACCEPTED
    client.post(url, {"person_id": person_a.pk, "outcome": "disputed", "reason": "ย้ายออกแล้ว"})
    person_a.refresh_from_db()
    assert person_a.review_status == S.DISPUTED
    added = client.post(reverse("forum-add", args=[forum.pk]), {
        "household_id": household_a.pk, "first_name": "มานี", "last_name": "มีนา", "birth_date": "2565"})
    assert added.status_code == 302
    assert Person.objects.get(first_name="มานี").review_status == S.ACCEPTED


def test_the_forum_pdf_lists_the_village_names_in_thai_without_health_details(
        officer, forum, person_a, village_b, tmp_path):
    Assessment.objects.create(person=person_a, area_id=person_a.area_id, instrument_code="barthel_adl",
                              instrument_version=1, assessed_on="2026-11-01", score=3, classification="bedbound")
    Person.objects.filter(pk=person_a.pk).update(is_bedbound=True)
    person_create(actor=officer, area_code=village_b.code, first_name="คนหมู่สอง", no_id_reason="unknown")
    response = login(officer).get(reverse("forum-pdf", args=[forum.pk]))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF")
    text = pdf_text(response.content, tmp_path)
    for expected in ("สมศรี", "ใจดี", "12/3", "บ้านลำสินธุ์", "ลำสินธุ์", "5ธันวาคม2569", "ติดเตียง"):
        assert expected in text, expected
    for absent in ("คนหมู่สอง", "3501100001239", "35011", "xxxxx", "barthel", "bedbound"):
        assert absent not in text, absent
    export = AuditEntry.objects.get(verb="person.export", actor=officer)
    assert (export.area_code, export.data["rows"], export.data["forum"]) == (forum.area_id, 1, forum.pk)


def test_attendees_form_saves_rows(officer, forum):
    client = login(officer)
    client.post(reverse("forum-attendees", args=[forum.pk]), {
        "attendee_name": ["นายสมชาย", "", "นางแดง"], "attendee_role": ["ผู้ใหญ่บ้าน", "", "อสม."]})
    forum.refresh_from_db()
    assert forum.attendees == [{"name": "นายสมชาย", "role": "ผู้ใหญ่บ้าน"}, {"name": "นางแดง", "role": "อสม."}]
