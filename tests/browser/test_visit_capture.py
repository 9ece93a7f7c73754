"""Recording a home visit on a phone-sized screen: start the visit from the household page with
GPS, attach a photo, answer Barthel one screen at a time by tapping options, see the ADL group;
a draft survives a reload and a lost connection."""

from __future__ import annotations

import io
import re
from pathlib import Path

import pytest
from PIL import Image

from chumchon.conftest import PASSWORD
from chumchon.visits.models import Assessment, Photo, Visit
from chumchon.visits.services.assessments import visit_start
from tests.browser.conftest import log_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

# Barthel answers by screen, total 7 → ติดบ้าน (home-bound, 5–11).
SCREENS = [
    {"feeding": "1", "grooming": "0", "transfer": "1"},
    {"toilet_use": "1", "mobility": "1", "dressing": "1"},
    {"stairs": "0", "bathing": "0"},
    {"bowels": "1", "bladder": "1"},
    {"cognitive_impairment": "no", "end_of_life": "no", "caregiver": "family"},
]


@pytest.fixture(autouse=True)
def private_root(settings, tmp_path):
    settings.PRIVATE_FILES_ROOT = tmp_path / "private"


def small_jpeg(tmp_path: Path) -> Path:
    path = tmp_path / "bedroom.jpg"
    buffer = io.BytesIO()
    Image.new("RGB", (320, 240), (200, 150, 90)).save(buffer, format="JPEG")
    path.write_bytes(buffer.getvalue())
    return path


def tap(page, item: str, value: str) -> None:
    page.locator(f'[data-item="{item}"] label.option:has(input[value="{value}"])').click()


def visible_screens(page) -> int:
    return page.locator("[data-screen]:visible").count()


def answer_screens(page, screens: list[dict[str, str]], start: int = 0) -> None:
    total = len(SCREENS)
    for number, answers in enumerate(screens, start=start + 1):
        assert page.locator("[data-progress]").inner_text() == f"{number}/{total}"
        assert visible_screens(page) == 1
        assert page.locator("[data-back]").is_visible() == (number > 1)
        assert page.locator("[data-submit]").is_visible() == (number == total)
        for item, value in answers.items():
            tap(page, item, value)
        if number < total:
            page.locator("[data-next]").click()


def test_volunteer_records_a_visit_with_a_photo_and_sees_the_adl_group(phone, volunteer, household_a, person_a,
                                                                        tmp_path):
    log_in(phone, "vol_a", PASSWORD)
    phone.goto(f"/households/{household_a.pk}/")
    phone.locator(f'a[href="/visits/new/{household_a.pk}/"]').click()
    phone.wait_for_url(f"**/visits/new/{household_a.pk}/")

    phone.locator(f'input[name=present][value="{person_a.pk}"]').check()
    phone.locator("[data-gps-button]").click()
    phone.wait_for_function("document.querySelector('[data-gps-lat]').value !== ''")
    phone.locator("button[type=submit].primary").click()
    phone.wait_for_url(re.compile(r"/visits/\d+/$"))
    visit = Visit.objects.get(household=household_a)
    assert str(visit.latitude) == "7.512345" and list(visit.present.all()) == [person_a]

    # A photo of the visit, taken with the phone's camera (a real JPEG here).
    phone.set_input_files("#id_visit_photo", str(small_jpeg(tmp_path)))
    phone.locator(".photo-form button[type=submit]").click()
    phone.locator("#photos .thumbs img").wait_for()
    photo = Photo.objects.get(visit=visit)
    assert phone.locator("#photos .thumbs img").evaluate("img => img.naturalWidth") == photo.width

    phone.locator('.visit-person a[data-instrument="barthel_adl"]').first.click()
    phone.wait_for_url("**/assess/*/barthel_adl/")
    answer_screens(phone, SCREENS)
    phone.locator("[data-submit]").click()
    phone.wait_for_url(re.compile(r"/visits/\d+/assessments/\d+/$"))
    assert "ติดบ้าน" in phone.locator(".result-class").inner_text()
    assessment = Assessment.objects.get(person=person_a)
    assert assessment.score == 7 and assessment.visit == visit
    assert phone.evaluate("Object.keys(localStorage).filter(k => k.startsWith('chumchon:draft:')).length") == 0

    phone.locator("[data-person-link]").click()
    phone.wait_for_url(f"**/people/{person_a.pk}/")
    result = phone.locator('#assessment-results [data-instrument="barthel_adl"]')
    result.wait_for()
    assert "ติดบ้าน" in result.inner_text()


