"""Care plan writes: open, goals, actions, evidence, and the plan's states.

States: draft → submitted → approved → under review (first review at a revisit) → closed.
A submitted plan may be returned to draft with a reason. Approval needs APPROVE_PLANS (a care
manager or tambon officer) in the person's village and a second pair of eyes: someone who neither
wrote the plan nor added its goals.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from chumchon.accounts.models import User
from chumchon.accounts.scoping import can
from chumchon.care.models import (
    Action,
    ActionStatus,
    CarePlan,
    Comparison,
    Goal,
    GoalMeasure,
    Outcome,
    OutcomeSource,
    PlanKind,
    PlanReview,
    PlanStatus,
)
from chumchon.care.services._common import APPROVE, clean_date, clean_decimal, clean_text, may_plan, planned_person
from chumchon.care.services.outcomes import RIGHTS, judge_assessment_goal
from chumchon.core.audit import log_action
from chumchon.network.models import Service, Term, Vocabulary
from chumchon.people.models import PersonStatus
from chumchon.people.validation import today

EDITABLE = (PlanStatus.DRAFT,)
ACTIVE = (PlanStatus.APPROVED, PlanStatus.UNDER_REVIEW)
ACTION_MOVES = {
    ActionStatus.PLANNED: {ActionStatus.IN_PROGRESS, ActionStatus.DONE, ActionStatus.CANCELLED},
    ActionStatus.IN_PROGRESS: {ActionStatus.DONE, ActionStatus.CANCELLED},
    ActionStatus.DONE: set(),
    ActionStatus.CANCELLED: set(),
}


def _locked_plan(actor: Any, plan_id: Any) -> CarePlan:
    plan = CarePlan.objects.select_for_update().select_related("person").filter(pk=plan_id).first()
    if plan is None or not may_plan(actor, plan.area_code):
        raise Http404("not found")
    return plan


def _bump(plan: CarePlan, fields: list[str]) -> None:
    plan.version += 1
    plan.save(update_fields=[*fields, "version", "updated_at"])


@transaction.atomic
def plan_open(*, actor: Any, person_id: int, kind: str = PlanKind.QUALITY_OF_LIFE, summary: str = "") -> CarePlan:
    """Open a draft plan for a person in the actor's village or tambon."""
    person = planned_person(actor, person_id)
    if kind not in PlanKind.values:
        raise ValidationError({"kind": _("Choose the kind of plan.")})
    if person.status != PersonStatus.ACTIVE:
        raise ValidationError({"person_id": _("This person no longer lives here: a plan cannot be opened.")})
    summary = clean_text(summary, field="summary", max_length=4000, required=False)
    if CarePlan.objects.filter(person=person, kind=kind).exclude(status=PlanStatus.CLOSED).exists():
        raise ValidationError({"kind": _("This person already has an open plan of this kind: continue that one.")})
    try:
        with transaction.atomic():
            plan = CarePlan.objects.create(person=person, kind=kind, summary=summary, author=actor)
    except IntegrityError:
        raise ValidationError({"kind": _("This person already has an open plan of this kind: continue that one.")}) \
            from None
    log_action(actor=actor, verb="plan.open", obj=plan, data={"person": person.pk, "kind": kind})
    return plan


@transaction.atomic
def plan_open_with_goals(*, actor: Any, person_id: int, kind: str = PlanKind.QUALITY_OF_LIFE, summary: str = "",
                         proposals: list[str] | tuple[str, ...] = ()) -> CarePlan:
    """Open a draft plan and turn the chosen proposed problems (by source code) into its goals, all
    or nothing: if one goal is refused, no plan is left behind and the user can try again."""
    from chumchon.care.plan_selectors import plan_proposals

    chosen = {str(code) for code in proposals}
    offered = plan_proposals(user=actor, person_id=person_id) if chosen else []
    unknown = chosen - {proposal.source_code for proposal in offered}
    plan = plan_open(actor=actor, person_id=person_id, kind=kind, summary=summary)
    if unknown:
        raise ValidationError({"proposals": _("A chosen problem is no longer proposed for this person: reload the "
                                              "page and choose again.")})
    for proposal in offered:
        if proposal.source_code in chosen:
            goal_add(actor=actor, plan_id=plan.pk, problem=proposal.problem, description=proposal.description,
                     measure=proposal.measure, support_kind=proposal.support_kind,
                     source_code=proposal.source_code, instrument_code=proposal.instrument_code,
                     comparison=proposal.comparison, target_score=proposal.target_score,
                     target_classification=proposal.target_classification, flag_code=proposal.flag_code,
                     right_code=proposal.right_code)
    return plan


