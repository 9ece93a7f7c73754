"""Verification moves: the state machine, a second person with a visit and photo evidence, and
nothing half-saved when a move is refused."""

from __future__ import annotations

import io
from datetime import date, timedelta
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.http import Http404
from PIL import Image

from chumchon.accounts.roles import Role
from chumchon.conftest import make_user
from chumchon.core.models import AuditEntry
from chumchon.core.review import TRANSITIONS, ReviewStatus
from chumchon.core.thai import format_be
from chumchon.people.models import Person
from chumchon.people.validation import today
from chumchon.visits.models import Assessment, Photo, PhotoPurpose, Review, Visit, VisitPurpose
from chumchon.visits.services import review

S = ReviewStatus
DAY = today() - timedelta(days=3)


def evidence_photo(user: Any, area_code: str, purpose: str = PhotoPurpose.EVIDENCE) -> Photo:
    return Photo.objects.create(area_id=area_code, purpose=purpose, path="photos/test.jpg",
                                content_type="image/jpeg", width=10, height=10, size_bytes=100,
                                uploaded_by=user)


def make_assessment(person: Person, collector: Any, status: str = S.SUBMITTED) -> Assessment:
    return Assessment.objects.create(person=person, household=person.household, area_id=person.area_id,
                                     instrument_code="barthel_adl", instrument_version=1,
                                     assessed_on=date(2026, 11, 1), score=15, classification="social",
                                     collector=collector, review_status=status)


@pytest.fixture
def volunteer2(village_a: Any) -> Any:
    return make_user("vol_a2", Role.VOLUNTEER, village_a.code)


def state_counts() -> tuple[int, int, int, int]:
    return (Review.objects.count(), Visit.objects.count(), AuditEntry.objects.count(),
            Person.objects.filter(review_status=S.VERIFIED).count())


# ---------------------------------------------------------------------------
# The state machine table
# ---------------------------------------------------------------------------

ALLOWED = [(a, b) for a, targets in TRANSITIONS.items() for b in sorted(targets)]
FORBIDDEN = {
    S.DRAFT: S.VERIFIED, S.SUBMITTED: S.ACCEPTED, S.VERIFIED: S.SUBMITTED,
    S.ACCEPTED: S.VERIFIED, S.CORRECTION: S.VERIFIED, S.DISPUTED: S.SUBMITTED,
}


def test_every_state_has_a_forbidden_move_in_the_table():
    assert set(FORBIDDEN) == set(S.values)
    assert all(to not in TRANSITIONS[frm] for frm, to in FORBIDDEN.items())


@pytest.mark.parametrize(("from_status", "to_status"), ALLOWED)
def test_every_allowed_move_saves_and_writes_a_review(officer, person_a, from_status, to_status):
    Person.objects.filter(pk=person_a.pk).update(review_status=from_status)
    person_a.refresh_from_db()
    moved = review.move_record(actor=officer, record=person_a, to_status=to_status, reason="r")
    person_a.refresh_from_db()
    assert person_a.review_status == to_status
    assert (moved.from_status, moved.to_status, moved.actor, moved.area_id) == (
        from_status, to_status, officer, person_a.area_id)
    assert AuditEntry.objects.filter(verb="person.review", object_id=str(person_a.pk),
                                     data__to=to_status).exists()


@pytest.mark.parametrize(("from_status", "to_status"), sorted(FORBIDDEN.items()))
def test_a_forbidden_move_from_each_state_is_refused(officer, person_a, from_status, to_status):
    Person.objects.filter(pk=person_a.pk).update(review_status=from_status)
    person_a.refresh_from_db()
    with pytest.raises(ValidationError) as refused:
        review.move_record(actor=officer, record=person_a, to_status=to_status)
    assert "review_status" in refused.value.message_dict
    person_a.refresh_from_db()
    assert person_a.review_status == from_status
    assert not Review.objects.exists()


# ---------------------------------------------------------------------------
# Verify
# ---------------------------------------------------------------------------


