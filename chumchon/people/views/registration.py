"""Registering and editing people, with the duplicate warning before a new record is saved."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from chumchon.accounts.roles import Capability
from chumchon.accounts.scoping import can
from chumchon.core.errors import PossibleDuplicate
from chumchon.people import selectors, services
from chumchon.people.forms import (
    DUPLICATE_REASONS,
    PersonCreateForm,
    PersonEditForm,
    apply_service_errors,
)
from chumchon.people.models import Household
from chumchon.people.selectors import DuplicateCandidate
from chumchon.people.views._common import HtmxHttpRequest, edit_areas, require_edit


def duplicate_rows(candidates: list[DuplicateCandidate]) -> list[dict[str, Any]]:
    return [{"person": c.person, "reason": DUPLICATE_REASONS.get(c.reason, c.reason)} for c in candidates]


@login_required
def duplicates(request: HtmxHttpRequest) -> HttpResponse:
    """The warning box under the add-person form, refreshed by htmx as the user types."""
    params = request.GET
    candidates = selectors.duplicates_for_input(
        user=request.user, area_code=params.get("area", ""), first_name=params.get("first_name", ""),
        last_name=params.get("last_name", ""), birth_date=params.get("birth_date", ""),
        national_id=params.get("national_id", ""))
    return render(request, "people/_duplicates.html", {"candidates": duplicate_rows(candidates)})


def _create(request: HtmxHttpRequest, form: PersonCreateForm, *, household: Household | None
            ) -> HttpResponse:
    candidates: list[DuplicateCandidate] = []
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        area_code = household.area_code if household else data["area"]
        try:
            person = services.person_create(
                actor=request.user, household=household, area_code=None if household else area_code,
                confirm_new=bool(data["confirm_new"]), **form.service_fields())
        except PossibleDuplicate as exc:
            candidates = exc.candidates
            form.add_error(None, _("This may be someone who is already registered. Open the record "
                                   "below, or tick “This is a different person” and save again."))
        except ValidationError as exc:
            apply_service_errors(form, exc)
        else:
            messages.success(request, _("%(name)s was registered.") % {"name": person.full_name})
            if household is not None:
                return redirect("people:household_detail", household_id=household.pk)
            return redirect("people:person_detail", person_id=person.pk)
    area_code = household.area_code if household else (form["area"].value() or "")
    return render(request, "people/person_new.html", {
        "form": form,
        "household": household,
        "area_code": area_code,
        "candidates": duplicate_rows(candidates),
        "confirmed": bool(form.data.get("confirm_new")),
    })


@login_required
def person_new(request: HtmxHttpRequest) -> HttpResponse:
    """A person without a household, registered straight into a village (``?area=<code>``)."""
    areas = edit_areas(request.user)
    area_code = request.GET.get("area", "")
    if area_code and area_code not in {area.code for area in areas}:
        raise Http404("not found")
    form = PersonCreateForm(request.POST or None, areas=areas, with_relation=False,
                            initial={"area": area_code})
    return _create(request, form, household=None)


@login_required
def member_new(request: HtmxHttpRequest, household_id: int) -> HttpResponse:
    household = selectors.household_get(user=request.user, household_id=household_id)
    require_edit(request.user, household.area_code)
    form = PersonCreateForm(request.POST or None, initial={"area": household.area_code})
    return _create(request, form, household=household)


@login_required
def person_edit(request: HtmxHttpRequest, person_id: int) -> HttpResponse:
    user = request.user
    person = selectors.person_get(user=user, person_id=person_id)
    require_edit(user, person.area_code)
    show_id = can(user, Capability.VIEW_FULL_ID, person.area_code)
    options = {"keep_hidden_id": not show_id and bool(person.national_id),
               "with_relation": bool(person.household_id)}
    stale = False
    if request.method == "POST":
        form = PersonEditForm(request.POST, **options)
        if form.is_valid():
            try:
                services.person_update(actor=user, person=person, version=form.cleaned_data["version"],
                                       **form.service_fields())
            except ValidationError as exc:
                stale = getattr(exc, "code", None) == "stale"
                apply_service_errors(form, exc)
                # The refused values were set on the object in memory; show the saved record.
                person = selectors.person_get(user=user, person_id=person_id)
            else:
                messages.success(request, _("Saved."))
                return redirect("people:person_detail", person_id=person.pk)
    else:
        form = PersonEditForm(initial=PersonEditForm.initial_for(person, show_id=show_id), **options)
        services.person_log_view(actor=user, person=person)
    return render(request, "people/person_edit.html", {
        "form": form, "person": person, "show_full_id": show_id, "stale": stale,
    })