def _transition(actor: Any, plan: CarePlan, allowed: tuple[str, ...], to: str, verb: str,
                fields: list[str], data: dict[str, Any] | None = None) -> CarePlan:
    if plan.status not in allowed:
        raise ValidationError({"status": _("A plan that is “%(status)s” cannot be %(move)s.") % {
            "status": plan.get_status_display(), "move": _MOVES.get(to, to)}})
    before = plan.status
    plan.status = to
    _bump(plan, ["status", *fields])
    log_action(actor=actor, verb=verb, obj=plan, data={"from": before, "to": to, **(data or {})})
    return plan


_MOVES: dict[str, Any] = {
    PlanStatus.SUBMITTED: gettext_lazy("submitted"), PlanStatus.APPROVED: gettext_lazy("approved"),
    PlanStatus.DRAFT: gettext_lazy("returned"), PlanStatus.UNDER_REVIEW: gettext_lazy("reviewed"),
    PlanStatus.CLOSED: gettext_lazy("closed")}


@transaction.atomic
def plan_submit(*, actor: Any, plan_id: int) -> CarePlan:
    plan = _locked_plan(actor, plan_id)
    if plan.status == PlanStatus.DRAFT and not plan.goals.exists():
        raise ValidationError({"goals": _("Add at least one goal before sending the plan for approval.")})
    plan.submitted_at = timezone.now()
    return _transition(actor, plan, (PlanStatus.DRAFT,), PlanStatus.SUBMITTED, "plan.submit", ["submitted_at"])


def _wrote_goals(actor: Any, plan: CarePlan) -> bool:
    return bool(getattr(actor, "pk", None)) and plan.goals.filter(created_by_id=actor.pk).exists()


def plan_may_approve(user: Any, plan: CarePlan) -> bool:
    """A second pair of eyes: an approver of the area who neither wrote the plan nor added its goals."""
    return (can(user, APPROVE, plan.area_code) and plan.author_id != getattr(user, "pk", None)
            and not _wrote_goals(user, plan))


def _check_approver(actor: Any, plan: CarePlan) -> None:
    if not can(actor, APPROVE, plan.area_code):
        raise ValidationError({"status": _("Only a care manager or a tambon officer of this area can approve plans.")})
    if plan.author_id is not None and plan.author_id == getattr(actor, "pk", None):
        raise ValidationError({"status": _("You wrote this plan, so you cannot approve it: another care manager or "
                                           "tambon officer must approve it.")})
    if _wrote_goals(actor, plan):
        raise ValidationError({"status": _("You added goals to this plan, so you cannot approve it: another care "
                                           "manager or tambon officer must approve it.")})


@transaction.atomic
def plan_approve(*, actor: Any, plan_id: int) -> CarePlan:
    plan = _locked_plan(actor, plan_id)
    if plan.status == PlanStatus.SUBMITTED:
        _check_approver(actor, plan)
    plan.approved_by, plan.approved_at = actor, timezone.now()
    plan.returned_reason = ""
    return _transition(actor, plan, (PlanStatus.SUBMITTED,), PlanStatus.APPROVED, "plan.approve",
                       ["approved_by", "approved_at", "returned_reason"])


@transaction.atomic
def plan_return(*, actor: Any, plan_id: int, reason: str) -> CarePlan:
    """Send a submitted plan back to its author with what to change."""
    plan = _locked_plan(actor, plan_id)
    if plan.status == PlanStatus.SUBMITTED:
        if not can(actor, APPROVE, plan.area_code):
            raise ValidationError({"status": _("Only a care manager or a tambon officer of this area can approve "
                                               "plans.")})
        plan.returned_reason = clean_text(reason, field="reason", max_length=2000,
                                          message=_("Say what should change before the plan is approved."))
    return _transition(actor, plan, (PlanStatus.SUBMITTED,), PlanStatus.DRAFT, "plan.return", ["returned_reason"],
                       {"reason": plan.returned_reason})


