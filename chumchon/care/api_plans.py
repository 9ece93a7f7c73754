"""API: care plans (``/api/v1/plans``) and referrals (``/api/v1/referrals``). Same selectors and
services as the pages: 404 outside reach, 422 naming the field on refused input."""

from datetime import date, datetime
from decimal import Decimal
from typing import Any

from django.db.models import QuerySet
from django.http import HttpRequest
from ninja import Query, Router, Schema, Status
from ninja.pagination import paginate

from chumchon.api.auth import caller
from chumchon.api.pagination import Pagination
from chumchon.api.schemas import Id, errors
from chumchon.care import plan_selectors as sel
from chumchon.care.models import Action, CarePlan, Goal, PlanReview, Referral
from chumchon.care.services import plans as plan_svc
from chumchon.care.services import referrals as ref_svc
from chumchon.core.audit import log_action

plans_router = Router()
referrals_router = Router()


def _name(user: Any) -> str | None:
    return str(user) if user is not None else None


# ---------------------------------------------------------------------------
# Schemas
# ---------------------------------------------------------------------------


class ActionOut(Schema):
    id: int
    description: str
    organisation_id: int | None
    service_id: int | None
    responsible_name: str
    responsible_user_id: int | None
    fund_source: str
    due_on: date | None
    status: str
    referral_id: int | None


class GoalOut(Schema):
    id: int
    problem: str
    description: str
    source_code: str
    support_kind: str | None
    measure: str
    instrument_code: str
    comparison: str
    target_score: Decimal | None
    target_classification: str
    flag_code: str
    right_code: str
    baseline_score: Decimal | None
    baseline_classification: str
    baseline_on: date | None
    latest_score: Decimal | None
    latest_classification: str
    latest_on: date | None
    outcome: str
    outcome_source: str
    outcome_note: str
    met_on: date | None
    actions: list[ActionOut]

    @staticmethod
    def resolve_support_kind(obj: Goal) -> str | None:
        return obj.support_kind.code if obj.support_kind else None

    @staticmethod
    def resolve_actions(obj: Goal) -> list[Action]:
        return list(obj.actions.all())


class ReviewOut(Schema):
    id: int
    reviewed_on: date
    note: str
    reviewer: str | None

    @staticmethod
    def resolve_reviewer(obj: PlanReview) -> str | None:
        return _name(obj.reviewer)


class PlanOut(Schema):
    id: int
    person_id: int
    area_code: str
    kind: str
    status: str
    summary: str
    author: str | None
    approved_by: str | None
    approved_at: datetime | None
    returned_reason: str
    closed_reason: str
    version: int
    created_at: datetime
    updated_at: datetime

    @staticmethod
    def resolve_author(obj: CarePlan) -> str | None:
        return _name(obj.author)

    @staticmethod
    def resolve_approved_by(obj: CarePlan) -> str | None:
        return _name(obj.approved_by)


class PlanDetailOut(PlanOut):
    goals: list[GoalOut]
    reviews: list[ReviewOut]

    @staticmethod
    def resolve_goals(obj: CarePlan) -> list[Goal]:
        return sel.plan_goals(obj)

    @staticmethod
    def resolve_reviews(obj: CarePlan) -> list[PlanReview]:
        return list(obj.reviews.select_related("reviewer"))


class ProposalOut(Schema):
    source_code: str
    problem: str
    description: str
    measure: str
    support_kinds: list[str]
    instrument_code: str
    comparison: str
    target_classification: str
    flag_code: str
    right_code: str
    target_score: Decimal | None
    baseline_score: Decimal | None
    baseline_classification: str

    @staticmethod
    def resolve_support_kinds(obj: sel.Proposal) -> list[str]:
        return [term.code for term in obj.support_kinds]


class PlanFilters(Schema):
    status: str = ""
    person: Id | None = None


class PlanIn(Schema):
    person_id: Id
    kind: str = "qol"
    summary: str = ""
    proposals: list[str] = []  # source codes of proposed problems to make goals of, all or nothing


class ReasonIn(Schema):
    reason: str = ""


class ReviewIn(Schema):
    note: str = ""
    reviewed_on: date | None = None


class GoalIn(Schema):
    problem: str = ""
    description: str = ""
    measure: str = ""
    support_kind: str = ""
    source_code: str = ""
    instrument_code: str = ""
    comparison: str = ""
    target_score: Decimal | None = None
    target_classification: str = ""
    flag_code: str = ""
    right_code: str = ""


class ActionIn(Schema):
    description: str = ""
    service_id: Id | None = None
    responsible_name: str = ""
    responsible_user_id: Id | None = None
    fund_source: str = ""
    due_on: date | None = None
    referral_id: Id | None = None


class StatusIn(Schema):
    status: str = ""


class EvidenceIn(Schema):
    outcome: str = ""
    note: str = ""
    on: date | None = None


