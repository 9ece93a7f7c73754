"""Visit capture pages: start a visit (BE date, GPS, who is present), the visit page, the
assessment form and its result, photos; outsiders get 404 everywhere."""

from __future__ import annotations

import io
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from PIL import Image

from chumchon.conftest import PASSWORD
from chumchon.core.thai import format_be, to_thai_digits
from chumchon.people.validation import today
from chumchon.visits.models import Assessment, Photo, Visit
from chumchon.visits.services.assessments import visit_start

BARTHEL_FULL = {"feeding": "2", "grooming": "1", "transfer": "3", "toilet_use": "2", "mobility": "3",
                "dressing": "2", "stairs": "2", "bathing": "1", "bowels": "2", "bladder": "2"}
# total 7 → home-bound (ติดบ้าน)
BARTHEL_HOME = {"feeding": "1", "grooming": "0", "transfer": "1", "toilet_use": "1", "mobility": "1",
                "dressing": "1", "stairs": "0", "bathing": "0", "bowels": "1", "bladder": "1"}


@pytest.fixture(autouse=True)
def private_root(settings: Any, tmp_path: Path) -> Path:
    settings.PRIVATE_FILES_ROOT = tmp_path / "private"
    return tmp_path / "private"


def client_for(user: Any) -> Client:
    client = Client()
    assert client.login(username=user.username, password=PASSWORD)
    return client


@pytest.fixture
def visit(volunteer: Any, household_a: Any, person_a: Any) -> Visit:
    return visit_start(actor=volunteer, household_id=household_a.pk, present_ids=[person_a.pk])


def jpeg() -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (64, 48), "green").save(buffer, format="JPEG")
    return buffer.getvalue()


def with_extra_answers(answers: dict[str, str]) -> dict[str, str]:
    """Barthel v1 also asks about cognition, severe illness and a caregiver (Helper A's file)."""
    from chumchon.visits.instruments.registry import get_instrument

    out = dict(answers)
    for item in get_instrument("barthel_adl").items:
        if item.code not in out and item.required and item.type in ("choice", "yes_no") and item.show_if is None:
            out[item.code] = "no" if item.type == "yes_no" else item.options[-1].value
    return out


# --- starting a visit ---------------------------------------------------------------------


def test_household_page_links_to_start_a_visit(volunteer: Any, household_a: Any) -> None:
    page = client_for(volunteer).get(reverse("people:household_detail", args=[household_a.pk]))
    assert reverse("visit-new", args=[household_a.pk]) in page.content.decode()


def test_visit_form_shows_today_in_be_and_the_members(volunteer: Any, household_a: Any, person_a: Any) -> None:
    page = client_for(volunteer).get(reverse("visit-new", args=[household_a.pk]))
    html = page.content.decode()
    assert page.status_code == 200
    assert format_be(today(), style="numeric") in html
    assert "นางสมศรี ใจดี" in html and 'name="client_key"' in html


def test_volunteer_starts_a_visit_with_be_date_in_thai_digits(volunteer: Any, household_a: Any,
                                                              person_a: Any) -> None:
    day = today() - timedelta(days=3)
    typed = to_thai_digits(f"{day.day}/{day.month}/{day.year + 543}")
    response = client_for(volunteer).post(reverse("visit-new", args=[household_a.pk]), {
        "visited_on": typed, "present": [person_a.pk], "latitude": "7.512345", "longitude": "100.123456",
        "accuracy": "12", "note": "เยี่ยมบ้าน", "client_key": "k-visit-1"})
    visit = Visit.objects.get(client_key="k-visit-1")
    assert response.status_code == 302 and response["Location"] == reverse("visit-detail", args=[visit.pk])
    assert visit.visited_on == day and list(visit.present.all()) == [person_a]
    assert str(visit.latitude) == "7.512345" and visit.gps_accuracy_m == 12


def test_future_visit_date_is_refused_with_a_message(volunteer: Any, household_a: Any) -> None:
    day = today() + timedelta(days=2)
    response = client_for(volunteer).post(reverse("visit-new", args=[household_a.pk]), {
        "visited_on": f"{day.day}/{day.month}/{day.year + 543}", "client_key": "k-future"})
    assert response.status_code == 400
    assert "future" in response.content.decode() or "อนาคต" in response.content.decode()
    assert not Visit.objects.exists()


def test_gps_outside_thailand_is_refused_with_a_message(volunteer: Any, household_a: Any) -> None:
    response = client_for(volunteer).post(reverse("visit-new", args=[household_a.pk]), {
        "visited_on": "", "latitude": "48.8566", "longitude": "2.3522", "client_key": "k-paris"})
    html = response.content.decode()
    assert response.status_code == 400
    assert "outside Thailand" in html or "นอกประเทศไทย" in html
    assert 'value="48.8566"' in html  # what was sent is kept
    assert not Visit.objects.exists()