@transaction.atomic
def plan_review_record(*, actor: Any, plan_id: int, note: str, reviewed_on: date | str | None = None) -> PlanReview:
    """A review at a revisit; the first one puts an approved plan under review."""
    plan = _locked_plan(actor, plan_id)
    if plan.status not in ACTIVE:
        raise ValidationError({"status": _("Only an approved plan can be reviewed.")})
    note = clean_text(note, field="note", max_length=4000, message=_("Write what was found at the revisit."))
    day = clean_date(reviewed_on, field="reviewed_on", past_only=True) or today()
    review = PlanReview.objects.create(plan=plan, reviewed_on=day, note=note, reviewer=actor)
    if plan.status == PlanStatus.APPROVED:
        _transition(actor, plan, ACTIVE, PlanStatus.UNDER_REVIEW, "plan.review_start", [])
    else:
        _bump(plan, [])
    log_action(actor=actor, verb="plan.review", obj=plan, data={"review": review.pk, "on": day})
    return review


@transaction.atomic
def plan_close(*, actor: Any, plan_id: int, reason: str) -> CarePlan:
    plan = _locked_plan(actor, plan_id)
    reason = clean_text(reason, field="reason", max_length=2000, message=_("Say why the plan is closed."))
    plan.closed_at, plan.closed_reason = timezone.now(), reason
    return _transition(actor, plan, (PlanStatus.DRAFT, *ACTIVE), PlanStatus.CLOSED, "plan.close",
                       ["closed_at", "closed_reason"], {"reason": reason})


# ---------------------------------------------------------------------------
# Goals
# ---------------------------------------------------------------------------


def _current(person: Any, instrument_code: str) -> Any:
    """The person's current result under the instrument, or their household's for a household one."""
    from chumchon.visits.models import CurrentStatus

    found = CurrentStatus.objects.filter(person_id=person.pk, instrument_code=instrument_code).first()
    if found is None and person.household_id:
        found = CurrentStatus.objects.filter(household_id=person.household_id, instrument_code=instrument_code).first()
    return found


def _instrument(code: str) -> Any:
    from chumchon.visits.instruments.registry import get_instrument

    try:
        return get_instrument(code)
    except LookupError:
        raise ValidationError({"instrument_code": _("Unknown instrument “%(code)s”.") % {"code": code}}) from None


def _clean_target(plan: CarePlan, data: dict[str, Any]) -> dict[str, Any]:
    """Check the structured target for its measure; return the fields to store."""
    measure = data.get("measure") or ""
    if measure not in GoalMeasure.values:
        raise ValidationError({"measure": _("Choose how the goal will be measured.")})
    out: dict[str, Any] = {"measure": measure}
    if measure in (GoalMeasure.SCORE, GoalMeasure.CLASSIFICATION, GoalMeasure.FLAG_CLEARED):
        code = str(data.get("instrument_code") or "").strip()
        if not code:
            raise ValidationError({"instrument_code": _("Choose the assessment that will measure the goal.")})
        instrument = _instrument(code)
        out["instrument_code"] = instrument.code
        comparison = str(data.get("comparison") or "")
        if measure == GoalMeasure.SCORE:
            if comparison not in (Comparison.AT_LEAST, Comparison.AT_MOST):
                raise ValidationError({"comparison": _("Choose “at least” or “at most”.")})
            target = clean_decimal(data.get("target_score"), field="target_score")
            if target is None:
                raise ValidationError({"target_score": _("Enter the score to reach.")})
            out.update(comparison=comparison, target_score=target)
        elif measure == GoalMeasure.CLASSIFICATION:
            comparison = comparison or Comparison.EQUALS
            if comparison not in (Comparison.EQUALS, Comparison.NOT_EQUALS):
                raise ValidationError({"comparison": _("Choose “is” or “is no longer”.")})
            target_class = str(data.get("target_classification") or "").strip()
            if not any(band.code == target_class for band in instrument.classifications):
                raise ValidationError({"target_classification": _("Choose a result this assessment gives.")})
            out.update(comparison=comparison, target_classification=target_class)
        else:
            flag = str(data.get("flag_code") or "").strip()
            if not any(item.code == flag for item in instrument.flags):
                raise ValidationError({"flag_code": _("Choose a warning this assessment raises.")})
            out["flag_code"] = flag
        status = _current(plan.person, instrument.code)
        if status is not None:
            out.update(baseline_assessment_id=status.assessment_id, baseline_score=status.score,
                       baseline_classification=status.classification, baseline_on=status.assessed_on)
        if measure == GoalMeasure.SCORE and status is not None and status.score is not None and _met_already(
                out, status.score):
            raise ValidationError({"target_score": _("The latest score already reaches this target: set a higher "
                                                     "one.")})
    elif measure == GoalMeasure.RIGHT:
        right = str(data.get("right_code") or "")
        if right not in RIGHTS:
            raise ValidationError({"right_code": _("Choose the right or benefit to obtain.")})
        if RIGHTS[right][2](plan.person):
            raise ValidationError({"right_code": _("The registry already shows this right for the person.")})
        out["right_code"] = right
    return out


