"""API: village forums and verification moves. Reads through visits.selectors (scoped, 404
outside reach), writes through visits.services (which check capability, validate with Thai
messages and audit); refused input answers 422 naming the field."""

from __future__ import annotations

from datetime import date
from typing import Any, Literal

from django.db.models import QuerySet
from django.http import HttpRequest
from ninja import Router, Schema, Status
from ninja.pagination import paginate

from chumchon.api.auth import caller
from chumchon.api.pagination import Pagination
from chumchon.api.schemas import Id, errors
from chumchon.core.audit import log_action
from chumchon.people.selectors import person_groups
from chumchon.visits.models import Forum, ForumEntry, ForumOutcome, Review
from chumchon.visits.selectors import forums as forum_selectors
from chumchon.visits.selectors import review as review_selectors
from chumchon.visits.services import forums as forum_services
from chumchon.visits.services import review as review_services

forums_router = Router()
reviews_router = Router()

Outcome = Literal["confirmed", "corrected", "disputed", "added"]
Kind = Literal["person", "assessment"]


# ---------------------------------------------------------------------------
# Schemas
# ---------------------------------------------------------------------------


class Attendee(Schema):
    name: str
    role: str = ""


class ForumOut(Schema):
    id: int
    area_code: str
    area_label: str
    held_on: date
    place: str
    note: str
    is_closed: bool
    attendees: list[Attendee]

    @staticmethod
    def resolve_area_label(obj: Forum) -> str:
        return obj.area.label


class ForumPersonOut(Schema):
    """A person as the forum sees them: name, house, need categories and status. No health data."""

    person_id: int
    full_name: str
    house_no: str
    groups: list[str]
    review_status: str
    version: int
    outcome: str | None
    reason: str


class ForumDetailOut(ForumOut):
    people: list[ForumPersonOut]


class ForumIn(Schema):
    area_code: str
    held_on: str
    place: str = ""
    note: str = ""


class AttendeesIn(Schema):
    attendees: list[Attendee]


class MarkIn(Schema):
    """``corrections``: the person fields the forum corrected (as for PATCH /persons/{id}, with
    ``version``); for ``added``, leave ``person_id`` out and put the new person's fields (and
    ``household_id``, ``confirm_new``) in ``corrections``."""

    person_id: Id | None = None
    outcome: Outcome
    reason: str = ""
    corrections: dict[str, Any] | None = None
    version: int | None = None


class EntryOut(Schema):
    forum_id: int
    person_id: int
    outcome: str
    reason: str
    review_status: str

    @staticmethod
    def resolve_review_status(obj: ForumEntry) -> str:
        return obj.person.review_status


class ProgressOut(Schema):
    area_code: str
    area_label: str
    people: dict[str, int]
    assessments: dict[str, int]
    marks: dict[str, int] | None = None


class VerifyIn(Schema):
    photo_id: Id | None = None
    visit_id: Id | None = None
    visited_on: str | None = None
    note: str = ""


class ReasonIn(Schema):
    reason: str = ""


class NoteIn(Schema):
    note: str = ""


class ReviewOut(Schema):
    id: int
    kind: str
    record_id: int
    from_status: str
    to_status: str
    reason: str
    visit_id: int | None
    photo_id: int | None
    forum_id: int | None

    @staticmethod
    def resolve_kind(obj: Review) -> str:
        return "person" if obj.person_id else "assessment"

    @staticmethod
    def resolve_record_id(obj: Review) -> int:
        return int(obj.person_id or obj.assessment_id or 0)


def _progress_out(row: forum_selectors.VillageProgress) -> dict[str, Any]:
    return {"area_code": row.area.code, "area_label": row.area.label, "people": row.people,
            "assessments": row.assessments}


# ---------------------------------------------------------------------------
# Forums. Fixed paths come before "/{id}".
# ---------------------------------------------------------------------------


@forums_router.get("", response={200: list[ForumOut], **errors(422)})
@paginate(Pagination)
def forum_list(request: HttpRequest, area: str = "") -> QuerySet[Forum]:
    """Forums of the villages whose people the caller may see by name, newest first."""
    return forum_selectors.forum_list(user=caller(request), area_code=area)


@forums_router.post("", response={201: ForumOut, **errors(404, 422)})
def forum_create(request: HttpRequest, payload: ForumIn) -> Status[Forum]:
    """Hold a forum in a village (tambon officers). ``held_on`` as typed: BE or CE, Thai digits."""
    forum = forum_services.forum_create(actor=caller(request), area_code=payload.area_code,
                                        held_on=payload.held_on, place=payload.place, note=payload.note)
    return Status(201, forum)


@forums_router.get("/progress", response={200: list[ProgressOut], **errors(422)})
def progress_list(request: HttpRequest, area: str = "") -> list[dict[str, Any]]:
    """Per village in reach (within ``area``, e.g. a tambon code): people and assessments by
    verification state."""
    return [_progress_out(row) for row in forum_selectors.village_progress(user=caller(request), area_code=area)]