def test_retried_visit_post_with_same_client_key_saves_once(volunteer: Any, household_a: Any) -> None:
    client = client_for(volunteer)
    data = {"visited_on": "", "client_key": "k-twice"}
    first = client.post(reverse("visit-new", args=[household_a.pk]), data)
    second = client.post(reverse("visit-new", args=[household_a.pk]), data)
    assert first["Location"] == second["Location"]
    assert Visit.objects.count() == 1


def test_outsider_gets_404_for_the_visit_form(outsider: Any, household_a: Any) -> None:
    client = client_for(outsider)
    assert client.get(reverse("visit-new", args=[household_a.pk])).status_code == 404
    assert client.post(reverse("visit-new", args=[household_a.pk]), {"client_key": "x"}).status_code == 404
    assert not Visit.objects.exists()


# --- the visit page -----------------------------------------------------------------------


def test_visit_page_lists_present_people_with_their_instruments(volunteer: Any, visit: Visit,
                                                                person_a: Any) -> None:
    page = client_for(volunteer).get(reverse("visit-detail", args=[visit.pk]))
    html = page.content.decode()
    assert page.status_code == 200
    assert "นางสมศรี ใจดี" in html
    assert reverse("assessment-new", args=[visit.pk, str(person_a.pk), "barthel_adl"]) in html


def test_outsider_gets_404_for_visit_page_form_result_and_upload(outsider: Any, volunteer: Any, visit: Visit,
                                                                 person_a: Any) -> None:
    assessment = client_for(volunteer).post(
        reverse("assessment-new", args=[visit.pk, person_a.pk, "barthel_adl"]),
        {**with_extra_answers(BARTHEL_FULL), "client_key": "k-a"})
    assert assessment.status_code == 302
    saved = Assessment.objects.get(client_key="k-a")
    client = client_for(outsider)
    assert client.get(reverse("visit-detail", args=[visit.pk])).status_code == 404
    assert client.get(reverse("assessment-new", args=[visit.pk, person_a.pk, "barthel_adl"])).status_code == 404
    assert client.get(reverse("assessment-result", args=[visit.pk, saved.pk])).status_code == 404
    upload = client.post(reverse("photo-upload", args=[visit.pk]),
                         {"photo": io.BytesIO(jpeg()), "purpose": "visit"})
    assert upload.status_code == 404 and not Photo.objects.exists()


def test_person_of_another_household_cannot_be_assessed_in_this_visit(volunteer: Any, visit: Visit,
                                                                      officer: Any, village_a: Any) -> None:
    from chumchon.people.services import household_create, person_create

    other = household_create(actor=officer, area_code=village_a.code, house_no="99")
    stranger = person_create(actor=officer, household=other, first_name="ทดสอบ", last_name="อื่น",
                             sex="male", birth_date="2480", no_id_reason="unknown")
    url = reverse("assessment-new", args=[visit.pk, stranger.pk, "barthel_adl"])
    assert client_for(volunteer).get(url).status_code == 404


# --- the assessment form --------------------------------------------------------------------


def test_form_shows_every_group_with_options_as_buttons_and_a_client_key(volunteer: Any, visit: Visit,
                                                                         person_a: Any) -> None:
    page = client_for(volunteer).get(reverse("assessment-new", args=[visit.pk, person_a.pk, "barthel_adl"]))
    html = page.content.decode()
    assert page.status_code == 200
    assert html.count("data-screen") >= 3
    assert 'name="feeding"' in html and 'class="option"' in html
    assert 'name="client_key"' in html and "data-draft-key" in html


def test_submitting_answers_records_and_shows_the_group(volunteer: Any, visit: Visit, person_a: Any) -> None:
    client = client_for(volunteer)
    response = client.post(reverse("assessment-new", args=[visit.pk, person_a.pk, "barthel_adl"]),
                           {**with_extra_answers(BARTHEL_HOME), "client_key": "k-home"})
    saved = Assessment.objects.get(client_key="k-home")
    assert response.status_code == 302
    assert response["Location"] == reverse("assessment-result", args=[visit.pk, saved.pk])
    assert saved.visit == visit and saved.score == 7 and saved.classification
    result = client.get(response["Location"]).content.decode()
    assert "ติดบ้าน" in result or "home" in result.lower()
    assert reverse("people:person_detail", args=[person_a.pk]) in result
    visit_page = client.get(reverse("visit-detail", args=[visit.pk])).content.decode()
    assert reverse("assessment-result", args=[visit.pk, saved.pk]) in visit_page


