"""Village forums: who may hold them, what each mark does to the record, and progress per village."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.http import Http404

from chumchon.core.models import AuditEntry
from chumchon.core.review import ReviewStatus
from chumchon.people.models import Person
from chumchon.people.services import person_create
from chumchon.visits.models import Assessment, ForumEntry, ForumOutcome, Review
from chumchon.visits.selectors.forums import forum_list, forum_people, village_progress
from chumchon.visits.services import forums

S = ReviewStatus


def set_status(person: Person, status: str) -> None:
    Person.objects.filter(pk=person.pk).update(review_status=status)
    person.refresh_from_db()


@pytest.fixture
def forum(officer: Any, village_a: Any) -> Any:
    return forums.forum_create(actor=officer, area_code=village_a.code, held_on="5 ธันวาคม 2569",
                               place="ศาลาหมู่บ้าน")


def test_officer_creates_a_forum_with_a_be_date(forum, village_a):
    assert (forum.area, forum.held_on, forum.place) == (village_a, date(2026, 12, 5), "ศาลาหมู่บ้าน")
    assert AuditEntry.objects.filter(verb="forum.create", object_id=str(forum.pk)).exists()


def test_a_volunteer_cannot_create_a_forum_and_an_outsider_gets_404(volunteer, outsider, village_a, tambon):
    with pytest.raises(Http404):
        forums.forum_create(actor=volunteer, area_code=village_a.code, held_on="5/12/2569")
    with pytest.raises(Http404):
        forums.forum_create(actor=outsider, area_code=village_a.code, held_on="5/12/2569")
    with pytest.raises(ValidationError) as refused:
        forums.forum_create(actor=volunteer, area_code=tambon.code, held_on="5/12/2569")
    assert "area_code" in refused.value.message_dict


def test_attendees_are_replaced_and_blank_rows_dropped(officer, forum):
    forums.forum_attendees_set(actor=officer, forum=forum, attendees=[
        {"name": "นายสมชาย ดีใจ", "role": "ผู้ใหญ่บ้าน"}, {"name": "", "role": ""}, {"name": "นางแดง"}])
    forum.refresh_from_db()
    assert forum.attendees == [{"name": "นายสมชาย ดีใจ", "role": "ผู้ใหญ่บ้าน"}, {"name": "นางแดง", "role": ""}]
    with pytest.raises(ValidationError):
        forums.forum_attendees_set(actor=officer, forum=forum, attendees=[{"role": "อสม."}])


def test_confirming_a_verified_person_accepts_them_and_their_verified_assessments(officer, forum, person_a):
    set_status(person_a, S.VERIFIED)
    verified = Assessment.objects.create(person=person_a, area_id=person_a.area_id, instrument_code="barthel_adl",
                                         instrument_version=1, assessed_on=date(2026, 11, 1),
                                         review_status=S.VERIFIED)
    entry = forums.forum_mark(actor=officer, forum=forum, person_id=person_a.pk, outcome="confirmed")
    person_a.refresh_from_db()
    verified.refresh_from_db()
    assert (entry.outcome, person_a.review_status, verified.review_status) == ("confirmed", S.ACCEPTED, S.ACCEPTED)
    assert Review.objects.filter(person=person_a, to_status=S.ACCEPTED, forum=forum).exists()


def test_confirming_an_unverified_person_is_refused(officer, forum, person_a):
    with pytest.raises(ValidationError) as refused:
        forums.forum_mark(actor=officer, forum=forum, person_id=person_a.pk, outcome="confirmed")
    assert "outcome" in refused.value.message_dict
    assert not ForumEntry.objects.exists()


def test_correction_goes_through_person_update_then_accepts(officer, forum, person_a):
    set_status(person_a, S.VERIFIED)
    forums.forum_mark(actor=officer, forum=forum, person_id=person_a.pk, outcome="corrected",
                      corrections={"last_name": "ใจงาม", "is_bedbound": True}, version=person_a.version,
                      reason="นามสกุลเปลี่ยนหลังแต่งงาน")
    person_a.refresh_from_db()
    assert (person_a.last_name, person_a.is_bedbound, person_a.review_status) == ("ใจงาม", True, S.ACCEPTED)
    update = AuditEntry.objects.get(verb="person.update", object_id=str(person_a.pk))
    assert update.data["changes"]["last_name"] == {"before": "ใจดี", "after": "ใจงาม"}
    assert ForumEntry.objects.get(forum=forum, person=person_a).outcome == ForumOutcome.CORRECTED


def test_a_stale_or_invalid_correction_changes_nothing(officer, forum, person_a):
    set_status(person_a, S.VERIFIED)
    for corrections, version in (({"last_name": "ใจงาม"}, person_a.version - 1), ({"first_name": ""}, None),
                                 ({}, None)):
        with pytest.raises(ValidationError):
            forums.forum_mark(actor=officer, forum=forum, person_id=person_a.pk, outcome="corrected",
                              corrections=corrections, version=version)
    person_a.refresh_from_db()
    assert (person_a.last_name, person_a.review_status) == ("ใจดี", S.VERIFIED)
    assert not ForumEntry.objects.exists()


def test_dispute_needs_a_reason(officer, forum, person_a):
    set_status(person_a, S.VERIFIED)
    with pytest.raises(ValidationError) as refused:
        forums.forum_mark(actor=officer, forum=forum, person_id=person_a.pk, outcome="disputed", reason=" ")
    assert "reason" in refused.value.message_dict
    forums.forum_mark(actor=officer, forum=forum, person_id=person_a.pk, outcome="disputed",
                      reason="ย้ายไปอยู่กรุงเทพแล้ว")
    person_a.refresh_from_db()
    assert person_a.review_status == S.DISPUTED


def test_re_marking_updates_the_one_entry(officer, forum, person_a):
    set_status(person_a, S.VERIFIED)
    forums.forum_mark(actor=officer, forum=forum, person_id=person_a.pk, outcome="disputed", reason="ไม่แน่ใจ")
    forums.forum_mark(actor=officer, forum=forum, person_id=person_a.pk, outcome="confirmed")
    person_a.refresh_from_db()
    entry = ForumEntry.objects.get(forum=forum, person=person_a)
    assert (entry.outcome, person_a.review_status) == ("confirmed", S.ACCEPTED)
    assert [r.to_status for r in Review.objects.filter(person=person_a)] == [S.DISPUTED, S.ACCEPTED]


def test_a_person_added_at_the_forum_is_registered_and_accepted(officer, forum, household_a):
    entry = forums.forum_mark(actor=officer, forum=forum, person_id=None, outcome="added", corrections={
        "household_id": household_a.pk, "first_name": "มานี", "last_name": "มีนา", "no_id_reason": "unknown",
        "birth_date": "2565"})
    person = entry.person
    assert (person.household, person.review_status, person.registered_by, entry.outcome) == (
        household_a, S.ACCEPTED, officer, "added")
    assert AuditEntry.objects.filter(verb="person.create", object_id=str(person.pk)).exists()


def test_a_person_of_another_village_cannot_be_marked(officer, forum, village_b):
    other = person_create(actor=officer, area_code=village_b.code, first_name="ทดสอบ", no_id_reason="unknown")
    set_status(other, S.VERIFIED)
    with pytest.raises(ValidationError) as refused:
        forums.forum_mark(actor=officer, forum=forum, person_id=other.pk, outcome="confirmed")
    assert "person_id" in refused.value.message_dict


def test_a_closed_forum_takes_no_more_marks(officer, forum, person_a):
    set_status(person_a, S.VERIFIED)
    forums.forum_close(actor=officer, forum=forum)
    with pytest.raises(ValidationError):
        forums.forum_mark(actor=officer, forum=forum, person_id=person_a.pk, outcome="confirmed")


def test_outsider_sees_no_forum_and_cannot_mark(outsider, volunteer, forum, person_a):
    assert list(forum_list(user=outsider)) == []
    assert list(forum_list(user=volunteer)) == [forum]
    with pytest.raises(Http404):
        forums.forum_mark(actor=outsider, forum=forum, person_id=person_a.pk, outcome="confirmed")


def test_progress_counts_people_and_assessments_per_village(officer, outsider, forum, person_a, village_b):
    set_status(person_a, S.VERIFIED)
    forums.forum_mark(actor=officer, forum=forum, person_id=person_a.pk, outcome="confirmed")
    person_create(actor=officer, area_code=village_b.code, first_name="สอง", no_id_reason="unknown")
    rows = {row.area.code: row for row in village_progress(user=officer, area_code="931104")}
    assert rows[forum.area_id].people[S.ACCEPTED] == 1
    assert rows[village_b.code].people[S.SUBMITTED] == 1
    assert rows[village_b.code].assessments_total == 0
    assert village_progress(user=outsider, area_code="931104") == []
    assert [row.person for row in forum_people(user=officer, forum=forum)] == [person_a]
