"""The verification page: records awaiting a second visit in reach, verify with a camera photo,
send back with a reason; the collector cannot verify; the outsider gets 404."""

from __future__ import annotations

import io
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from PIL import Image

from chumchon.conftest import PASSWORD
from chumchon.core.review import ReviewStatus
from chumchon.core.thai import format_be
from chumchon.people.validation import today
from chumchon.visits.models import Photo, Review

S = ReviewStatus


def login(user: Any) -> Client:
    client = Client()
    assert client.login(username=user.username, password=PASSWORD)
    return client


def jpeg() -> SimpleUploadedFile:
    buffer = io.BytesIO()
    Image.new("RGB", (64, 48), (10, 120, 40)).save(buffer, format="JPEG")
    return SimpleUploadedFile("evidence.jpg", buffer.getvalue(), content_type="image/jpeg")


@pytest.fixture(autouse=True)
def private_files(settings: Any, tmp_path: Any) -> None:
    settings.PRIVATE_FILES_ROOT = str(tmp_path)


def test_the_list_shows_submitted_records_and_a_camera_input(volunteer, person_a):
    page = login(volunteer).get(reverse("review-list"))
    html = page.content.decode()
    assert page.status_code == 200
    assert "สมศรี" in html and 'capture="environment"' in html
    assert reverse("review-verify", args=["person", person_a.pk]) in html


def test_the_collector_is_told_someone_else_must_verify(officer, person_a):
    page = login(officer).get(reverse("review-list"))
    assert page.context["people"][0].is_mine
    assert reverse("review-verify", args=["person", person_a.pk]) not in page.content.decode()


def test_a_second_volunteer_verifies_with_a_photo_from_the_page(volunteer, person_a):
    response = login(volunteer).post(reverse("review-verify", args=["person", person_a.pk]), {
        "visited_on": format_be(today(), style="numeric"), "photo": jpeg(), "note": "พบที่บ้าน"})
    assert response.status_code == 302
    person_a.refresh_from_db()
    assert person_a.review_status == S.VERIFIED
    photo = Review.objects.get(person=person_a).photo
    assert photo is not None and photo.purpose == "evidence"


def test_verify_without_a_photo_is_refused_with_a_message(volunteer, person_a):
    response = login(volunteer).post(reverse("review-verify", args=["person", person_a.pk]),
                                     {"visited_on": format_be(today(), style="numeric")}, follow=True)
    assert [str(m) for m in response.context["messages"]]
    person_a.refresh_from_db()
    assert person_a.review_status == S.SUBMITTED
    assert not Photo.objects.exists()


def test_the_collector_posting_verify_is_refused(officer, person_a):
    login(officer).post(reverse("review-verify", args=["person", person_a.pk]), {
        "visited_on": format_be(today(), style="numeric"), "photo": jpeg()})
    person_a.refresh_from_db()
    assert person_a.review_status == S.SUBMITTED
    assert not Photo.objects.exists()


def test_send_back_then_submit_again(volunteer, officer, person_a):
    login(volunteer).post(reverse("review-send-back", args=["person", person_a.pk]), {"reason": "ชื่อสะกดผิด"})
    person_a.refresh_from_db()
    assert person_a.review_status == S.CORRECTION
    page = login(officer).get(reverse("review-list"))
    assert reverse("review-submit", args=["person", person_a.pk]) in page.content.decode()
    login(officer).post(reverse("review-submit", args=["person", person_a.pk]))
    person_a.refresh_from_db()
    assert person_a.review_status == S.SUBMITTED


def test_outsider_gets_404_and_sees_nothing(outsider, person_a):
    client = login(outsider)
    assert client.get(reverse("review-list")).status_code == 200
    assert "สมศรี" not in client.get(reverse("review-list")).content.decode()
    for name in ("review-verify", "review-send-back", "review-submit"):
        assert client.post(reverse(name, args=["person", person_a.pk]), {"reason": "x"}).status_code == 404
    assert client.post(reverse("review-verify", args=["nothing", person_a.pk])).status_code == 404
    person_a.refresh_from_db()
    assert person_a.review_status == S.SUBMITTED


def test_coordinator_without_verify_rights_gets_404(coordinator):
    assert login(coordinator).get(reverse("review-list")).status_code == 404
