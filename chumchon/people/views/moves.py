"""Moving a person to another household in reach, or to another village."""

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
from chumchon.people import selectors, services
from chumchon.people.forms import MoveForm, apply_service_errors
from chumchon.people.models import Household, Person
from chumchon.people.views._common import EDIT, HtmxHttpRequest, edit_areas, require_edit

MAX_HOUSEHOLDS = 30


def _households(user: Any, person: Person, village: str, house_no: str) -> list[Household]:
    """Households of a village the user may edit, by house number as typed, for the picker."""
    if not village or not can(user, EDIT, village):
        return []
    households = selectors.household_list(user=user, q=house_no, area_code=village)
    return [h for h in households[:MAX_HOUSEHOLDS] if h.pk != person.household_id]


def _editable_person(request: HtmxHttpRequest, person_id: int) -> Person:
    person = selectors.person_get(user=request.user, person_id=person_id)
    require_edit(request.user, person.area_code)
    return person


@login_required
def move_households(request: HtmxHttpRequest, person_id: int) -> HttpResponse:
    """The household picker of the move form, refreshed by htmx as village and house number change."""
    person = _editable_person(request, person_id)
    village, house_no = request.GET.get("village", ""), request.GET.get("house_no", "")
    return render(request, "people/_move_households.html", {
        "households": _households(request.user, person, village, house_no),
        "searched": bool(village), "house_no": house_no, "chosen": None,
    })


def _move(request: HtmxHttpRequest, person: Person, form: MoveForm) -> None:
    """Call the service with the destination the form names; returns only on success."""
    data = form.cleaned_data
    common = {"actor": request.user, "person": person, "relation_to_head": data["relation_to_head"],
              "moved_on": data["moved_on"], "note": data["note"], "version": data["version"]}
    if data["to_household"]:
        try:
            to_household = selectors.household_get(user=request.user, household_id=data["to_household"])
        except Http404:
            raise ValidationError({"to_household": _("That household was not found.")}) from None
        services.person_move(to_household=to_household, **common)
    elif data["other_area_code"]:
        services.person_move(to_area_code=data["other_area_code"], **common)
    elif data["village"] and data["house_no"]:
        raise ValidationError({"house_no": _("Choose the household from the list.")})
    else:
        # A village without a household, or nothing chosen (the service says what is missing).
        services.person_move(to_area_code=data["village"] or None, **common)


@login_required
def person_move(request: HtmxHttpRequest, person_id: int) -> HttpResponse:
    person = _editable_person(request, person_id)
    areas = edit_areas(request.user)
    if request.method == "POST":
        form = MoveForm(request.POST, areas=areas)
        if form.is_valid():
            try:
                _move(request, person, form)
            except ValidationError as exc:
                apply_service_errors(form, exc)
                person = selectors.person_get(user=request.user, person_id=person_id)
            else:
                messages.success(request, _("The move was recorded."))
                if can(request.user, Capability.VIEW_NAMES, person.area_code):
                    return redirect("people:person_detail", person_id=person.pk)
                return redirect("people:search")
    else:
        form = MoveForm(initial={"version": person.version, "village": person.area_code}, areas=areas)
    village = str(form["village"].value() or "")
    house_no = str(form["house_no"].value() or "")
    return render(request, "people/person_move.html", {
        "form": form, "person": person,
        "households": _households(request.user, person, village, house_no),
        "searched": bool(village),
        "house_no": house_no,
        "chosen": form["to_household"].value(),
    })