def test_another_volunteer_verifies_with_a_visit_and_photo(volunteer, person_a):
    photo = evidence_photo(volunteer, person_a.area_code)
    moved = review.record_verify(actor=volunteer, kind="person", record_id=person_a.pk, photo_id=photo.pk,
                                 visited_on=format_be(DAY, style="numeric"), note="พบตัว")
    person_a.refresh_from_db()
    assert person_a.review_status == S.VERIFIED
    visit = moved.visit
    assert visit is not None
    assert (visit.purpose, visit.collector, visit.household_id, visit.visited_on) == (
        VisitPurpose.VERIFY, volunteer, person_a.household_id, DAY)
    assert moved.photo == photo
    photo.refresh_from_db()
    assert (photo.visit, photo.person) == (visit, person_a)
    assert AuditEntry.objects.filter(verb="visit.create", actor=volunteer).exists()


def test_verifying_a_record_you_collected_is_refused_and_saves_nothing(officer, person_a):
    # The officer registered person_a (conftest), so the officer is its collector.
    photo = evidence_photo(officer, person_a.area_code)
    before = state_counts()
    with pytest.raises(ValidationError) as refused:
        review.record_verify(actor=officer, kind="person", record_id=person_a.pk, photo_id=photo.pk,
                             visited_on=DAY)
    assert "actor" in refused.value.message_dict
    assert state_counts() == before


def test_verifying_your_own_assessment_is_refused(volunteer, volunteer2, person_a):
    assessment = make_assessment(person_a, volunteer)
    photo = evidence_photo(volunteer, person_a.area_code)
    with pytest.raises(ValidationError) as refused:
        review.record_verify(actor=volunteer, kind="assessment", record_id=assessment.pk, photo_id=photo.pk,
                             visited_on=DAY)
    assert "actor" in refused.value.message_dict
    photo2 = evidence_photo(volunteer2, person_a.area_code)
    review.record_verify(actor=volunteer2, kind="assessment", record_id=assessment.pk, photo_id=photo2.pk,
                         visited_on=DAY)
    assessment.refresh_from_db()
    assert assessment.review_status == S.VERIFIED


@pytest.mark.parametrize("problem", ["none", "not_evidence", "someone_else", "other_village"])
def test_verify_without_a_proper_evidence_photo_is_refused_and_saves_nothing(
        volunteer, volunteer2, person_a, village_b, problem):
    photo_id = {
        "none": lambda: None,
        "not_evidence": lambda: evidence_photo(volunteer, person_a.area_code, PhotoPurpose.VISIT).pk,
        "someone_else": lambda: evidence_photo(volunteer2, person_a.area_code).pk,
        "other_village": lambda: evidence_photo(volunteer, village_b.code).pk,
    }[problem]()
    before = state_counts()
    with pytest.raises(ValidationError) as refused:
        review.record_verify(actor=volunteer, kind="person", record_id=person_a.pk, photo_id=photo_id,
                             visited_on=DAY)
    assert "photo_id" in refused.value.message_dict
    assert state_counts() == before


def test_verify_needs_a_visit_date_not_in_the_future(volunteer, person_a):
    photo = evidence_photo(volunteer, person_a.area_code)
    for visited_on, field in ((None, "visited_on"), (today() + timedelta(days=2), "visited_on"),
                              ("32/13/2569", "visited_on")):
        with pytest.raises(ValidationError) as refused:
            review.record_verify(actor=volunteer, kind="person", record_id=person_a.pk, photo_id=photo.pk,
                                 visited_on=visited_on)
        assert field in refused.value.message_dict
    assert not Visit.objects.exists()


def test_verify_with_an_existing_verification_visit(volunteer, volunteer2, person_a):
    photo = evidence_photo(volunteer, person_a.area_code)
    mine = Visit.objects.create(household=person_a.household, area_id=person_a.area_id,
                                visited_on=DAY, purpose=VisitPurpose.VERIFY, collector=volunteer)
    theirs = Visit.objects.create(household=person_a.household, area_id=person_a.area_id,
                                  visited_on=DAY, purpose=VisitPurpose.VERIFY, collector=volunteer2)
    with pytest.raises(ValidationError) as refused:
        review.record_verify(actor=volunteer, kind="person", record_id=person_a.pk, photo_id=photo.pk,
                             visit_id=theirs.pk)
    assert "visit_id" in refused.value.message_dict
    moved = review.record_verify(actor=volunteer, kind="person", record_id=person_a.pk, photo_id=photo.pk,
                                 visit_id=mine.pk)
    assert moved.visit == mine
    assert Visit.objects.count() == 2


