"""/api/v1/forums and /api/v1/reviews: scoped (outsider 404, sees no forum), 422 naming the field,
the same services as the pages."""

from __future__ import annotations

from typing import Any

import pytest
from django.urls import path

from chumchon.api.main import api
from chumchon.api.testing import api_client
from chumchon.core.models import AuditEntry
from chumchon.core.review import ReviewStatus
from chumchon.core.thai import format_be
from chumchon.people.models import Person
from chumchon.people.validation import today
from chumchon.urls import urlpatterns as project_patterns
from chumchon.visits.models import Photo, PhotoPurpose
from chumchon.visits.services import forums

S = ReviewStatus
VISITED = format_be(today(), style="numeric")


def _test_api() -> list[Any]:
    """Mount the routers here until the lead registers them in api/main.py (then this adds nothing)."""
    from chumchon.visits.api.forums import forums_router, reviews_router

    if any(attached is forums_router for _, attached in api._routers):
        return []
    from ninja import NinjaAPI

    from chumchon.api import errors
    from chumchon.api.auth import API_AUTH

    test_api = NinjaAPI(urls_namespace="test_forums_api", auth=API_AUTH)
    errors.install(test_api)
    test_api.add_router("/forums", forums_router)
    test_api.add_router("/reviews", reviews_router)
    return [path("api/v1/", test_api.urls)]


urlpatterns = [*_test_api(), *project_patterns]
pytestmark = pytest.mark.urls(__name__)


def locs(response: Any) -> list[list[Any]]:
    assert response.status_code == 422, response.content
    return [item["loc"] for item in response.json()["detail"]]


@pytest.fixture
def forum(officer: Any, village_a: Any) -> Any:
    return forums.forum_create(actor=officer, area_code=village_a.code, held_on="5/12/2569")


def verified(person: Person) -> Person:
    Person.objects.filter(pk=person.pk).update(review_status=S.VERIFIED)
    person.refresh_from_db()
    return person


def test_officer_creates_and_lists_forums_and_outsider_sees_none(officer, outsider, village_a):
    client = api_client(officer)
    created = client.api_post("/forums", {"area_code": village_a.code, "held_on": "5 ธ.ค. 2569", "place": "วัด"})
    assert created.status_code == 201, created.content
    assert created.json()["held_on"] == "2026-12-05"
    assert [f["id"] for f in client.api_get("/forums").json()["items"]] == [created.json()["id"]]
    assert api_client(outsider).api_get("/forums").json()["items"] == []
    assert locs(client.api_post("/forums", {"area_code": village_a.code, "held_on": "31/02/2569"})) == [
        ["body", "held_on"]]


def test_a_volunteer_cannot_create_a_forum(volunteer, village_a):
    assert api_client(volunteer).api_post("/forums", {"area_code": village_a.code,
                                                       "held_on": "5/12/2569"}).status_code == 404


def test_forum_detail_and_progress_and_outsider_404(officer, outsider, forum, person_a):
    detail = api_client(officer).api_get(f"/forums/{forum.pk}")
    assert detail.status_code == 200
    person = detail.json()["people"][0]
    assert (person["full_name"], person["house_no"], person["review_status"]) == ("นางสมศรี ใจดี", "12/3", "submitted")
    assert "national_id" not in person
    progress = api_client(officer).api_get(f"/forums/{forum.pk}/progress").json()
    assert progress["people"]["submitted"] == 1 and progress["marks"]["confirmed"] == 0
    for url in (f"/forums/{forum.pk}", f"/forums/{forum.pk}/progress"):
        assert api_client(outsider).api_get(url).status_code == 404
    assert api_client(outsider).api_post(f"/forums/{forum.pk}/marks", {
        "person_id": person_a.pk, "outcome": "confirmed"}).status_code == 404


def test_marks_through_the_api(officer, forum, person_a):
    verified(person_a)
    client = api_client(officer)
    url = f"/forums/{forum.pk}/marks"
    assert locs(client.api_post(url, {"person_id": person_a.pk, "outcome": "disputed"})) == [["body", "reason"]]
    assert locs(client.api_post(url, {"person_id": person_a.pk, "outcome": "maybe"}))[0][:2] == ["body", "outcome"]
    fixed = client.api_post(url, {"person_id": person_a.pk, "outcome": "corrected", "version": person_a.version,
                                  "corrections": {"nickname": "แม่ศรี"}})
    assert fixed.status_code == 200, fixed.content
    assert (fixed.json()["outcome"], fixed.json()["review_status"]) == ("corrected", "accepted")
    assert AuditEntry.objects.filter(verb="person.update", object_id=str(person_a.pk)).exists()
    stale = client.api_post(url, {"person_id": person_a.pk, "outcome": "corrected", "version": 1,
                                  "corrections": {"nickname": "ศรี"}})
    assert stale.status_code == 409


def test_verify_send_back_and_submit_through_the_api(officer, volunteer, outsider, person_a):
    photo = Photo.objects.create(area_id=person_a.area_id, purpose=PhotoPurpose.EVIDENCE, path="p.jpg",
                                 content_type="image/jpeg", width=1, height=1, size_bytes=1, uploaded_by=volunteer)
    url = f"/reviews/person/{person_a.pk}"
    assert api_client(outsider).api_post(f"{url}/verify", {"photo_id": photo.pk,
                                                           "visited_on": VISITED}).status_code == 404
    assert locs(api_client(officer).api_post(f"{url}/verify", {"visited_on": VISITED})) == [["body", "actor"]]
    assert locs(api_client(volunteer).api_post(f"{url}/verify", {"visited_on": VISITED})) == [
        ["body", "photo_id"]]
    done = api_client(volunteer).api_post(f"{url}/verify", {"photo_id": photo.pk, "visited_on": VISITED})
    assert done.status_code == 200, done.content
    assert (done.json()["to_status"], done.json()["photo_id"]) == ("verified", photo.pk)
    assert locs(api_client(volunteer).api_post(f"{url}/send-back", {})) == [["body", "reason"]]
    back = api_client(volunteer).api_post(f"{url}/send-back", {"reason": "ผิด"})
    assert back.json()["to_status"] == "correction"
    again = api_client(officer).api_post(f"{url}/submit", {})
    assert again.json()["to_status"] == "submitted"