# ---------------------------------------------------------------------------
# Plans
# ---------------------------------------------------------------------------


def _detail(request: HttpRequest, plan_id: int) -> CarePlan:
    user = caller(request)
    plan = sel.plan_get(user=user, plan_id=plan_id)
    log_action(actor=user, verb="plan.view", obj=plan, data={"person": plan.person_id})
    return plan


@plans_router.get("", response={200: list[PlanOut], **errors(422)})
@paginate(Pagination)
def plan_list(request: HttpRequest, filters: Query[PlanFilters]) -> QuerySet[CarePlan]:
    """Plans of people in the caller's health-data reach, most recently changed first."""
    return sel.plan_list(user=caller(request), status=filters.status, person_id=filters.person)


@plans_router.post("", response={201: PlanDetailOut, **errors(404, 422)})
def plan_open(request: HttpRequest, payload: PlanIn) -> Status[CarePlan]:
    plan = plan_svc.plan_open_with_goals(actor=caller(request), person_id=payload.person_id, kind=payload.kind,
                                         summary=payload.summary, proposals=payload.proposals)
    return Status(201, plan)


@plans_router.get("/proposals", response={200: list[ProposalOut], **errors(404, 422)})
def plan_proposals(request: HttpRequest, person: Id) -> list[sel.Proposal]:
    """Problems proposed for a person's plan: needs from current assessments and missing rights."""
    return sel.plan_proposals(user=caller(request), person_id=person)


@plans_router.get("/{int:plan_id}", response={200: PlanDetailOut, **errors(404)})
def plan_get(request: HttpRequest, plan_id: int) -> CarePlan:
    return _detail(request, plan_id)


@plans_router.post("/{int:plan_id}/submit", response={200: PlanDetailOut, **errors(404, 422)})
def plan_submit(request: HttpRequest, plan_id: int) -> CarePlan:
    plan_svc.plan_submit(actor=caller(request), plan_id=plan_id)
    return _detail(request, plan_id)


@plans_router.post("/{int:plan_id}/approve", response={200: PlanDetailOut, **errors(404, 422)})
def plan_approve(request: HttpRequest, plan_id: int) -> CarePlan:
    plan_svc.plan_approve(actor=caller(request), plan_id=plan_id)
    return _detail(request, plan_id)


@plans_router.post("/{int:plan_id}/return", response={200: PlanDetailOut, **errors(404, 422)})
def plan_return(request: HttpRequest, plan_id: int, payload: ReasonIn) -> CarePlan:
    plan_svc.plan_return(actor=caller(request), plan_id=plan_id, reason=payload.reason)
    return _detail(request, plan_id)


@plans_router.post("/{int:plan_id}/close", response={200: PlanDetailOut, **errors(404, 422)})
def plan_close(request: HttpRequest, plan_id: int, payload: ReasonIn) -> CarePlan:
    plan_svc.plan_close(actor=caller(request), plan_id=plan_id, reason=payload.reason)
    return _detail(request, plan_id)


@plans_router.post("/{int:plan_id}/reviews", response={201: ReviewOut, **errors(404, 422)})
def plan_review(request: HttpRequest, plan_id: int, payload: ReviewIn) -> Status[PlanReview]:
    review = plan_svc.plan_review_record(actor=caller(request), plan_id=plan_id, note=payload.note,
                                         reviewed_on=payload.reviewed_on)
    return Status(201, review)


@plans_router.post("/{int:plan_id}/goals", response={201: GoalOut, **errors(404, 422)})
def goal_add(request: HttpRequest, plan_id: int, payload: GoalIn) -> Status[Goal]:
    goal = plan_svc.goal_add(actor=caller(request), plan_id=plan_id, **payload.dict())
    return Status(201, goal)


@plans_router.post("/goals/{int:goal_id}/evidence", response={200: GoalOut, **errors(404, 422)})
def goal_evidence(request: HttpRequest, goal_id: int, payload: EvidenceIn) -> Goal:
    return plan_svc.goal_record_evidence(actor=caller(request), goal_id=goal_id, outcome=payload.outcome,
                                         note=payload.note, on=payload.on)


@plans_router.post("/goals/{int:goal_id}/actions", response={201: ActionOut, **errors(404, 422)})
def action_add(request: HttpRequest, goal_id: int, payload: ActionIn) -> Status[Action]:
    action = plan_svc.action_add(actor=caller(request), goal_id=goal_id, **payload.dict())
    return Status(201, action)


@plans_router.post("/actions/{int:action_id}/status", response={200: ActionOut, **errors(404, 422)})
def action_status(request: HttpRequest, action_id: int, payload: StatusIn) -> Action:
    return plan_svc.action_set_status(actor=caller(request), action_id=action_id, status=payload.status)


# ---------------------------------------------------------------------------
# Referrals
# ---------------------------------------------------------------------------


