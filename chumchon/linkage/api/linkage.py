"""API: the review queue of possible duplicates, decisions, merge history with undo, linkage runs
and source records. Reads through linkage.selectors (scoped; 404 outside reach), writes through
linkage.services (capability, Thai messages, audit); refused input answers 422 naming the field.

No ``from __future__ import annotations`` here: django-ninja must resolve the ``Literal`` of a
query parameter at import time."""

from datetime import date, datetime
from typing import Any, Literal

from django.db.models import QuerySet
from django.http import HttpRequest
from ninja import Router, Schema
from ninja.pagination import paginate

from chumchon.accounts.roles import Capability
from chumchon.accounts.scoping import can
from chumchon.api.auth import caller
from chumchon.api.pagination import Pagination
from chumchon.api.schemas import Id, errors
from chumchon.core.audit import log_action
from chumchon.linkage import selectors
from chumchon.linkage.models import LinkageRun, MatchCandidate, MergeEvent, SourceRecord
from chumchon.linkage.services import review as services
from chumchon.linkage.tasks import run_progress
from chumchon.people.models import Person

router = Router()
source_records_router = Router()


class SourceRecordOut(Schema):
    id: int
    source: str
    source_key: str
    title: str
    first_name: str
    last_name: str
    nickname: str
    sex: str
    birth_date: date | None
    birth_year_only: bool
    house_no: str
    area_code: str
    national_id: str | None
    person_id: int | None
    link_method: str
    link_score: float | None
    linked_at: datetime | None


class PersonSideOut(Schema):
    id: int
    full_name: str
    national_id: str | None
    birth_date: date | None
    birth_year_only: bool
    sex: str
    area_code: str
    area_label: str
    house_no: str | None
    phone: str
    status: str
    source_records: list[SourceRecordOut]


class CandidateOut(Schema):
    id: int
    score: float
    status: str
    evidence: dict[str, Any]
    person_a: PersonSideOut
    person_b: PersonSideOut
    decided_at: datetime | None
    created_at: datetime


class DecideIn(Schema):
    """``same`` merges the two (keeping ``keep_id``, or the record with an ID / more sources);
    ``different`` records two people: the pair is not proposed again."""

    decision: Literal["same", "different"]
    keep_id: Id | None = None
    reason: str = ""


class MergeOut(Schema):
    id: int
    kept_id: int
    merged_id: int
    kept_name: str
    merged_name: str
    reason: str
    automatic: bool
    candidate_id: int | None
    moved: dict[str, int]
    filled: list[str]
    created_at: datetime
    undone_at: datetime | None


class RunOut(Schema):
    id: int
    area_code: str
    status: str
    phase: str
    done: int
    total: int
    summary: dict[str, Any]
    message: str
    created_at: datetime
    finished_at: datetime | None


def _national_id(user: Any, value: str | None, area_code: str) -> str | None:
    from chumchon.core.thai import mask_national_id

    if not value:
        return None
    return value if can(user, Capability.VIEW_FULL_ID, area_code) else mask_national_id(value)


def _visible_person_id(user: Any, record: SourceRecord) -> int | None:
    """The linked person's id only when the caller may see that person by name: a row of this
    tambon linked to someone outside the caller's reach must not reveal who that is."""
    if record.person_id is None or record.person is None:
        return None
    return record.person_id if can(user, Capability.VIEW_NAMES, record.person.area_code) else None


def _record_out(user: Any, record: SourceRecord) -> SourceRecordOut:
    return SourceRecordOut(
        id=record.pk, source=record.source.name, source_key=record.source_key, title=record.title,
        first_name=record.first_name, last_name=record.last_name, nickname=record.nickname, sex=record.sex,
        birth_date=record.birth_date, birth_year_only=record.birth_year_only, house_no=record.house_no,
        area_code=record.area_code, national_id=_national_id(user, record.national_id, record.area_code),
        person_id=_visible_person_id(user, record), link_method=record.link_method, link_score=record.link_score,
        linked_at=record.linked_at)


def _side(user: Any, person: Person) -> PersonSideOut:
    return PersonSideOut(
        id=person.pk, full_name=person.full_name,
        national_id=_national_id(user, person.national_id, person.area_code), birth_date=person.birth_date,
        birth_year_only=person.birth_year_only, sex=person.sex, area_code=person.area_code,
        area_label=person.area.label, house_no=person.household.house_no if person.household else None,
        phone=person.phone, status=person.status,
        source_records=[_record_out(user, r) for r in selectors.source_records_for(user=user, person=person)])


def _candidate_out(user: Any, candidate: MatchCandidate) -> CandidateOut:
    return CandidateOut(id=candidate.pk, score=candidate.score, status=candidate.status,
                        evidence=candidate.evidence or {}, person_a=_side(user, candidate.person_a),
                        person_b=_side(user, candidate.person_b), decided_at=candidate.decided_at,
                        created_at=candidate.created_at)


