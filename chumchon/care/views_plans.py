"""Care plan pages: open a plan for a person (with the proposed problems), the plan page (goals
with before/after, actions, reviews, the state buttons), and the plan list of one's area.

Every POST calls the same service as the API; a refusal comes back as a message on the plan page."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from chumchon.accounts.roles import Capability
from chumchon.accounts.scoping import can
from chumchon.care import plan_selectors as sel
from chumchon.care.models import (
    ActionStatus,
    CarePlan,
    Comparison,
    GoalMeasure,
    Outcome,
    PlanKind,
    PlanStatus,
)
from chumchon.care.services import plans as svc
from chumchon.care.services._common import APPROVE, may_plan
from chumchon.care.services.outcomes import RIGHTS
from chumchon.core.audit import log_action
from chumchon.network.models import Term, Vocabulary
from chumchon.people.selectors import person_get

PER_PAGE = 50


def _errors(request: HttpRequest, exc: ValidationError) -> None:
    for message in exc.messages:
        messages.error(request, message)


def _planner_person(request: HttpRequest, person_id: int) -> Any:
    person = person_get(user=request.user, person_id=person_id)
    if not may_plan(request.user, person.area_code):
        raise Http404("not found")
    return person


@login_required
def plan_new(request: HttpRequest, person_id: int) -> HttpResponse:
    """Open a plan: choose its kind and which proposed problems become goals."""
    person = _planner_person(request, person_id)
    proposals = sel.plan_proposals(user=request.user, person_id=person.pk)
    if request.method == "POST":
        try:
            plan = svc.plan_open_with_goals(actor=request.user, person_id=person.pk,
                                            kind=request.POST.get("kind", ""), summary=request.POST.get("summary", ""),
                                            proposals=request.POST.getlist("proposal"))
        except ValidationError as exc:
            _errors(request, exc)
        else:
            messages.success(request, _("The plan was opened as a draft. Set targets and actions, then send it "
                                        "for approval."))
            return redirect("care_plans:plan_detail", plan.pk)
    return render(request, "care/plans/plan_new.html", {
        "person": person, "proposals": proposals, "kinds": PlanKind.choices,
        "open_plans": sel.plan_list(user=request.user, person_id=person.pk, open_only=True)})


@login_required
def plan_list(request: HttpRequest) -> HttpResponse:
    if not can(request.user, Capability.VIEW_HEALTH):
        raise Http404("not found")
    status = request.GET.get("status", "")
    status = status if status in PlanStatus.values else ""
    plans = sel.plan_list(user=request.user, status=status)
    page = Paginator(plans, PER_PAGE).get_page(request.GET.get("page"))
    return render(request, "care/plans/plan_list.html", {"page": page, "status": status,
                                                         "statuses": PlanStatus.choices})


def _services_for(user: Any, plan: CarePlan, goals: list[Any]) -> dict[int, list[Any]]:
    """goal id → matching services for its kind of support (network service_match), best first."""
    from chumchon.network.selectors.analysis import service_match

    by_kind: dict[str, list[Any]] = {}
    out: dict[int, list[Any]] = {}
    for goal in goals:
        if not goal.support_kind_id:
            continue
        code = goal.support_kind.code
        if code not in by_kind:
            try:
                by_kind[code] = [match.service for match in service_match(user=user, person_id=plan.person_id,
                                                                          need=code)]
            except (Http404, ValidationError):
                by_kind[code] = []
        out[goal.pk] = by_kind[code]
    return out


@login_required
def plan_detail(request: HttpRequest, plan_id: int) -> HttpResponse:
    plan = sel.plan_get(user=request.user, plan_id=plan_id)
    log_action(actor=request.user, verb="plan.view", obj=plan, data={"person": plan.person_id})
    goals = sel.plan_goals(plan)
    services = _services_for(request.user, plan, goals)
    for goal in goals:
        goal.services = services.get(goal.pk, [])
    editable = may_plan(request.user, plan.area_code)
    return render(request, "care/plans/plan_detail.html", {
        "plan": plan, "goals": goals, "reviews": plan.reviews.select_related("reviewer"),
        "editable": editable, "is_draft": plan.status == PlanStatus.DRAFT,
        "is_active": plan.status in (PlanStatus.APPROVED, PlanStatus.UNDER_REVIEW),
        "may_approve": svc.plan_may_approve(request.user, plan),
        "may_return": can(request.user, APPROVE, plan.area_code),
        "measures": GoalMeasure.choices, "comparisons": Comparison.choices, "rights": [
            (code, label) for code, (label, _kind, _check) in RIGHTS.items()],
        "support_kinds": Term.objects.filter(vocabulary=Vocabulary.SUPPORT_KIND, is_active=True),
        "action_statuses": ActionStatus.choices, "outcomes": [
            (value, label) for value, label in Outcome.choices if value != Outcome.PENDING],
        "plan_referrals": sel.referral_list(user=request.user, person_id=plan.person_id),
    })


def _back(plan_id: int) -> HttpResponse:
    return redirect("care_plans:plan_detail", plan_id)


@login_required
@require_POST
def plan_move(request: HttpRequest, plan_id: int, move: str) -> HttpResponse:
    plan = sel.plan_get(user=request.user, plan_id=plan_id)
    reason = request.POST.get("reason", "")
    moves = {
        "submit": (lambda: svc.plan_submit(actor=request.user, plan_id=plan.pk), _("Sent for approval.")),
        "approve": (lambda: svc.plan_approve(actor=request.user, plan_id=plan.pk), _("The plan was approved.")),
        "return": (lambda: svc.plan_return(actor=request.user, plan_id=plan.pk, reason=reason),
                   _("The plan was returned to its author.")),
        "close": (lambda: svc.plan_close(actor=request.user, plan_id=plan.pk, reason=reason),
                  _("The plan was closed.")),
    }
    if move not in moves:
        raise Http404("not found")
    call, done = moves[move]
    try:
        call()
    except ValidationError as exc:
        _errors(request, exc)
    else:
        messages.success(request, done)
    return _back(plan.pk)


@login_required
@require_POST
def plan_review_add(request: HttpRequest, plan_id: int) -> HttpResponse:
    plan = sel.plan_get(user=request.user, plan_id=plan_id)
    try:
        svc.plan_review_record(actor=request.user, plan_id=plan.pk, note=request.POST.get("note", ""),
                               reviewed_on=request.POST.get("reviewed_on", ""))
    except ValidationError as exc:
        _errors(request, exc)
    else:
        messages.success(request, _("The review was recorded."))
    return _back(plan.pk)


GOAL_FIELDS = ("problem", "description", "measure", "support_kind", "instrument_code", "comparison", "target_score",
               "target_classification", "flag_code", "right_code")


@login_required
@require_POST
def goal_add(request: HttpRequest, plan_id: int) -> HttpResponse:
    plan = sel.plan_get(user=request.user, plan_id=plan_id)
    data = {name: request.POST.get(name, "") for name in GOAL_FIELDS}
    try:
        svc.goal_add(actor=request.user, plan_id=plan.pk, **data)
    except ValidationError as exc:
        _errors(request, exc)
    else:
        messages.success(request, _("The goal was added."))
    return _back(plan.pk)


def _goal_plan(request: HttpRequest, goal_id: int) -> int:
    from chumchon.care.models import Goal

    plan_id = Goal.objects.filter(pk=goal_id).values_list("plan_id", flat=True).first()
    if plan_id is None:
        raise Http404("not found")
    return sel.plan_get(user=request.user, plan_id=plan_id).pk


@login_required
@require_POST
def action_add(request: HttpRequest, goal_id: int) -> HttpResponse:
    plan_id = _goal_plan(request, goal_id)
    post = request.POST
    try:
        svc.action_add(actor=request.user, goal_id=goal_id, description=post.get("description", ""),
                       service_id=int(post["service_id"]) if post.get("service_id", "").isdigit() else None,
                       responsible_name=post.get("responsible_name", ""), fund_source=post.get("fund_source", ""),
                       due_on=post.get("due_on", ""))
    except ValidationError as exc:
        _errors(request, exc)
    else:
        messages.success(request, _("The action was added."))
    return _back(plan_id)


@login_required
@require_POST
def action_status(request: HttpRequest, action_id: int) -> HttpResponse:
    from chumchon.care.models import Action

    goal_id = Action.objects.filter(pk=action_id).values_list("goal_id", flat=True).first()
    if goal_id is None:
        raise Http404("not found")
    plan_id = _goal_plan(request, goal_id)
    try:
        svc.action_set_status(actor=request.user, action_id=action_id, status=request.POST.get("status", ""))
    except ValidationError as exc:
        _errors(request, exc)
    return _back(plan_id)


@login_required
@require_POST
def goal_evidence(request: HttpRequest, goal_id: int) -> HttpResponse:
    plan_id = _goal_plan(request, goal_id)
    try:
        svc.goal_record_evidence(actor=request.user, goal_id=goal_id, outcome=request.POST.get("outcome", ""),
                                 note=request.POST.get("note", ""), on=request.POST.get("on", ""))
    except ValidationError as exc:
        _errors(request, exc)
    else:
        messages.success(request, _("The outcome was recorded."))
    return _back(plan_id)