def test_draft_survives_reload_and_offline_submit(phone, volunteer, household_a, person_a):
    visit = visit_start(actor=volunteer, household_id=household_a.pk, present_ids=[person_a.pk])
    log_in(phone, "vol_a", PASSWORD)
    phone.goto(f"/visits/{visit.pk}/assess/{person_a.pk}/barthel_adl/")
    answer_screens(phone, SCREENS[:1])  # and Next: the second screen shows
    key = phone.input_value("[data-client-key]")

    phone.reload()  # a closed tab or a dropped page: the answers come back
    phone.locator("[data-draft-note]").wait_for()
    assert phone.input_value("[data-client-key]") == key
    assert phone.locator('[data-item="feeding"] input[value="1"]').is_checked()

    answer_screens(phone, SCREENS[1:], start=1)
    phone.context.set_offline(True)
    phone.locator("[data-submit]").click()
    phone.locator("[data-status].warning").wait_for()
    assert not Assessment.objects.exists()
    stored = phone.evaluate("Object.keys(localStorage).filter(k => k.startsWith('chumchon:draft:')).length")
    assert stored == 1

    phone.context.set_offline(False)
    phone.locator("[data-submit]").click()
    phone.wait_for_url(re.compile(r"/visits/\d+/assessments/\d+/$"))
    saved = Assessment.objects.get()
    assert saved.client_key == key and saved.classification == "home_bound"


def test_missing_answer_brings_back_its_screen_with_the_message(phone, volunteer, household_a, person_a):
    visit = visit_start(actor=volunteer, household_id=household_a.pk, present_ids=[person_a.pk])
    log_in(phone, "vol_a", PASSWORD)
    phone.goto(f"/visits/{visit.pk}/assess/{person_a.pk}/barthel_adl/")
    screens = [dict(s) for s in SCREENS]
    del screens[1]["mobility"]
    answer_screens(phone, screens)
    phone.locator("[data-submit]").click()
    error = phone.locator('[data-error-for="mobility"]')
    error.wait_for()
    assert phone.locator("[data-progress]").inner_text() == "2/5"
    assert error.inner_text().strip()
    assert not Assessment.objects.exists()
    tap(phone, "mobility", "1")
    for _ in range(3):
        phone.locator("[data-next]").click()
    phone.locator("[data-submit]").click()
    phone.wait_for_url(re.compile(r"/visits/\d+/assessments/\d+/$"))
    assert Assessment.objects.count() == 1


FIELD_CHECK = (Path(__file__).parents[2] / "chumchon/visits/tests/field_check.yaml").read_text(encoding="utf-8")


@pytest.fixture
def field_check(db):
    """A custom instrument with every other answer type: a photo asked only when the roof
    leaks, a GPS position, a number, a BE date and a multi-choice."""
    from chumchon.visits.instruments import registry
    from chumchon.visits.models import InstrumentFile

    InstrumentFile.objects.create(code="field_check", version=1, title="Field check", source=FIELD_CHECK,
                                  source_format="yaml")
    registry.clear_cache()
    yield
    registry.clear_cache()


def test_photo_question_uploads_at_once_and_skip_rule_shows_it(phone, volunteer, household_a, person_a,
                                                              field_check, tmp_path):
    visit = visit_start(actor=volunteer, household_id=household_a.pk, present_ids=[person_a.pk])
    log_in(phone, "vol_a", PASSWORD)
    phone.goto(f"/visits/{visit.pk}/assess/{person_a.pk}/field_check/")
    photo_item = phone.locator('[data-item="roof_photo"]')
    assert not photo_item.is_visible()  # asked only when the roof leaks
    tap(phone, "roof_leaks", "yes")
    photo_item.wait_for()
    phone.set_input_files("#id_roof_photo", str(small_jpeg(tmp_path)))
    photo_item.locator("[data-photo-thumb] img").wait_for()
    photo_id = int(photo_item.locator("[data-photo-id]").input_value())
    assert Photo.objects.get(pk=photo_id).item_code == "roof_photo"

    phone.locator("[data-next]").click()
    assert phone.locator("[data-progress]").inner_text() == "2/2"
    phone.locator('[data-item="spot"] [data-gps-button]').click()
    phone.wait_for_function("document.querySelector('[name=spot__lat]').value !== ''")
    phone.fill("#id_rooms", "๓")
    phone.fill("#id_fixed_on", "1/1/2567")
    phone.locator('[data-item="needs"] label.option:has(input[value="roof"])').click()
    phone.locator("[data-submit]").click()
    phone.wait_for_url(re.compile(r"/visits/\d+/assessments/\d+/$"))
    phone.locator(".result-card .thumbs img").wait_for()

    saved = Assessment.objects.get(instrument_code="field_check")
    assert saved.answers["roof_photo"] == photo_id and saved.answers["rooms"] == 3
    assert saved.answers["spot"]["lat"] == pytest.approx(7.512345)
    assert saved.answers["fixed_on"] == "2024-01-01" and saved.answers["needs"] == ["roof"]
    assert Photo.objects.get(pk=photo_id).assessment == saved
