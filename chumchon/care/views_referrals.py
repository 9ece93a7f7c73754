"""Referral pages: refer a person to a matching service, the referrals of one's area (mine,
waiting, overdue), the agency queue, and one referral with the answer buttons."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from chumchon.accounts.roles import Capability
from chumchon.accounts.scoping import can
from chumchon.care import plan_selectors as sel
from chumchon.care.models import ReferralStatus
from chumchon.care.models.referrals import OPEN_REFERRAL_STATUSES
from chumchon.care.services import referrals as svc
from chumchon.care.services._common import may_plan
from chumchon.care.views_plans import _errors, _planner_person
from chumchon.core.audit import log_action
from chumchon.network.models import Term, Vocabulary
from chumchon.people.validation import today

PER_PAGE = 50
TABS = [("mine", gettext_lazy("sent by me")), ("open", gettext_lazy("waiting or in progress")),
        ("overdue", gettext_lazy("overdue")), ("all", gettext_lazy("all"))]


@login_required
def referral_new(request: HttpRequest, person_id: int) -> HttpResponse:
    """Choose a kind of support, then one of the services that match the person (best first)."""
    from chumchon.network.selectors.analysis import service_match

    person = _planner_person(request, person_id)
    need = request.GET.get("need", "") or request.POST.get("need", "")
    action_id = request.GET.get("action", "") or request.POST.get("action", "")
    matches: list[Any] = []
    if need:
        try:
            matches = service_match(user=request.user, person_id=person.pk, need=need)
        except ValidationError as exc:
            _errors(request, exc)
            need = ""
    if request.method == "POST":
        service_id = request.POST.get("service_id", "")
        try:
            referral = svc.referral_create(
                actor=request.user, person_id=person.pk,
                service_id=int(service_id) if service_id.isdigit() else 0, reason=request.POST.get("reason", ""),
                answer_due_on=request.POST.get("answer_due_on", ""),
                action_id=int(action_id) if str(action_id).isdigit() else None)
        except ValidationError as exc:
            _errors(request, exc)
        else:
            messages.success(request, _("The referral was sent to %(org)s.") % {"org": referral.organisation.name})
            return redirect("care_plans:referral_detail", referral.pk)
    return render(request, "care/plans/referral_new.html", {
        "person": person, "need": need, "matches": matches, "action_id": action_id,
        "support_kinds": Term.objects.filter(vocabulary=Vocabulary.SUPPORT_KIND, is_active=True),
        "default_days": svc.answer_days()})


@login_required
def referral_list(request: HttpRequest) -> HttpResponse:
    """The referrals of the user's area: sent by me, waiting, overdue, all."""
    if not can(request.user, Capability.VIEW_HEALTH):
        if sel.staff_organisation_ids(request.user):
            return redirect("care_plans:referral_queue")
        raise Http404("not found")
    tab = request.GET.get("tab", "mine")
    tab = tab if tab in dict(TABS) else "mine"
    choices: dict[str, dict[str, Any]] = {"mine": {"referred_by": request.user}, "open": {"status": "open"},
                                          "overdue": {"overdue": True}, "all": {}}
    filters = choices[tab]
    rows = sel.referral_list(user=request.user, **filters)
    page = Paginator(rows, PER_PAGE).get_page(request.GET.get("page"))
    return render(request, "care/plans/referral_list.html", {
        "page": page, "tab": tab, "tabs": TABS, "queue": False, "today": today(),
        "overdue_count": sel.referral_list(user=request.user, overdue=True).count()})


@login_required
def referral_queue(request: HttpRequest) -> HttpResponse:
    """What has been referred to the user's organisations: waiting first, oldest due first."""
    if not sel.staff_organisation_ids(request.user):
        raise Http404("not found")
    status = request.GET.get("status", "open")
    rows = sel.referral_list(user=request.user, queue=True, status="" if status == "all" else status)
    page = Paginator(rows, PER_PAGE).get_page(request.GET.get("page"))
    shown = list(page.object_list)
    svc.referrals_log_read(actor=request.user, referrals=shown)
    return render(request, "care/plans/referral_list.html", {"page": page, "queue": True, "status": status,
                                                             "today": today()})


@login_required
def referral_detail(request: HttpRequest, referral_id: int) -> HttpResponse:
    referral = sel.referral_get(user=request.user, referral_id=referral_id)
    log_action(actor=request.user, verb="referral.view", obj=referral, data={"person": referral.person_id})
    answers = svc.is_agency_staff(request.user, referral.organisation_id)
    planner = may_plan(request.user, referral.area_code)
    return render(request, "care/plans/referral_detail.html", {
        "referral": referral, "overdue": sel.is_overdue(referral), "planner": planner,
        "may_accept": answers and referral.status == ReferralStatus.SENT,  # or decline
        "may_complete": answers and referral.status == ReferralStatus.ACCEPTED,
        "may_withdraw": planner and referral.status in OPEN_REFERRAL_STATUSES,
        "actions": referral.actions.select_related("goal__plan")})


@login_required
@require_POST
def referral_move(request: HttpRequest, referral_id: int, move: str) -> HttpResponse:
    referral = sel.referral_get(user=request.user, referral_id=referral_id)
    post = request.POST
    moves = {
        "accept": (lambda: svc.referral_accept(actor=request.user, referral_id=referral.pk, note=post.get("note", "")),
                   _("Accepted: the village sees that you are on it.")),
        "decline": (lambda: svc.referral_decline(actor=request.user, referral_id=referral.pk,
                                                 reason=post.get("reason", "")),
                    _("Declined: the village sees your reason.")),
        "complete": (lambda: svc.referral_complete(actor=request.user, referral_id=referral.pk,
                                                   outcome_note=post.get("outcome_note", "")),
                     _("Recorded as done.")),
        "withdraw": (lambda: svc.referral_withdraw(actor=request.user, referral_id=referral.pk,
                                                   reason=post.get("reason", "")),
                     _("The referral was withdrawn.")),
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
    return redirect("care_plans:referral_detail", referral.pk)