def test_missing_answer_is_shown_next_to_its_item_and_answers_are_kept(volunteer: Any, visit: Visit,
                                                                        person_a: Any) -> None:
    answers = with_extra_answers(BARTHEL_FULL)
    del answers["stairs"]
    response = client_for(volunteer).post(
        reverse("assessment-new", args=[visit.pk, person_a.pk, "barthel_adl"]), {**answers, "client_key": "k-miss"})
    html = response.content.decode()
    assert response.status_code == 422
    assert 'data-error-for="stairs">' in html  # the error list for stairs is shown (not hidden)
    assert 'name="feeding" value="2" checked' in html
    assert 'value="k-miss"' in html
    assert not Assessment.objects.exists()


def test_fetch_submit_gets_json_with_item_errors(volunteer: Any, visit: Visit, person_a: Any) -> None:
    answers = with_extra_answers(BARTHEL_FULL)
    answers["feeding"] = "9"
    response = client_for(volunteer).post(
        reverse("assessment-new", args=[visit.pk, person_a.pk, "barthel_adl"]),
        {**answers, "client_key": "k-json"}, HTTP_ACCEPT="application/json")
    assert response.status_code == 422
    assert "feeding" in response.json()["errors"]


def test_retried_submit_with_the_same_client_key_saves_once(volunteer: Any, visit: Visit, person_a: Any) -> None:
    client = client_for(volunteer)
    url = reverse("assessment-new", args=[visit.pk, person_a.pk, "barthel_adl"])
    data = {**with_extra_answers(BARTHEL_FULL), "client_key": "k-retry"}
    first = client.post(url, data, HTTP_ACCEPT="application/json")
    second = client.post(url, data, HTTP_ACCEPT="application/json")
    assert first.status_code == second.status_code == 200
    assert first.json()["id"] == second.json()["id"]
    assert Assessment.objects.filter(client_key="k-retry").count() == 1


def test_unknown_instrument_or_household_subject_for_person_instrument_is_404(volunteer: Any, visit: Visit,
                                                                             person_a: Any) -> None:
    client = client_for(volunteer)
    assert client.get(reverse("assessment-new", args=[visit.pk, person_a.pk, "no_such"])).status_code == 404
    url = reverse("assessment-new", args=[visit.pk, f"h{visit.household_id}", "barthel_adl"])
    assert client.get(url).status_code == 404


# --- photos -----------------------------------------------------------------------------------


def test_photo_upload_returns_id_and_scoped_url(volunteer: Any, officer: Any, outsider: Any, visit: Visit,
                                                person_a: Any) -> None:
    client = client_for(volunteer)
    response = client.post(reverse("photo-upload", args=[visit.pk]),
                           {"photo": io.BytesIO(jpeg()), "purpose": "answer", "item_code": "evidence",
                            "person": person_a.pk}, HTTP_ACCEPT="application/json")
    body = response.json()
    photo = Photo.objects.get(pk=body["id"])
    assert body["url"] == reverse("photo-file", args=[photo.pk])
    assert photo.visit == visit and photo.person == person_a and photo.purpose == "answer"
    served = client_for(officer).get(body["url"])
    assert served.status_code == 200 and served["Content-Type"] == "image/jpeg"
    assert "no-store" in served["Cache-Control"] and "private" in served["Cache-Control"]
    assert served.getvalue().startswith(b"\xff\xd8")
    assert client_for(outsider).get(body["url"]).status_code == 404


def test_photo_upload_of_a_text_file_gets_a_message(volunteer: Any, visit: Visit) -> None:
    fake = io.BytesIO(b"not a picture at all")
    fake.name = "x.jpg"
    response = client_for(volunteer).post(reverse("photo-upload", args=[visit.pk]), {"photo": fake},
                                          HTTP_ACCEPT="application/json")
    assert response.status_code == 422 and response.json()["errors"]["photo"]
    assert not Photo.objects.exists()


def test_visit_photo_without_javascript_goes_back_to_the_visit_page(volunteer: Any, visit: Visit) -> None:
    client = client_for(volunteer)
    picture = io.BytesIO(jpeg())
    picture.name = "p.jpg"
    response = client.post(reverse("photo-upload", args=[visit.pk]), {"photo": picture, "purpose": "visit"})
    assert response.status_code == 302 and response["Location"] == reverse("visit-detail", args=[visit.pk])
    photo = Photo.objects.get()
    assert reverse("photo-file", args=[photo.pk]) in client.get(response["Location"]).content.decode()


def test_anonymous_user_is_sent_to_login_for_the_photo(volunteer: Any, visit: Visit) -> None:
    picture = io.BytesIO(jpeg())
    picture.name = "p.jpg"
    client_for(volunteer).post(reverse("photo-upload", args=[visit.pk]), {"photo": picture})
    photo = Photo.objects.get()
    response = Client().get(reverse("photo-file", args=[photo.pk]))
    assert response.status_code == 302 and "/login/" in response["Location"]