def _merge_out(event: MergeEvent) -> MergeOut:
    return MergeOut(id=event.pk, kept_id=event.kept_id, merged_id=event.merged_id, kept_name=event.kept.full_name,
                    merged_name=event.merged.full_name, reason=event.reason, automatic=event.automatic,
                    candidate_id=event.candidate_id,
                    moved={k: len(v) for k, v in (event.moved or {}).items() if not k.startswith("_")},
                    filled=sorted(event.kept_before or {}), created_at=event.created_at, undone_at=event.undone_at)


def _run_out(run: LinkageRun) -> RunOut:
    progress = run_progress(run)
    return RunOut(id=run.pk, area_code=run.area_code, status=run.status, phase=progress["phase"],
                  done=progress["done"], total=progress["total"], summary=run.summary or {}, message=run.message,
                  created_at=run.created_at, finished_at=run.finished_at)


@router.get("/candidates", response={200: list[CandidateOut], **errors(404)})
@paginate(Pagination)
def candidate_list(request: HttpRequest, status: Literal["pending", "same", "different", ""] = "pending",
                   area: str = "") -> Any:
    """Pairs of persons that may be one, in the caller's reach (LINK_RECORDS in both persons' areas)."""
    user = caller(request)
    if not can(user, Capability.LINK_RECORDS):
        from django.http import Http404

        raise Http404("not found")
    return _LazyCandidates(user, selectors.candidate_list(user=user, status=status, area_code=area))


class _LazyCandidates:
    """A queryset the paginator slices, turned into schemas (with source records) per page only;
    the page read is logged as a read of names."""

    def __init__(self, user: Any, qs: QuerySet[MatchCandidate]) -> None:
        self.user, self.qs = user, qs

    def __len__(self) -> int:
        return self.qs.count()

    def count(self) -> int:
        return self.qs.count()

    def __getitem__(self, index: slice) -> list[CandidateOut]:
        rows = list(self.qs[index])
        if rows:
            services.queue_view_log(actor=self.user, candidates=rows, via="api")
        return [_candidate_out(self.user, c) for c in rows]


@router.get("/candidates/{candidate_id}", response={200: CandidateOut, **errors(404)})
def candidate_get(request: HttpRequest, candidate_id: int) -> CandidateOut:
    user = caller(request)
    candidate = selectors.candidate_get(user=user, candidate_id=candidate_id)
    services.queue_view_log(actor=user, candidates=[candidate], via="api")
    return _candidate_out(user, candidate)


@router.post("/candidates/{candidate_id}/decide", response={200: CandidateOut, **errors(404, 422)})
def candidate_decide(request: HttpRequest, candidate_id: int, payload: DecideIn) -> CandidateOut:
    user = caller(request)
    candidate = selectors.candidate_get(user=user, candidate_id=candidate_id)
    decided = services.candidate_decide(actor=user, candidate=candidate, decision=payload.decision,
                                        keep_id=payload.keep_id, reason=payload.reason)
    return _candidate_out(user, selectors.candidate_get(user=user, candidate_id=decided.pk))


@router.get("/merges", response={200: list[MergeOut], **errors(404)})
@paginate(Pagination)
def merge_list(request: HttpRequest) -> Any:
    user = caller(request)
    if not can(user, Capability.LINK_RECORDS):
        from django.http import Http404

        raise Http404("not found")
    return _LazyMerges(selectors.merge_list(user=user))


class _LazyMerges:
    def __init__(self, qs: QuerySet[MergeEvent]) -> None:
        self.qs = qs

    def __len__(self) -> int:
        return self.qs.count()

    def count(self) -> int:
        return self.qs.count()

    def __getitem__(self, index: slice) -> list[MergeOut]:
        return [_merge_out(e) for e in self.qs[index]]


@router.get("/merges/{merge_id}", response={200: MergeOut, **errors(404)})
def merge_get(request: HttpRequest, merge_id: int) -> MergeOut:
    return _merge_out(selectors.merge_get(user=caller(request), merge_id=merge_id))


@router.post("/merges/{merge_id}/undo", response={200: MergeOut, **errors(404, 422)})
def merge_undo(request: HttpRequest, merge_id: int) -> MergeOut:
    user = caller(request)
    event = selectors.merge_get(user=user, merge_id=merge_id)
    services.merge_undo(actor=user, event=event)
    return _merge_out(selectors.merge_get(user=user, merge_id=merge_id))


@router.post("/runs", response={200: RunOut, **errors(404)})
def run_start(request: HttpRequest) -> RunOut:
    """Queue a linkage run of everything in the caller's reach (one at a time per area)."""
    return _run_out(services.linkage_run_start(actor=caller(request)))


@router.get("/runs/{run_id}", response={200: RunOut, **errors(404)})
def run_get(request: HttpRequest, run_id: int) -> RunOut:
    return _run_out(selectors.run_get(user=caller(request), run_id=run_id))


@source_records_router.get("/{record_id}", response={200: SourceRecordOut, **errors(404)})
def source_record_get(request: HttpRequest, record_id: int) -> SourceRecordOut:
    """One imported row as cleaned, and the person it is linked to (VIEW_NAMES in its area)."""
    user = caller(request)
    record = selectors.source_record_get(user=user, record_id=record_id)
    log_action(actor=user, verb="linkage.source_record_view", obj=record)
    return _record_out(user, record)
