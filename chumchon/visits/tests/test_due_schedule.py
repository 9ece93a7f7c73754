"""The follow-up schedule: due by the end of the week, most urgent first (open urgent alert, then
the band's severity, then days overdue), people never assessed listed as due now; scoped."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal
from typing import Any

import pytest
from django.test import Client

from chumchon.care.models import Alert
from chumchon.conftest import PASSWORD
from chumchon.people.services import household_create, person_create
from chumchon.people.validation import today
from chumchon.visits.models import Assessment, CurrentStatus
from chumchon.visits.selectors.followups import due_list, end_of_week, months_before

VERSION = 1


def make_person(actor: Any, household: Any, first_name: str, born: date, **extra: Any) -> Any:
    return person_create(actor=actor, household=household, first_name=first_name, last_name="ทดสอบ",
                         birth_date=born.isoformat(), confirm_new=True, **{"no_id_reason": "unknown", **extra})


def make_status(person: Any, code: str, classification: str, *, due_on: date | None, score: Any = None,
                assessed_on: date | None = None, flags: list[str] | None = None) -> CurrentStatus:
    """An assessment and its CurrentStatus as the assessment service leaves them."""
    assessed_on = assessed_on or (due_on - timedelta(days=30) if due_on else today())
    assessment = Assessment.objects.create(
        person=person, household=person.household, area=person.area, instrument_code=code,
        instrument_version=VERSION, assessed_on=assessed_on, classification=classification,
        score=Decimal(score) if score is not None else None, due_on=due_on, flags=flags or [])
    status, _ = CurrentStatus.objects.update_or_create(
        person=person, instrument_code=code,
        defaults={"area": person.area, "assessment": assessment, "classification": classification,
                  "score": assessment.score, "assessed_on": assessed_on, "due_on": due_on, "flags": flags or []})
    return status


def days(n: int) -> date:
    return today() + timedelta(days=n)


@pytest.fixture
def village_data(officer, person_a, household_a, village_b) -> dict[str, Any]:
    """person_a (an elder) and others in village A; one child in village B."""
    elder2 = make_person(officer, household_a, "ติดเตียง", date(1940, 3, 1))
    elder3 = make_person(officer, household_a, "แข็งแรง", date(1950, 3, 1))
    child = make_person(officer, household_a, "หนูน้อย", months_before(today(), 14))
    house_b = household_create(actor=officer, area_code=village_b.code, house_no="5")
    child_b = make_person(officer, house_b, "เด็กหมู่สอง", months_before(today(), 20))
    make_status(person_a, "barthel_adl", "home_bound", score=8, due_on=days(-10))
    make_status(elder2, "barthel_adl", "bed_bound", score=2, due_on=days(-2))
    make_status(elder3, "barthel_adl", "social_bound", score=19, due_on=days(300))
    make_status(child, "dspm", "suspected_delay", due_on=days(-1))
    make_status(child_b, "dspm", "suspected_delay", due_on=days(-3))
    Alert.objects.create(area=child.area, person=child, flag_code="suspected_delay_unreferred", severity="urgent",
                         title="x")
    return {"elder2": elder2, "elder3": elder3, "child": child, "child_b": child_b}


def name(row: Any) -> str:
    assert row.person is not None
    return str(row.person.first_name)


def scheduled(page: Any) -> list[tuple[str, str]]:
    return [(name(row), row.instrument_code) for row in page.rows if not row.never_assessed]


def test_due_list_is_most_urgent_first(volunteer, village_data, person_a):
    page = due_list(user=volunteer)
    # open urgent alert first; then the bed-bound (urgent band) before the home-bound (high band)
    # even though the home-bound is longer overdue; the social-bound elder is not due yet
    assert scheduled(page) == [("หนูน้อย", "dspm"), ("ติดเตียง", "barthel_adl"), ("สมศรี", "barthel_adl")]
    first = page.rows[0]
    assert first.urgent_alert and first.classification_label and first.severity == "high"
    home_bound = page.rows[2]
    assert home_bound.days_overdue == 10 and home_bound.household_id == person_a.household_id
    assert home_bound.reason  # e.g. "re-check after 30 days · Home-bound"


def test_due_list_until_a_later_date_adds_the_later_ones(volunteer, village_data):
    page = due_list(user=volunteer, until=days(400))
    assert ("แข็งแรง", "barthel_adl") in scheduled(page)


def test_never_assessed_children_and_elders_are_due_now(volunteer, village_data, person_a):
    page = due_list(user=volunteer)
    never = {(name(row), row.instrument_code) for row in page.rows if row.never_assessed}
    assert ("หนูน้อย", "growth") in never  # a child assessed for development but never weighed
    assert ("หนูน้อย", "dspm") not in never
    assert ("สมศรี", "barthel_adl") not in never  # has a status
    assert not any(code == "barthel_adl" for _, code in never)  # every elder here has one
    assert all(row.due_on == today() and row.reason for row in page.rows if row.never_assessed)
    assert page.total == page.scheduled + page.never_assessed == len(page.rows)


def test_never_assessed_elder_is_listed(officer, volunteer, household_a):
    make_person(officer, household_a, "ยายใหม่", date(1945, 1, 1))
    page = due_list(user=volunteer)
    assert [(name(r), r.instrument_code) for r in page.rows] == [("ยายใหม่", "barthel_adl")]


def test_due_list_pages_through_scheduled_then_never_assessed(volunteer, village_data):
    whole = due_list(user=volunteer, limit=100)
    pieces = [row for start in range(0, whole.total, 2) for row in due_list(user=volunteer, offset=start, limit=2)]
    assert [(r.person.pk, r.instrument_code) for r in pieces] == [(r.person.pk, r.instrument_code) for r in whole]


def test_scope_village_volunteer_tambon_officer_and_outsider(volunteer, officer, outsider, coordinator,
                                                            village_data, village_b):
    assert ("เด็กหมู่สอง", "dspm") not in scheduled(due_list(user=volunteer))
    assert ("เด็กหมู่สอง", "dspm") in scheduled(due_list(user=officer))
    assert scheduled(due_list(user=officer, area_code=village_b.code)) == [("เด็กหมู่สอง", "dspm")]
    assert due_list(user=outsider).total == 0
    assert due_list(user=coordinator).total == 0


def test_end_of_week_is_sunday():
    assert end_of_week(date(2025, 6, 2)) == date(2025, 6, 8)  # Monday → Sunday
    assert end_of_week(date(2025, 6, 8)) == date(2025, 6, 8)


@pytest.mark.urls("chumchon.care.tests.urls")
def test_due_page_shows_be_dates_and_start_visit_link(volunteer, outsider, coordinator, village_data, person_a):
    client = Client()
    client.login(username=volunteer.username, password=PASSWORD)
    response = client.get("/visits/due/")
    assert response.status_code == 200
    html = response.content.decode()
    assert f'href="/visits/new/{person_a.household_id}/"' in html
    assert str(days(-10).year + 543) in html and 'data-instrument="barthel_adl"' in html
    assert "เด็กหมู่สอง" not in html
    client.login(username=outsider.username, password=PASSWORD)
    assert "หนูน้อย" not in client.get("/visits/due/").content.decode()
    client.login(username=coordinator.username, password=PASSWORD)
    assert client.get("/visits/due/").status_code == 404
