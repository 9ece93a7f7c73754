"""Child development centre pages: the list (and registering a centre), and one centre with its
owner, caregivers and their training, enrolled children (names only with VIEW_NAMES), the support
log with totals, and the latest quality assessment with its form. Thin: services decide."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from chumchon.accounts.roles import Capability
from chumchon.accounts.scoping import can, scope_q, within_q
from chumchon.core.audit import log_action
from chumchon.core.thai import years_before
from chumchon.network.models import ChildCentre, Enrolment, Organisation, Term, Vocabulary
from chumchon.network.scoping import SMALL_CELL, organisation_visible_q
from chumchon.network.selectors import centres as selectors
from chumchon.network.services import centres as services
from chumchon.network.services.cleaning import as_id
from chumchon.network.views.committees import show_errors
from chumchon.people.models import Person, PersonStatus
from chumchon.people.validation import today
from chumchon.visits.instruments.registry import get_instrument

MANAGE = Capability.MANAGE_NETWORK
NAMES = Capability.VIEW_NAMES


@login_required
def centre_list(request: HttpRequest) -> HttpResponse:
    user = request.user
    manageable = list(Organisation.objects.filter(scope_q(user, MANAGE), kind__code=services.CENTRE_KIND)
                      .exclude(pk__in=ChildCentre.objects.values("organisation_id")).order_by("name")[:200]) \
        if can(user, MANAGE) else []
    if request.method == "POST":
        if not manageable:
            raise Http404("not found")
        try:
            centre = services.centre_create(actor=user, organisation_id=request.POST.get("organisation_id", ""),
                                            owner_id=request.POST.get("owner_id") or None,
                                            capacity=request.POST.get("capacity") or None)
        except ValidationError as exc:
            show_errors(request, exc)
        else:
            messages.success(request, _("The centre was registered."))
            return redirect("centre-detail", centre_id=centre.pk)
    owners = list(Organisation.objects.filter(organisation_visible_q(user), kind__code__in=services.OWNER_KINDS)
                  .order_by("name")[:200]) if manageable else []
    return render(request, "network/centres/list.html", {
        "centres": selectors.centre_rows(user=user), "small_cell": SMALL_CELL, "manageable": manageable,
        "owners": owners})


def _candidates(user: Any, centre: ChildCentre) -> list[Person]:
    """Children under seven of the centre's tambon, within the user's names reach, not enrolled here."""
    on = today()
    enrolled = Enrolment.objects.filter(centre=centre, left_on__isnull=True).values("person_id")
    return list(Person.objects.filter(scope_q(user, NAMES), within_q(centre.area_code[:6]),
                                      status=PersonStatus.ACTIVE, birth_date__gt=years_before(on, 7))
                .exclude(pk__in=enrolled).order_by("sort_key")[:300])


ACTIONS = ("caregiver", "training", "enrol", "leave", "support", "assess")


def _post(request: HttpRequest, centre: ChildCentre) -> str:
    user, data = request.user, request.POST
    action = data.get("action", "")
    if action == "caregiver":
        services.caregiver_add(actor=user, centre=centre, name=data.get("name", ""),
                               position=data.get("position", ""), started_on=data.get("started_on", ""))
    elif action == "training":
        caregiver_id = as_id(data.get("caregiver_id", ""))
        if caregiver_id is None:
            raise Http404("not found")
        caregiver = selectors.caregiver_get(user=user, centre=centre, caregiver_id=caregiver_id)
        services.training_add(actor=user, caregiver=caregiver, course=data.get("course", ""),
                              provider=data.get("provider", ""), completed_on=data.get("completed_on", ""),
                              hours=data.get("hours") or None)
    elif action == "enrol":
        services.enrolment_add(actor=user, centre=centre, person_id=data.get("person_id", ""),
                               enrolled_on=data.get("enrolled_on", ""))
    elif action == "leave":
        enrolment = next((e for e in selectors.enrolment_list(user=user, centre=centre)
                          if str(e.pk) == data.get("enrolment_id")), None)
        if enrolment is None:
            raise Http404("not found")
        services.enrolment_end(actor=user, enrolment=enrolment, left_on=data.get("left_on", ""))
    elif action == "support":
        services.support_add(actor=user, centre=centre, giver_id=data.get("giver_id") or None,
                             giver_name=data.get("giver_name", ""), kind_code=data.get("kind_code", ""),
                             description=data.get("description", ""), received_on=data.get("received_on", ""),
                             value_baht=data.get("value_baht") or None)
    elif action == "assess":
        instrument = get_instrument(services.QUALITY_INSTRUMENT)
        answers = {item.code: data[f"item_{item.code}"] for item in instrument.items if data.get(f"item_{item.code}")}
        services.centre_assess(actor=user, centre=centre, answers=answers, assessed_on=data.get("assessed_on", ""))
    else:
        raise Http404("not found")
    return action


@login_required
def centre_detail(request: HttpRequest, centre_id: int) -> HttpResponse:
    user = request.user
    centre = selectors.centre_get(user=user, centre_id=centre_id)
    can_manage = can(user, MANAGE, centre.area_code)
    if request.method == "POST":
        if not can_manage:
            raise Http404("not found")
        try:
            _post(request, centre)
        except ValidationError as exc:
            show_errors(request, exc)
        else:
            messages.success(request, _("Saved."))
            return redirect("centre-detail", centre_id=centre.pk)
    enrolments = selectors.enrolment_list(user=user, centre=centre)
    if enrolments:  # the page lists children by name: a read of names (PDPA)
        log_action(actor=user, verb="centre.view", obj=centre, data={"children": len(enrolments)})
    latest = selectors.assessment_latest(user=user, centre=centre)
    instrument = get_instrument(services.QUALITY_INSTRUMENT)
    return render(request, "network/centres/detail.html", {
        "centre": centre, "can_manage": can_manage, "caregivers": selectors.caregiver_list(user=user, centre=centre),
        "caregiver_count": selectors.caregiver_count(user=user, centre=centre), "small_cell": SMALL_CELL,
        "may_see_children": selectors.may_see_children(user, centre), "enrolments": enrolments,
        "enrolled_count": selectors.enrolment_count(user=user, centre=centre),
        "support": selectors.support_summary(user=user, centre=centre), "latest": latest,
        "latest_items": [(item, item.option(str((latest.answers or {}).get(item.code, ""))))
                         for item in instrument.items] if latest else [],
        "instrument": instrument,
        "candidates": _candidates(user, centre) if can_manage else [],
        "givers": list(Organisation.objects.filter(organisation_visible_q(user)).order_by("name")[:300])
        if can_manage else [],
        "kinds": Term.objects.filter(vocabulary=Vocabulary.SUPPORT_KIND, is_active=True) if can_manage else [],
        "actions": ACTIONS})