class ReferralOut(Schema):
    id: int
    person_id: int
    person_name: str
    area_code: str
    organisation_id: int
    organisation_name: str
    service_id: int
    service_name: str
    reason: str
    status: str
    answer_due_on: date
    overdue: bool
    referred_by: str | None
    created_at: datetime
    answered_by: str | None
    answered_at: datetime | None
    decline_reason: str
    outcome_note: str
    completed_at: datetime | None

    @staticmethod
    def resolve_person_name(obj: Referral) -> str:
        return obj.person.full_name

    @staticmethod
    def resolve_organisation_name(obj: Referral) -> str:
        return obj.organisation.name

    @staticmethod
    def resolve_service_name(obj: Referral) -> str:
        return obj.service.name

    @staticmethod
    def resolve_overdue(obj: Referral) -> bool:
        return sel.is_overdue(obj)

    @staticmethod
    def resolve_referred_by(obj: Referral) -> str | None:
        return _name(obj.referred_by)

    @staticmethod
    def resolve_answered_by(obj: Referral) -> str | None:
        return _name(obj.answered_by)


class ReferralFilters(Schema):
    status: str = ""  # sent, accepted, declined, completed, cancelled, or "open" (sent or accepted)
    person: Id | None = None
    queue: bool = False  # only referrals to the caller's organisations
    mine: bool = False  # only referrals the caller sent
    overdue: bool = False


class ReferralIn(Schema):
    person_id: Id
    service_id: Id
    organisation_id: Id | None = None
    reason: str = ""
    answer_due_on: date | None = None
    action_id: Id | None = None


class NoteIn(Schema):
    note: str = ""


class OutcomeIn(Schema):
    outcome_note: str = ""


def _referral(request: HttpRequest, referral_id: int) -> Referral:
    user = caller(request)
    referral = sel.referral_get(user=user, referral_id=referral_id)
    log_action(actor=user, verb="referral.view", obj=referral, data={"person": referral.person_id})
    return referral


class _LoggedReferrals:
    """The referral list the paginator slices; an agency's read of a page (names) is logged in each
    person's area, as the queue page does."""

    def __init__(self, user: Any, rows: QuerySet[Referral]) -> None:
        self.user, self.rows = user, rows
        self.agency = bool(sel.staff_organisation_ids(user))

    def __len__(self) -> int:
        return self.rows.count()

    def __getitem__(self, index: slice) -> list[Referral]:
        shown = list(self.rows[index])
        if self.agency:
            ref_svc.referrals_log_read(actor=self.user, referrals=shown, via="api")
        return shown


@referrals_router.get("", response={200: list[ReferralOut], **errors(422)})
@paginate(Pagination)
def referral_list(request: HttpRequest, filters: Query[ReferralFilters]) -> Any:
    user = caller(request)
    return _LoggedReferrals(user, sel.referral_list(
        user=user, status=filters.status, person_id=filters.person, queue=filters.queue,
        referred_by=user if filters.mine else None, overdue=filters.overdue))


@referrals_router.post("", response={201: ReferralOut, **errors(404, 422)})
def referral_create(request: HttpRequest, payload: ReferralIn) -> Status[Referral]:
    referral = ref_svc.referral_create(actor=caller(request), **payload.dict())
    return Status(201, _referral(request, referral.pk))


@referrals_router.get("/{int:referral_id}", response={200: ReferralOut, **errors(404)})
def referral_get(request: HttpRequest, referral_id: int) -> Referral:
    return _referral(request, referral_id)


@referrals_router.post("/{int:referral_id}/accept", response={200: ReferralOut, **errors(404, 422)})
def referral_accept(request: HttpRequest, referral_id: int, payload: NoteIn | None = None) -> Referral:
    ref_svc.referral_accept(actor=caller(request), referral_id=referral_id, note=payload.note if payload else "")
    return _referral(request, referral_id)


@referrals_router.post("/{int:referral_id}/decline", response={200: ReferralOut, **errors(404, 422)})
def referral_decline(request: HttpRequest, referral_id: int, payload: ReasonIn) -> Referral:
    ref_svc.referral_decline(actor=caller(request), referral_id=referral_id, reason=payload.reason)
    return _referral(request, referral_id)


@referrals_router.post("/{int:referral_id}/complete", response={200: ReferralOut, **errors(404, 422)})
def referral_complete(request: HttpRequest, referral_id: int, payload: OutcomeIn) -> Referral:
    ref_svc.referral_complete(actor=caller(request), referral_id=referral_id, outcome_note=payload.outcome_note)
    return _referral(request, referral_id)


@referrals_router.post("/{int:referral_id}/withdraw", response={200: ReferralOut, **errors(404, 422)})
def referral_withdraw(request: HttpRequest, referral_id: int, payload: ReasonIn) -> Referral:
    ref_svc.referral_withdraw(actor=caller(request), referral_id=referral_id, reason=payload.reason)
    return _referral(request, referral_id)