def test_only_a_submitted_record_can_be_verified(volunteer, person_a):
    Person.objects.filter(pk=person_a.pk).update(review_status=S.CORRECTION)
    photo = evidence_photo(volunteer, person_a.area_code)
    with pytest.raises(ValidationError) as refused:
        review.record_verify(actor=volunteer, kind="person", record_id=person_a.pk, photo_id=photo.pk,
                             visited_on=DAY)
    assert "review_status" in refused.value.message_dict


def test_outsider_cannot_verify_or_send_back(outsider, person_a):
    photo = evidence_photo(outsider, person_a.area_code)
    with pytest.raises(Http404):
        review.record_verify(actor=outsider, kind="person", record_id=person_a.pk, photo_id=photo.pk,
                             visited_on=DAY)
    with pytest.raises(Http404):
        review.record_send_back(actor=outsider, kind="person", record_id=person_a.pk, reason="x")
    person_a.refresh_from_db()
    assert person_a.review_status == S.SUBMITTED


def _png() -> io.BytesIO:
    buffer = io.BytesIO()
    Image.new("RGB", (40, 30), (200, 10, 10)).save(buffer, format="PNG")
    buffer.seek(0)
    buffer.name = "evidence.png"
    return buffer


def test_verify_with_an_uploaded_photo_keeps_nothing_when_refused(officer, volunteer, person_a, settings, tmp_path):
    settings.PRIVATE_FILES_ROOT = str(tmp_path)
    with pytest.raises(ValidationError):
        review.record_verify_upload(actor=volunteer, kind="person", record_id=person_a.pk, upload=_png(),
                                    visited_on="")
    assert not Photo.objects.exists()
    assert not list(tmp_path.rglob("*.jpg"))
    moved = review.record_verify_upload(actor=volunteer, kind="person", record_id=person_a.pk, upload=_png(),
                                        visited_on=format_be(DAY, style="numeric"))
    assert moved.photo is not None and moved.photo.purpose == PhotoPurpose.EVIDENCE
    assert len(list(tmp_path.rglob("*.jpg"))) == 1


# ---------------------------------------------------------------------------
# Send back, submit, forum-only moves
# ---------------------------------------------------------------------------


def test_send_back_needs_a_reason_then_the_collector_submits_again(officer, volunteer, person_a):
    with pytest.raises(ValidationError) as refused:
        review.record_send_back(actor=volunteer, kind="person", record_id=person_a.pk, reason="  ")
    assert "reason" in refused.value.message_dict
    moved = review.record_send_back(actor=volunteer, kind="person", record_id=person_a.pk,
                                    reason="วันเกิดไม่ตรงบัตร")
    assert (moved.to_status, moved.reason) == (S.CORRECTION, "วันเกิดไม่ตรงบัตร")
    again = review.record_submit(actor=officer, kind="person", record_id=person_a.pk)
    assert (again.from_status, again.to_status) == (S.CORRECTION, S.SUBMITTED)
    assert [r.to_status for r in Review.objects.filter(person=person_a)] == [S.CORRECTION, S.SUBMITTED]


def test_accept_and_dispute_only_through_a_forum(officer, person_a):
    Person.objects.filter(pk=person_a.pk).update(review_status=S.VERIFIED)
    with pytest.raises(ValidationError) as refused:
        review.record_accept(actor=officer, kind="person", record_id=person_a.pk, forum=None)  # type: ignore[arg-type]
    assert "forum" in refused.value.message_dict
    person_a.refresh_from_db()
    assert person_a.review_status == S.VERIFIED
