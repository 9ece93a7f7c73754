"""The assessment form without JavaScript, for every answer type: a photo sent with the form, a
GPS position, a number typed in Thai digits, a BE date, several choices; skipped answers dropped."""

from __future__ import annotations

import io
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from PIL import Image

from chumchon.conftest import PASSWORD
from chumchon.visits.models import Assessment, InstrumentFile, Photo, Visit
from chumchon.visits.services.assessments import visit_start
from chumchon.visits.views._answers import applies_to

FIELD_CHECK = (Path(__file__).parent / "field_check.yaml").read_text(encoding="utf-8")


@pytest.fixture(autouse=True)
def private_root(settings: Any, tmp_path: Path) -> None:
    settings.PRIVATE_FILES_ROOT = tmp_path / "private"


@pytest.fixture
def field_check(db: Any) -> Iterator[None]:
    from chumchon.visits.instruments import registry

    InstrumentFile.objects.create(code="field_check", version=1, title="Field check", source=FIELD_CHECK,
                                  source_format="yaml")
    registry.clear_cache()
    yield
    registry.clear_cache()


@pytest.fixture
def visit(volunteer: Any, household_a: Any, person_a: Any) -> Visit:
    return visit_start(actor=volunteer, household_id=household_a.pk, present_ids=[person_a.pk])


@pytest.fixture
def client(volunteer: Any) -> Client:
    client = Client()
    assert client.login(username=volunteer.username, password=PASSWORD)
    return client


def picture() -> SimpleUploadedFile:
    buffer = io.BytesIO()
    Image.new("RGB", (50, 40), "blue").save(buffer, format="PNG")
    return SimpleUploadedFile("roof.png", buffer.getvalue(), content_type="image/png")


def url(visit: Visit, person: Any) -> str:
    return reverse("assessment-new", args=[visit.pk, person.pk, "field_check"])


def test_every_answer_type_is_read_from_the_plain_form(client: Client, visit: Visit, person_a: Any,
                                                       field_check: None) -> None:
    response = client.post(url(visit, person_a), {
        "roof_leaks": "yes", "roof_photo__file": picture(), "spot__lat": "7.5", "spot__lon": "100.1",
        "rooms": "๓", "fixed_on": "๑/๑/๒๕๖๗", "needs": ["roof", "toilet"], "client_key": "k-all"})
    assert response.status_code == 302
    saved = Assessment.objects.get(client_key="k-all")
    photo = Photo.objects.get()
    assert saved.answers == {"roof_leaks": "yes", "roof_photo": photo.pk, "spot": {"lat": 7.5, "lon": 100.1},
                             "rooms": 3, "fixed_on": "2024-01-01", "needs": ["roof", "toilet"]}
    assert photo.assessment == saved and photo.item_code == "roof_photo" and photo.purpose == "answer"
    assert saved.classification == "leaking"


def test_a_skipped_question_is_dropped_by_the_server(client: Client, visit: Visit, person_a: Any,
                                                     field_check: None) -> None:
    client.post(url(visit, person_a), {"roof_leaks": "no", "roof_photo__file": picture(), "spot__lat": "7.5",
                                       "spot__lon": "100.1", "rooms": "2", "client_key": "k-skip"})
    saved = Assessment.objects.get(client_key="k-skip")
    assert "roof_photo" not in saved.answers and saved.classification == "ok"


def test_bad_answers_are_shown_at_their_items_and_the_photo_is_kept(client: Client, visit: Visit, person_a: Any,
                                                                    field_check: None) -> None:
    response = client.post(url(visit, person_a), {
        "roof_leaks": "yes", "roof_photo__file": picture(), "spot__lat": "48.85", "spot__lon": "2.35",
        "rooms": "many", "client_key": "k-bad"})
    html = response.content.decode()
    assert response.status_code == 422
    assert 'data-error-for="rooms">' in html
    assert not Assessment.objects.exists()
    photo = Photo.objects.get()
    assert f'name="roof_photo" value="{photo.pk}"' in html  # no need to take the photo again
    assert 'value="many"' in html


def test_gps_outside_thailand_is_refused_at_the_item(client: Client, visit: Visit, person_a: Any,
                                                     field_check: None) -> None:
    response = client.post(url(visit, person_a), {"roof_leaks": "no", "spot__lat": "48.85", "spot__lon": "2.35",
                                                   "rooms": "1", "client_key": "k-gps"},
                           HTTP_ACCEPT="application/json")
    assert response.status_code == 422 and "spot" in response.json()["errors"]


def test_barthel_is_offered_to_elders_and_dependent_people_only(person_a: Any) -> None:
    from datetime import date

    from chumchon.visits.instruments.registry import get_instrument

    barthel = get_instrument("barthel_adl")
    assert applies_to(barthel, person_a, date(2026, 1, 1))  # born 1947
    person_a.birth_date = date(2000, 1, 1)
    assert not applies_to(barthel, person_a, date(2026, 1, 1))
    person_a.is_bedbound = True
    assert applies_to(barthel, person_a, date(2026, 1, 1))
