"""Household pages: create, show with its members, edit."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from chumchon.accounts.scoping import can
from chumchon.people import selectors, services
from chumchon.people.forms import HouseholdCreateForm, HouseholdEditForm, apply_service_errors
from chumchon.people.views._common import EDIT, HtmxHttpRequest, edit_areas, require_edit


@login_required
def household_new(request: HtmxHttpRequest) -> HttpResponse:
    areas = edit_areas(request.user)
    area_code = request.GET.get("area", "")
    if area_code and area_code not in {area.code for area in areas}:
        raise Http404("not found")
    form = HouseholdCreateForm(request.POST or None, areas=areas, initial={"area": area_code})
    if request.method == "POST" and form.is_valid():
        try:
            household = services.household_create(actor=request.user, area_code=form.cleaned_data["area"],
                                                  **form.service_fields())
        except ValidationError as exc:
            apply_service_errors(form, exc)
        else:
            messages.success(request, _("The household was created. Add its members now."))
            return redirect("people:household_detail", household_id=household.pk)
    return render(request, "people/household_form.html", {"form": form, "household": None})


@login_required
def household_detail(request: HtmxHttpRequest, household_id: int) -> HttpResponse:
    household = selectors.household_get(user=request.user, household_id=household_id)
    members = selectors.household_members(user=request.user, household=household)
    services.household_log_view(actor=request.user, household=household)
    return render(request, "people/household_detail.html", {
        "household": household,
        "members": members,
        "can_edit": can(request.user, EDIT, household.area_code),
    })


@login_required
def household_edit(request: HtmxHttpRequest, household_id: int) -> HttpResponse:
    household = selectors.household_get(user=request.user, household_id=household_id)
    require_edit(request.user, household.area_code)
    if request.method == "POST":
        form = HouseholdEditForm(request.POST)
        if form.is_valid():
            try:
                services.household_update(actor=request.user, household=household,
                                          version=form.cleaned_data["version"], **form.service_fields())
            except ValidationError as exc:
                apply_service_errors(form, exc)
                household = selectors.household_get(user=request.user, household_id=household_id)
            else:
                messages.success(request, _("Saved."))
                return redirect("people:household_detail", household_id=household.pk)
    else:
        form = HouseholdEditForm(initial=HouseholdEditForm.initial_for(household))
    return render(request, "people/household_form.html", {"form": form, "household": household})
