"""person_merge / person_unmerge: what moves, what is filled, what is refused, and that an undo
restores every moved row and field exactly."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.forms.models import model_to_dict
from django.http import Http404

from chumchon.accounts.roles import Role
from chumchon.conftest import OTHER_TAMBON, make_user
from chumchon.core.models import AuditEntry
from chumchon.linkage.models import CandidateStatus, MergeEvent
from chumchon.linkage.services.merge import _relations, person_merge, person_unmerge
from chumchon.linkage.tests.helpers import make_candidate, make_person, make_record
from chumchon.people.models import DataBasis, Person, PersonStatus
from chumchon.people.services import data_basis_record, person_move
from chumchon.visits.models import Assessment, CurrentStatus, Visit

pytestmark = pytest.mark.django_db

IGNORED = {"version", "updated_at"}


def _state(*persons: Person) -> dict[str, Any]:
    """Every row pointing at these persons (all relations) and every field of the persons."""
    ids = [p.pk for p in persons]
    out: dict[str, Any] = {}
    for model, field in _relations():
        rows = model._default_manager.filter(**{f"{field}__in": ids}).order_by("pk").values()
        out[f"{model._meta.label_lower}.{field}"] = [dict(row) for row in rows]
    for person in Person.objects.filter(pk__in=ids):
        out[f"person {person.pk}"] = {k: v for k, v in model_to_dict(person).items() if k not in IGNORED}
        out[f"person {person.pk} derived"] = (person.sort_key, person.search_text, person.dup_key_first,
                                              person.dup_key_last)
    return out


def _assessment(person: Person, officer: Any, code: str = "barthel_adl") -> Assessment:
    assessment = Assessment.objects.create(person=person, area=person.area, instrument_code=code,
                                           instrument_version=1, assessed_on=date(2025, 1, 5), collector=officer)
    CurrentStatus.objects.create(person=person, area=person.area, instrument_code=code, assessment=assessment,
                                 classification="dependent", assessed_on=date(2025, 1, 5))
    return assessment


@pytest.fixture
def pair(officer: Any, person_a: Person, village_a: Any, village_b: Any) -> tuple[Person, Person]:
    """person_a (full record, with ID) and a sparser second record of her in village B."""
    twin = make_person(village_b, "สมสี", "ใจดี", birth_date=date(1947, 1, 1), birth_year_only=True,
                       phone="0812345678", is_poor=True, allowances=["elderly"], has_welfare_card=True)
    return person_a, twin


def test_merge_moves_every_related_row_and_hides_the_merged_person(officer: Any, pair: Any, village_b: Any) -> None:
    kept, merged = pair
    record = make_record(merged, key="A1")
    basis = data_basis_record(actor=officer, person=merged, basis="public_task", purposes="ดูแลผู้สูงอายุ")
    visit = Visit.objects.create(area=village_b, visited_on=date(2025, 1, 5), collector=officer)
    visit.present.add(merged)
    assessment = _assessment(merged, officer)

    event = person_merge(actor=officer, keep_id=kept.pk, merge_id=merged.pk, reason="คนเดียวกัน")

    record.refresh_from_db()
    assert record.person_id == kept.pk
    assert DataBasis.objects.get(pk=basis.pk).person_id == kept.pk
    assert list(visit.present.all()) == [kept]
    assert Assessment.objects.get(pk=assessment.pk).person_id == kept.pk
    assert CurrentStatus.objects.get(assessment=assessment).person_id == kept.pk
    merged.refresh_from_db()
    assert merged.status == PersonStatus.MERGED
    assert merged.merged_into_id == kept.pk
    assert event.moved["linkage.sourcerecord.person"] == [record.pk]
    assert AuditEntry.objects.filter(verb="person.merge", object_id=str(kept.pk)).exists()


def test_merge_fills_only_the_empty_fields_of_the_kept_person(officer: Any, pair: Any) -> None:
    kept, merged = pair
    person_merge(actor=officer, keep_id=kept.pk, merge_id=merged.pk)
    kept.refresh_from_db()
    assert kept.first_name == "สมศรี"  # not overwritten by the other spelling
    assert kept.birth_date == date(1947, 4, 12)  # the full date stays over a year-only one
    assert kept.phone == "0812345678"
    assert kept.is_poor and kept.has_welfare_card
    assert kept.allowances == ["elderly"]


def test_merge_gives_the_kept_person_the_merged_persons_national_id(officer: Any, pair: Any) -> None:
    kept, merged = pair  # person_a has the ID: merge the other way round
    event = person_merge(actor=officer, keep_id=merged.pk, merge_id=kept.pk)
    merged.refresh_from_db()
    kept.refresh_from_db()
    assert merged.national_id == "3501100001239"
    assert kept.national_id is None
    assert event.merged_before["national_id"] == "3501100001239"


def test_a_clashing_current_status_stays_with_the_merged_record(officer: Any, pair: Any) -> None:
    kept, merged = pair
    _assessment(kept, officer)
    theirs = _assessment(merged, officer)
    event = person_merge(actor=officer, keep_id=kept.pk, merge_id=merged.pk)
    assert CurrentStatus.objects.get(assessment=theirs).person_id == merged.pk
    assert Assessment.objects.get(pk=theirs.pk).person_id == kept.pk
    assert event.moved["_kept_back"]["visits.currentstatus.person"]


def test_merge_then_unmerge_restores_every_row_and_field(officer: Any, pair: Any, village_a: Any,
                                                         village_b: Any) -> None:
    kept, merged = pair
    make_record(merged, key="A1")
    make_record(kept, source_name="เบี้ยยังชีพ", key="B7")
    data_basis_record(actor=officer, person=merged, basis="public_task", purposes="ดูแลผู้สูงอายุ")
    person_move(actor=officer, person=merged, to_area_code=village_a.code, moved_on="01/02/2568")
    visit = Visit.objects.create(area=village_b, visited_on=date(2025, 1, 5), collector=officer)
    visit.present.add(merged, kept)  # both present: the through row of the merged one clashes
    _assessment(kept, officer)
    _assessment(merged, officer)
    _assessment(merged, officer, code="tai")
    earlier = make_person(village_b, "สมศรี", "ใจดี")
    person_merge(actor=officer, keep_id=merged.pk, merge_id=earlier.pk)  # a record merged before
    candidate = make_candidate(kept, merged)
    before = _state(kept, merged, earlier)

    event = person_merge(actor=officer, keep_id=kept.pk, merge_id=merged.pk, candidate=candidate)
    assert _state(kept, merged, earlier) != before
    person_unmerge(actor=officer, merge_id=event.pk)

    assert _state(kept, merged, earlier) == before
    event.refresh_from_db()
    assert event.undone_at is not None and event.undone_by == officer
    candidate.refresh_from_db()
    assert candidate.status == CandidateStatus.PENDING
    assert AuditEntry.objects.filter(verb="person.unmerge", object_id=str(kept.pk)).exists()


def test_unmerge_keeps_a_field_edited_after_the_merge(officer: Any, pair: Any) -> None:
    from chumchon.people.services import person_update

    kept, merged = pair
    event = person_merge(actor=officer, keep_id=kept.pk, merge_id=merged.pk)
    kept.refresh_from_db()
    person_update(actor=officer, person=kept, phone="0899999999")
    person_unmerge(actor=officer, merge_id=event.pk)
    kept.refresh_from_db()
    assert kept.phone == "0899999999"
    assert not kept.is_poor  # untouched since the merge: restored


def test_merge_with_a_candidate_marks_it_same(officer: Any, pair: Any) -> None:
    kept, merged = pair
    candidate = make_candidate(kept, merged)
    person_merge(actor=officer, keep_id=kept.pk, merge_id=merged.pk, candidate=candidate)
    candidate.refresh_from_db()
    assert candidate.status == CandidateStatus.SAME
    assert candidate.decided_by == officer


def test_merging_a_person_with_themself_is_refused(officer: Any, person_a: Person) -> None:
    with pytest.raises(ValidationError):
        person_merge(actor=officer, keep_id=person_a.pk, merge_id=person_a.pk)


def test_merging_an_already_merged_record_is_refused(officer: Any, pair: Any, village_a: Any) -> None:
    kept, merged = pair
    third = make_person(village_a, "สมศรี", "ใจดี")
    person_merge(actor=officer, keep_id=kept.pk, merge_id=merged.pk)
    with pytest.raises(ValidationError):
        person_merge(actor=officer, keep_id=third.pk, merge_id=merged.pk)
    with pytest.raises(ValidationError):
        person_merge(actor=officer, keep_id=merged.pk, merge_id=third.pk)


def test_merging_two_different_national_ids_is_refused(officer: Any, pair: Any) -> None:
    kept, merged = pair
    Person.objects.filter(pk=merged.pk).update(national_id="1101700203451")
    with pytest.raises(ValidationError):
        person_merge(actor=officer, keep_id=kept.pk, merge_id=merged.pk)
    assert Person.objects.get(pk=merged.pk).status == PersonStatus.ACTIVE


def test_undoing_twice_is_refused(officer: Any, pair: Any) -> None:
    kept, merged = pair
    event = person_merge(actor=officer, keep_id=kept.pk, merge_id=merged.pk)
    person_unmerge(actor=officer, merge_id=event.pk)
    with pytest.raises(ValidationError):
        person_unmerge(actor=officer, merge_id=event.pk)


def test_undo_is_refused_while_the_kept_record_is_merged_again(officer: Any, pair: Any, village_a: Any) -> None:
    kept, merged = pair
    first = person_merge(actor=officer, keep_id=kept.pk, merge_id=merged.pk)
    third = make_person(village_a, "สมศรี", "ใจดี")
    person_merge(actor=officer, keep_id=third.pk, merge_id=kept.pk)
    with pytest.raises(ValidationError):
        person_unmerge(actor=officer, merge_id=first.pk)


def test_volunteer_cannot_merge(volunteer: Any, pair: Any) -> None:
    kept, merged = pair
    with pytest.raises(Http404):
        person_merge(actor=volunteer, keep_id=kept.pk, merge_id=merged.pk)
    assert not MergeEvent.objects.exists()


def test_officer_of_another_tambon_gets_404_and_nothing_changes(pair: Any, other_village: Any) -> None:
    kept, merged = pair
    stranger = make_user("officer_other", Role.TAMBON_OFFICER, OTHER_TAMBON)
    with pytest.raises(Http404):
        person_merge(actor=stranger, keep_id=kept.pk, merge_id=merged.pk)
    assert Person.objects.get(pk=merged.pk).status == PersonStatus.ACTIVE


def test_officer_must_reach_both_persons(pair: Any, other_village: Any) -> None:
    kept, _ = pair
    elsewhere = make_person(other_village, "สมศรี", "ใจดี")
    stranger = make_user("officer_other", Role.TAMBON_OFFICER, OTHER_TAMBON)
    with pytest.raises(Http404):
        person_merge(actor=stranger, keep_id=elsewhere.pk, merge_id=kept.pk)


def test_outsider_cannot_undo_a_merge(officer: Any, outsider: Any, pair: Any) -> None:
    kept, merged = pair
    event = person_merge(actor=officer, keep_id=kept.pk, merge_id=merged.pk)
    with pytest.raises(Http404):
        person_unmerge(actor=outsider, merge_id=event.pk)
    assert Person.objects.get(pk=merged.pk).status == PersonStatus.MERGED


def test_automatic_merge_without_a_user_is_allowed_only_when_automatic(pair: Any) -> None:
    kept, merged = pair
    with pytest.raises(Http404):
        person_merge(actor=None, keep_id=kept.pk, merge_id=merged.pk)
    event = person_merge(actor=None, keep_id=kept.pk, merge_id=merged.pk, automatic=True)
    assert event.automatic and event.actor is None


def test_undo_leaves_a_source_record_relinked_to_a_third_person_after_the_merge(officer: Any, pair: Any,
                                                                               village_a: Any) -> None:
    kept, merged = pair
    record = make_record(merged, key="A1")
    stays = make_record(merged, key="A2")
    third = make_person(village_a, "สมใจ", "ใจดี")
    event = person_merge(actor=officer, keep_id=kept.pk, merge_id=merged.pk)
    record.refresh_from_db()
    record.person = third
    record.save(update_fields=["person"])

    person_unmerge(actor=officer, merge_id=event.pk)

    record.refresh_from_db()
    assert record.person_id == third.pk
    stays.refresh_from_db()
    assert stays.person_id == merged.pk
    entry = AuditEntry.objects.get(verb="person.unmerge", object_id=str(kept.pk))
    assert entry.data["skipped"]["linkage.sourcerecord.person"] == [record.pk]


def test_undo_leaves_a_current_status_the_kept_persons_later_assessment_updated(officer: Any, pair: Any) -> None:
    kept, merged = pair
    theirs = _assessment(merged, officer)
    event = person_merge(actor=officer, keep_id=kept.pk, merge_id=merged.pk)
    later = Assessment.objects.create(person=kept, area=kept.area, instrument_code="barthel_adl",
                                      instrument_version=1, assessed_on=date(2025, 3, 1), collector=officer)
    CurrentStatus.objects.filter(person=kept, instrument_code="barthel_adl").update(
        assessment=later, assessed_on=date(2025, 3, 1))

    person_unmerge(actor=officer, merge_id=event.pk)

    status = CurrentStatus.objects.get(instrument_code="barthel_adl", assessment=later)
    assert status.person_id == kept.pk  # not moved back pointing at the kept person's assessment
    assert Assessment.objects.get(pk=theirs.pk).person_id == merged.pk
    entry = AuditEntry.objects.get(verb="person.unmerge", object_id=str(kept.pk))
    assert entry.data["skipped"]["visits.currentstatus.person"] == [status.pk]


def test_merge_does_not_give_the_kept_person_a_household_in_another_village(officer: Any, pair: Any,
                                                                             household_a: Any) -> None:
    in_a, in_b = pair  # the record in village A has household_a; the one kept is in village B
    event = person_merge(actor=officer, keep_id=in_b.pk, merge_id=in_a.pk)
    in_b.refresh_from_db()
    assert in_b.household_id is None
    assert in_b.area_id != household_a.area_id
    assert event.moved["_not_copied"] == {"household": household_a.pk}
    entry = AuditEntry.objects.get(verb="person.merge", object_id=str(in_b.pk))
    assert entry.data["household_left"] == household_a.pk


def test_merge_gives_the_kept_person_the_household_of_their_own_village(officer: Any, person_a: Person,
                                                                        village_a: Any, household_a: Any) -> None:
    kept = make_person(village_a, "สมศรี", "ใจดี", birth_date=date(1947, 4, 12))
    event = person_merge(actor=officer, keep_id=kept.pk, merge_id=person_a.pk)
    kept.refresh_from_db()
    assert kept.household_id == household_a.pk
    assert kept.relation_to_head == "head"
    assert "_not_copied" not in event.moved


def _plans(officer: Any, kept: Person, merged: Person) -> tuple[Any, Any, Any]:
    from chumchon.care.models import CarePlan, PlanKind, PlanStatus

    ours = CarePlan.objects.create(person=kept, kind=PlanKind.QUALITY_OF_LIFE, author=officer)
    theirs = CarePlan.objects.create(person=merged, kind=PlanKind.QUALITY_OF_LIFE, author=officer,
                                     status=PlanStatus.APPROVED)
    other_kind = CarePlan.objects.create(person=merged, kind=PlanKind.LTC, author=officer)
    return ours, theirs, other_kind


def test_merge_closes_the_merged_persons_clashing_open_plan_and_moves_it(officer: Any, pair: Any) -> None:
    from chumchon.care.models import PlanStatus

    kept, merged = pair
    ours, theirs, other_kind = _plans(officer, kept, merged)
    event = person_merge(actor=officer, keep_id=kept.pk, merge_id=merged.pk)
    theirs.refresh_from_db()
    assert theirs.status == PlanStatus.CLOSED
    assert f"#{kept.pk}" in theirs.closed_reason and theirs.closed_at is not None
    assert theirs.person_id == kept.pk  # in the kept person's history, where someone can act on it
    other_kind.refresh_from_db()
    assert other_kind.person_id == kept.pk and other_kind.status == PlanStatus.DRAFT  # no clash: moved open
    ours.refresh_from_db()
    assert ours.status == PlanStatus.DRAFT
    assert [p["id"] for p in event.moved["_plans_closed"]] == [theirs.pk]
    assert "_kept_back" not in event.moved
    assert AuditEntry.objects.filter(verb="plan.close", object_id=str(theirs.pk)).exists()


def test_undoing_the_merge_reopens_the_plan_it_closed_on_the_merged_person(officer: Any, pair: Any) -> None:
    from chumchon.care.models import PlanStatus

    kept, merged = pair
    ours, theirs, other_kind = _plans(officer, kept, merged)
    event = person_merge(actor=officer, keep_id=kept.pk, merge_id=merged.pk)
    person_unmerge(actor=officer, merge_id=event.pk)
    theirs.refresh_from_db()
    assert theirs.person_id == merged.pk
    assert theirs.status == PlanStatus.APPROVED
    assert theirs.closed_at is None and theirs.closed_reason == ""
    other_kind.refresh_from_db()
    assert other_kind.person_id == merged.pk
    ours.refresh_from_db()
    assert ours.person_id == kept.pk and ours.status == PlanStatus.DRAFT
    assert AuditEntry.objects.filter(verb="plan.reopen", object_id=str(theirs.pk)).exists()


def test_after_the_undo_the_merged_person_again_has_a_current_status_from_their_own_assessment(
        officer: Any, pair: Any) -> None:
    kept, merged = pair
    theirs = _assessment(merged, officer)
    event = person_merge(actor=officer, keep_id=kept.pk, merge_id=merged.pk)
    later = Assessment.objects.create(person=kept, area=kept.area, instrument_code="barthel_adl",
                                      instrument_version=1, assessed_on=date(2025, 3, 1), collector=officer)
    CurrentStatus.objects.filter(person=kept, instrument_code="barthel_adl").update(
        assessment=later, assessed_on=date(2025, 3, 1))

    person_unmerge(actor=officer, merge_id=event.pk)

    status = CurrentStatus.objects.get(person=merged, instrument_code="barthel_adl")
    assert status.assessment_id == theirs.pk