@forums_router.get("/{int:forum_id}", response={200: ForumDetailOut, **errors(404)})
def forum_get(request: HttpRequest, forum_id: int) -> ForumDetailOut:
    """One forum with the people of its village and their marks. A read of names: logged."""
    user = caller(request)
    forum = forum_selectors.forum_get(user=user, forum_id=forum_id)
    rows = forum_selectors.forum_people(user=user, forum=forum)
    log_action(actor=user, verb="forum.view", obj=forum, data={"rows": len(rows), "api": True})
    people = [ForumPersonOut(
        person_id=row.person.pk, full_name=row.person.full_name,
        house_no=row.person.household.house_no if row.person.household else "",
        groups=person_groups(row.person), review_status=row.person.review_status, version=row.person.version,
        outcome=row.entry.outcome if row.entry else None, reason=row.entry.reason if row.entry else "",
    ) for row in rows]
    # Built from validated parts: the resolvers read model objects, not dicts.
    base = ForumOut.from_orm(forum).model_dump()
    return ForumDetailOut.model_construct(**base, people=people)


@forums_router.post("/{int:forum_id}/attendees", response={200: ForumOut, **errors(404, 422)})
def forum_attendees(request: HttpRequest, forum_id: int, payload: AttendeesIn) -> Forum:
    user = caller(request)
    forum = forum_selectors.forum_get(user=user, forum_id=forum_id)
    return forum_services.forum_attendees_set(actor=user, forum=forum,
                                              attendees=[row.model_dump() for row in payload.attendees])


@forums_router.post("/{int:forum_id}/marks", response={200: EntryOut, **errors(404, 409, 422)})
def forum_mark(request: HttpRequest, forum_id: int, payload: MarkIn) -> ForumEntry:
    """Record the forum's word on one person (marking again replaces it)."""
    user = caller(request)
    forum = forum_selectors.forum_get(user=user, forum_id=forum_id)
    entry = forum_services.forum_mark(actor=user, forum=forum, person_id=payload.person_id,
                                      outcome=payload.outcome, reason=payload.reason,
                                      corrections=payload.corrections, version=payload.version)
    entry.person.refresh_from_db(fields=["review_status"])
    return entry


@forums_router.post("/{int:forum_id}/close", response={200: ForumOut, **errors(404, 422)})
def forum_close(request: HttpRequest, forum_id: int) -> Forum:
    user = caller(request)
    forum = forum_selectors.forum_get(user=user, forum_id=forum_id)
    return forum_services.forum_close(actor=user, forum=forum)


@forums_router.get("/{int:forum_id}/progress", response={200: ProgressOut, **errors(404)})
def forum_progress(request: HttpRequest, forum_id: int) -> dict[str, Any]:
    """The forum's village: people and assessments by verification state, and the marks so far."""
    user = caller(request)
    forum = forum_selectors.forum_get(user=user, forum_id=forum_id)
    rows = forum_selectors.village_progress(user=user, area_code=forum.area_code)
    row = next(row for row in rows if row.area.code == forum.area_code)
    marks = dict.fromkeys(ForumOutcome.values, 0)
    for outcome in forum.entries.values_list("outcome", flat=True):
        marks[outcome] = marks.get(outcome, 0) + 1
    return {**_progress_out(row), "marks": marks}


# ---------------------------------------------------------------------------
# Verification moves
# ---------------------------------------------------------------------------


@reviews_router.post("/{kind}/{int:record_id}/verify", response={200: ReviewOut, **errors(404, 422)})
def review_verify(request: HttpRequest, kind: Kind, record_id: int, payload: VerifyIn) -> Review:
    """A second person, not the collector, verifies after a visit: give the evidence photo
    (``photo_id`` from the photo upload, purpose ``evidence``) and the visit (``visit_id`` of a
    verification visit, or ``visited_on`` to record one)."""
    user = caller(request)
    review_selectors.record_get(user=user, kind=kind, record_id=record_id)
    return review_services.record_verify(actor=user, kind=kind, record_id=record_id, photo_id=payload.photo_id,
                                         visit_id=payload.visit_id, visited_on=payload.visited_on,
                                         note=payload.note)


@reviews_router.post("/{kind}/{int:record_id}/send-back", response={200: ReviewOut, **errors(404, 422)})
def review_send_back(request: HttpRequest, kind: Kind, record_id: int, payload: ReasonIn) -> Review:
    user = caller(request)
    review_selectors.record_get(user=user, kind=kind, record_id=record_id)
    return review_services.record_send_back(actor=user, kind=kind, record_id=record_id, reason=payload.reason)


@reviews_router.post("/{kind}/{int:record_id}/submit", response={200: ReviewOut, **errors(404, 422)})
def review_submit(request: HttpRequest, kind: Kind, record_id: int, payload: NoteIn) -> Review:
    user = caller(request)
    review_selectors.record_get(user=user, kind=kind, record_id=record_id)
    return review_services.record_submit(actor=user, kind=kind, record_id=record_id, note=payload.note)