def _met_already(target: dict[str, Any], score: Any) -> bool:
    if target["comparison"] == Comparison.AT_LEAST:
        return bool(score >= target["target_score"])
    return bool(score <= target["target_score"])


@transaction.atomic
def goal_add(*, actor: Any, plan_id: int, problem: str, description: str, measure: str,
             support_kind: str = "", source_code: str = "", instrument_code: str = "", comparison: str = "",
             target_score: Any = None, target_classification: str = "", flag_code: str = "",
             right_code: str = "") -> Goal:
    """A problem and its goal, with a target that can be judged: see models/plans.py."""
    plan = _locked_plan(actor, plan_id)
    if plan.status not in EDITABLE:
        raise ValidationError({"status": _("Goals can be added only while the plan is a draft.")})
    problem = clean_text(problem, field="problem", max_length=300, message=_("Describe the problem."))
    description = clean_text(description, field="description", max_length=300,
                             message=_("Describe the goal in a few words."))
    kind = None
    if support_kind:
        kind = Term.objects.filter(vocabulary=Vocabulary.SUPPORT_KIND, code=support_kind, is_active=True).first()
        if kind is None:
            raise ValidationError({"support_kind": _("Unknown kind of support: choose one from the list.")})
    fields = _clean_target(plan, {"measure": measure, "instrument_code": instrument_code, "comparison": comparison,
                                  "target_score": target_score, "target_classification": target_classification,
                                  "flag_code": flag_code, "right_code": right_code})
    goal = Goal.objects.create(plan=plan, problem=problem, description=description, support_kind=kind,
                               source_code=clean_text(source_code, field="source_code", max_length=100,
                                                      required=False),
                               created_by=actor, **fields)
    _bump(plan, [])
    log_action(actor=actor, verb="goal.add", obj=goal, data={"plan": plan.pk, **{
        key: value for key, value in fields.items() if key != "baseline_assessment_id"}})
    return goal


@transaction.atomic
def goal_record_evidence(*, actor: Any, goal_id: int, outcome: str, note: str,
                         on: date | str | None = None) -> Goal:
    """A user judges a goal from what they saw (a repaired roof, a card in hand)."""
    goal = Goal.objects.select_for_update().select_related("plan", "plan__person").filter(pk=goal_id).first()
    if goal is None or not may_plan(actor, goal.area_code):
        raise Http404("not found")
    if goal.plan.status not in ACTIVE:
        raise ValidationError({"status": _("Outcomes are recorded once the plan is approved.")})
    if goal.measure not in (GoalMeasure.EVIDENCE, GoalMeasure.RIGHT):
        raise ValidationError({"outcome": _("This goal is judged from re-assessment: record a new assessment.")})
    if outcome not in (Outcome.MET, Outcome.PARTLY_MET, Outcome.NOT_MET):
        raise ValidationError({"outcome": _("Choose met, partly met or not met.")})
    note = clean_text(note, field="note", max_length=2000, message=_("Write the evidence you saw."))
    day = clean_date(on, field="on", past_only=True) or today()
    before = goal.outcome
    goal.outcome, goal.outcome_source, goal.outcome_note = outcome, OutcomeSource.EVIDENCE, note
    goal.outcome_by, goal.outcome_on = actor, day
    goal.met_on = (goal.met_on or day) if outcome == Outcome.MET else None
    goal.save(update_fields=["outcome", "outcome_source", "outcome_note", "outcome_by", "outcome_on", "met_on"])
    log_action(actor=actor, verb="goal.evidence", obj=goal, data={"from": before, "to": outcome, "note": note})
    return goal


