"""POST /api/v1/persons/{id}/assessments and the visit endpoints: computed results, 422 naming
the item, nothing half-saved, and nothing for an outsider."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest

from chumchon.api.testing import api_client
from chumchon.care.models import Alert
from chumchon.core.models import AuditEntry
from chumchon.people.validation import today
from chumchon.visits.models import Assessment, CurrentStatus, Visit

BARTHEL_ITEMS = ["feeding", "grooming", "transfer", "toilet_use", "mobility", "dressing", "stairs", "bathing",
                 "bowels", "bladder"]
BARTHEL_MAX = {"feeding": 2, "grooming": 1, "transfer": 3, "toilet_use": 2, "mobility": 3, "dressing": 2,
               "stairs": 2, "bathing": 1, "bowels": 2, "bladder": 2}


def barthel(total: int, caregiver: str = "family") -> dict[str, Any]:
    """Answers that add up to ``total``, filling items in order."""
    answers: dict[str, Any] = {}
    left = total
    for code in BARTHEL_ITEMS:
        give = min(left, BARTHEL_MAX[code])
        answers[code] = str(give)
        left -= give
    answers.update({"cognitive_impairment": "no", "end_of_life": "no", "caregiver": caregiver})
    return answers


def locs(response: Any) -> list[list[Any]]:
    assert response.status_code == 422, response.content
    return [item["loc"] for item in response.json()["detail"]]


@pytest.mark.django_db
def test_recording_a_barthel_returns_score_group_and_due_date(volunteer, person_a):
    response = api_client(volunteer).api_post(f"/persons/{person_a.pk}/assessments",
                                              {"instrument": "barthel_adl", "answers": barthel(8)})
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["score"] == 8
    assert body["classification"] == "home_bound"
    assert body["classification_label"] == "ติดบ้าน"
    assert body["instrument_version"] == 1
    assert body["due_on"] == (today() + timedelta(days=182)).isoformat()
    status = CurrentStatus.objects.get(person=person_a, instrument_code="barthel_adl")
    assert status.classification == "home_bound"
    assert AuditEntry.objects.filter(verb="assessment.record", object_id=str(body["id"])).exists()


@pytest.mark.django_db
def test_bed_bound_without_caregiver_raises_an_urgent_alert(volunteer, officer, person_a):
    response = api_client(volunteer).api_post(f"/persons/{person_a.pk}/assessments",
                                              {"instrument": "barthel_adl", "answers": barthel(2, "none")})
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["classification"] == "bed_bound"
    assert "bedbound_no_caregiver" in [flag["code"] for flag in body["flags"]]
    alert = Alert.objects.get(person=person_a, flag_code="bedbound_no_caregiver")
    assert alert.severity == "urgent"


@pytest.mark.django_db
def test_an_answer_outside_the_options_is_refused_naming_the_item_and_nothing_is_saved(volunteer, person_a):
    answers = barthel(10)
    answers["transfer"] = "7"
    response = api_client(volunteer).api_post(f"/persons/{person_a.pk}/assessments",
                                              {"instrument": "barthel_adl", "answers": answers})
    assert ["body", "answers", "transfer"] in locs(response)
    assert not Assessment.objects.exists()
    assert not CurrentStatus.objects.exists()


@pytest.mark.django_db
def test_a_missing_required_answer_is_named(volunteer, person_a):
    answers = barthel(10)
    del answers["bathing"]
    response = api_client(volunteer).api_post(f"/persons/{person_a.pk}/assessments",
                                              {"instrument": "barthel_adl", "answers": answers})
    assert ["body", "answers", "bathing"] in locs(response)


@pytest.mark.django_db
def test_an_assessment_dated_in_the_future_is_refused(volunteer, person_a):
    tomorrow = today() + timedelta(days=1)
    response = api_client(volunteer).api_post(f"/persons/{person_a.pk}/assessments", {
        "instrument": "barthel_adl", "answers": barthel(15), "assessed_on": tomorrow.isoformat()})
    assert ["body", "assessed_on"] in locs(response)
    assert not Assessment.objects.exists()


@pytest.mark.django_db
def test_an_unknown_instrument_is_refused(volunteer, person_a):
    response = api_client(volunteer).api_post(f"/persons/{person_a.pk}/assessments",
                                              {"instrument": "no_such_thing", "answers": {}})
    assert ["body", "instrument"] in locs(response)


@pytest.mark.django_db
def test_the_same_draft_sent_twice_is_saved_once(volunteer, person_a):
    client = api_client(volunteer)
    payload = {"instrument": "barthel_adl", "answers": barthel(14), "client_key": "draft-1"}
    first = client.api_post(f"/persons/{person_a.pk}/assessments", payload)
    second = client.api_post(f"/persons/{person_a.pk}/assessments", payload)
    assert first.status_code == second.status_code == 201
    assert first.json()["id"] == second.json()["id"]
    assert Assessment.objects.count() == 1


@pytest.mark.django_db
def test_an_outsider_gets_404_and_nothing_is_saved(outsider, person_a):
    client = api_client(outsider)
    response = client.api_post(f"/persons/{person_a.pk}/assessments",
                               {"instrument": "barthel_adl", "answers": barthel(10)})
    assert response.status_code == 404
    assert client.api_get(f"/persons/{person_a.pk}/assessments").status_code == 404
    assert not Assessment.objects.exists()


@pytest.mark.django_db
def test_an_outsider_cannot_read_an_assessment_or_a_visit(volunteer, outsider, person_a, household_a):
    mine = api_client(volunteer)
    visit = mine.api_post("/visits", {"household_id": household_a.pk, "present": [person_a.pk]}).json()
    made = mine.api_post(f"/persons/{person_a.pk}/assessments",
                         {"instrument": "barthel_adl", "answers": barthel(10), "visit_id": visit["id"]}).json()
    theirs = api_client(outsider)
    assert theirs.api_get(f"/assessments/{made['id']}").status_code == 404
    assert theirs.api_get(f"/visits/{visit['id']}").status_code == 404
    assert theirs.api_get(f"/visits/{visit['id']}/assessments").status_code == 404
    assert mine.api_get(f"/visits/{visit['id']}/assessments").json()[0]["id"] == made["id"]


@pytest.mark.django_db
def test_a_provincial_coordinator_sees_no_assessment(volunteer, coordinator, person_a):
    made = api_client(volunteer).api_post(f"/persons/{person_a.pk}/assessments",
                                          {"instrument": "barthel_adl", "answers": barthel(10)}).json()
    assert api_client(coordinator).api_get(f"/assessments/{made['id']}").status_code == 404


@pytest.mark.django_db
def test_a_visit_records_who_was_present_and_where(volunteer, household_a, person_a):
    response = api_client(volunteer).api_post("/visits", {
        "household_id": household_a.pk, "present": [person_a.pk], "latitude": 7.5012, "longitude": 100.0123,
        "visited_on": "1/11/2569"})
    assert response.status_code == 201, response.content
    visit = Visit.objects.get(pk=response.json()["id"])
    assert visit.visited_on.isoformat() == "2026-11-01"
    assert list(visit.present.all()) == [person_a]
    assert visit.latitude is not None
    assert float(visit.latitude) == pytest.approx(7.5012)


@pytest.mark.django_db
def test_a_gps_point_outside_thailand_is_refused(volunteer, household_a):
    response = api_client(volunteer).api_post("/visits", {
        "household_id": household_a.pk, "latitude": 51.5, "longitude": -0.12})
    assert ["body", "gps"] in locs(response)
    assert not Visit.objects.exists()


@pytest.mark.django_db
def test_someone_from_another_household_cannot_be_marked_present(volunteer, household_a, officer, village_a):
    from chumchon.people.services import household_create, person_create

    other = household_create(actor=officer, area_code=village_a.code, house_no="99")
    stranger = person_create(actor=officer, household=other, first_name="ทดสอบ", last_name="คนอื่น",
                             no_id_reason="unknown", confirm_new=True)
    response = api_client(volunteer).api_post("/visits", {"household_id": household_a.pk, "present": [stranger.pk]})
    assert ["body", "present"] in locs(response)
