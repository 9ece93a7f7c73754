"""The person page: everything about one person, with the PDPA lawful-basis records."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from chumchon.accounts.roles import Capability
from chumchon.accounts.scoping import can
from chumchon.areas.models import Area, AreaLevel
from chumchon.core.thai import age_in_years
from chumchon.people import selectors, services
from chumchon.people.forms import GROUP_LABELS, BasisForm, apply_service_errors
from chumchon.people.models import Allowance, DataBasis, DisabilityType, Person
from chumchon.people.validation import today
from chumchon.people.views._common import EDIT, HtmxHttpRequest
from chumchon.visits.views.results import person_results_context


def area_chain(area: Area) -> dict[str, Area]:
    """The village or community and the areas above it, by level."""
    chain: dict[str, Area] = {}
    node: Area | None = area
    while node is not None:
        chain[node.level] = node
        node = node.parent
    return chain


def address_rows(person: Person) -> list[tuple[str, str]]:
    """The address as a Thai form asks for it: house number down to postcode, from the area tree."""
    household = person.household
    chain = area_chain(person.area)
    local = chain.get(AreaLevel.VILLAGE) or chain.get(AreaLevel.COMMUNITY)
    tambon = chain.get(AreaLevel.SUBDISTRICT)
    rows = [
        (_("House number"), household.house_no if household else ""),
        (_("Moo (village)") if local and local.level == AreaLevel.VILLAGE else _("Community"),
         local.label if local else ""),
        (_("Soi"), household.soi if household else ""),
        (_("Road"), household.road if household else ""),
        (_("Tambon"), tambon.label if tambon else ""),
        (_("Amphoe"), chain[AreaLevel.DISTRICT].label if AreaLevel.DISTRICT in chain else ""),
        (_("Changwat"), chain[AreaLevel.PROVINCE].label if AreaLevel.PROVINCE in chain else ""),
        (_("Postcode"), (local.postcodes if local else "") or (tambon.postcodes if tambon else "")),
    ]
    return [(label, value) for label, value in rows if value]


def render_person_page(request: HtmxHttpRequest, person: Person, basis_form: BasisForm | None = None
                       ) -> HttpResponse:
    """Show the person page; showing it is a read of sensitive data and is logged (PDPA)."""
    user = request.user
    services.person_log_view(actor=user, person=person)
    context: dict[str, Any] = {
        "person": person,
        "show_full_id": can(user, Capability.VIEW_FULL_ID, person.area_code),
        "can_edit": can(user, EDIT, person.area_code),
        "age": age_in_years(person.birth_date, today()) if person.birth_date else None,
        "address": address_rows(person),
        "groups": [GROUP_LABELS[group] for group in selectors.person_groups(person)],
        "disability_types": [DisabilityType(number).label for number in person.disability_types
                             if number in DisabilityType.values],
        "allowances": [Allowance(code).label for code in person.allowances if code in Allowance.values],
        "moves": person.moves.select_related("from_area", "to_area", "from_household", "to_household"),
        "bases": person.data_bases.select_related("recorded_by"),
        "basis_form": basis_form or BasisForm(),
        "can_alert": can(user, Capability.RECEIVE_ALERTS, person.area_code)
        or can(user, Capability.RECORD_VISITS, person.area_code),
    }
    context.update(person_results_context(user=user, person=person))
    return render(request, "people/person_detail.html", context)


@login_required
def person_detail(request: HtmxHttpRequest, person_id: int) -> HttpResponse:
    person = selectors.person_get(user=request.user, person_id=person_id)
    if person.merged_into_id:
        # A record merged into another: its address leads to the person it now is, when in reach.
        kept_id = selectors.merged_target_in_reach(user=request.user, person=person)
        if kept_id is None:
            raise Http404("not found")
        messages.info(request, _("This record was merged into this person's record."))
        return redirect("people:person_detail", person_id=kept_id)
    return render_person_page(request, person)


@login_required
@require_POST
def basis_record(request: HtmxHttpRequest, person_id: int) -> HttpResponse:
    person = selectors.person_get(user=request.user, person_id=person_id)
    form = BasisForm(request.POST)
    if form.is_valid():
        data = form.cleaned_data
        try:
            services.data_basis_record(
                actor=request.user, person=person, basis=data["basis"], purposes=data["purposes"],
                given_on=data["given_on"], given_by=data["given_by"], notice_version=data["notice_version"])
        except ValidationError as exc:
            apply_service_errors(form, exc)
        else:
            messages.success(request, _("The lawful basis was recorded."))
            return redirect(reverse("people:person_detail", args=[person.pk]) + "#pdpa")
    return render_person_page(request, person, basis_form=form)


@login_required
@require_POST
def basis_withdraw(request: HtmxHttpRequest, person_id: int, record_id: int) -> HttpResponse:
    person = selectors.person_get(user=request.user, person_id=person_id)
    record = get_object_or_404(DataBasis, pk=record_id, person=person)
    try:
        services.data_basis_withdraw(actor=request.user, record=record)
    except ValidationError as exc:
        for message in exc.messages:
            messages.error(request, message)
    else:
        messages.success(request, _("The consent or basis was withdrawn."))
    return redirect(reverse("people:person_detail", args=[person.pk]) + "#pdpa")