def goal_judge_now(goal: Goal) -> str:
    """The outcome a goal measured by assessment has right now (used by tests and the API)."""
    status = _current(goal.plan.person, goal.instrument_code) if goal.instrument_code else None
    if status is None:
        return goal.outcome
    return judge_assessment_goal(goal, score=status.score, classification=status.classification,
                                 flags=list(status.flags or []), assessed_on=status.assessed_on,
                                 assessment_id=status.assessment_id)


# ---------------------------------------------------------------------------
# Actions
# ---------------------------------------------------------------------------


def service_covers(service: Service, area_code: str) -> bool:
    """The service is offered in the person's village: one of its areas is the village or above it."""
    containing = [area_code[:n] for n in (2, 4, 6, len(area_code))]
    return service.areas.filter(code__in=containing).exists()


@transaction.atomic
def action_add(*, actor: Any, goal_id: int, description: str, service_id: int | None = None,
               responsible_name: str = "", responsible_user_id: int | None = None, fund_source: str = "",
               due_on: date | str | None = None, referral_id: int | None = None) -> Action:
    goal = Goal.objects.select_related("plan", "plan__person").filter(pk=goal_id).first()
    if goal is None or not may_plan(actor, goal.area_code):
        raise Http404("not found")
    plan = _locked_plan(actor, goal.plan_id)
    if plan.status not in (*EDITABLE, *ACTIVE):
        raise ValidationError({"status": _("A closed or submitted plan cannot take new actions.")})
    description = clean_text(description, field="description", max_length=300,
                             message=_("Say what will be done."))
    service = None
    if service_id:
        service = Service.objects.select_related("organisation").filter(pk=service_id, is_active=True).first()
        if service is None:
            raise ValidationError({"service_id": _("No such service.")})
        if not service_covers(service, plan.area_code):
            raise ValidationError({"service_id": _("This service does not cover the person's village.")})
    user = None
    if responsible_user_id:
        user = User.objects.filter(pk=responsible_user_id, is_active=True).first()
        if user is None or not can(user, "view_health", plan.area_code):
            raise ValidationError({"responsible_user_id": _("Choose someone who works in the person's area.")})
    referral = None
    if referral_id:
        from chumchon.care.models import Referral

        referral = Referral.objects.filter(pk=referral_id, person_id=plan.person_id).first()
        if referral is None:
            raise ValidationError({"referral_id": _("Choose a referral of this person.")})
    action = Action.objects.create(
        goal=goal, description=description, service=service,
        organisation=service.organisation if service else (referral.organisation if referral else None),
        responsible_name=clean_text(responsible_name, field="responsible_name", max_length=200, required=False),
        responsible_user=user, fund_source=clean_text(fund_source, field="fund_source", max_length=200,
                                                      required=False),
        due_on=clean_date(due_on, field="due_on"), referral=referral)
    _bump(plan, [])
    log_action(actor=actor, verb="action.add", obj=action, data={"goal": goal.pk, "service": service_id,
                                                                 "referral": referral_id})
    return action


@transaction.atomic
def action_set_status(*, actor: Any, action_id: int, status: str) -> Action:
    action = Action.objects.select_for_update().select_related("goal__plan__person").filter(pk=action_id).first()
    if action is None or not may_plan(actor, action.area_code):
        raise Http404("not found")
    if action.goal.plan.status not in (*EDITABLE, *ACTIVE):
        raise ValidationError({"status": _("The plan is not open for changes.")})
    if status not in ActionStatus.values:
        raise ValidationError({"status": _("Choose a status from the list.")})
    before = action.status
    if status not in ACTION_MOVES[ActionStatus(before)]:
        raise ValidationError({"status": _("An action that is “%(from)s” cannot become “%(to)s”.") % {
            "from": action.get_status_display(), "to": ActionStatus(status).label}})
    action.status = status
    action.save(update_fields=["status", "updated_at"])
    log_action(actor=actor, verb="action.status", obj=action, data={"from": before, "to": status})
    return action
