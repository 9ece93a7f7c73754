"""Pages for the villages and communities of a tambon. Thin: reads through selectors, writes
through services; anything out of the user's reach answers 404."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _

from chumchon.accounts.roles import Capability
from chumchon.accounts.scoping import area_prefixes, can, require_area
from chumchon.areas.forms import CommunityForm, LocalAreaForm, VillageForm
from chumchon.areas.models import LOCAL_LEVELS, Area, AreaLevel
from chumchon.areas.selectors import closed_local_areas, local_areas
from chumchon.areas.services import community_create, local_area_update, village_create
from chumchon.core.views import apply_service_errors
from chumchon.people.selectors import person_counts

COUNTS = Capability.VIEW_AGGREGATES
MANAGE = Capability.MANAGE_AREAS


def _list_url(tambon_code: str) -> str:
    return f"{reverse('areas:list')}#t{tambon_code}"


@login_required
def area_list(request: HttpRequest) -> HttpResponse:
    """Villages and communities the user can see, by tambon, with how many people live in each."""
    user = request.user
    visible = list(local_areas(user=user, capability=COUNTS))
    # Closed villages are listed only to those who may reopen them.
    closed = list(closed_local_areas(user=user))
    people = {counts.area_code: counts.total for counts in person_counts(user=user)}
    tambon_codes = ({area.code[:6] for area in visible + closed}
                    | {prefix for prefix in area_prefixes(user, MANAGE) if len(prefix) == 6})
    tambons = {area.code: area for area in Area.objects.filter(code__in=tambon_codes).select_related("parent")}
    sections: list[dict[str, Any]] = []
    for code in sorted(tambon_codes):
        rows = [(area, people.get(area.code, 0)) for area in visible if area.code[:6] == code]
        sections.append({
            "code": code, "tambon": tambons.get(code), "rows": rows,
            "closed": [area for area in closed if area.code[:6] == code],
            "people": sum(count for _area, count in rows),
            "can_manage": can(user, MANAGE, code),
        })
    return render(request, "areas/list.html", {"sections": sections})


def _managed_tambon(request: HttpRequest, tambon_code: str) -> Area:
    tambon = Area.objects.filter(code=tambon_code, level=AreaLevel.SUBDISTRICT).first()
    if tambon is None:
        raise Http404("not found")
    require_area(request.user, MANAGE, tambon.code)
    return tambon


@login_required
def village_new(request: HttpRequest, tambon_code: str) -> HttpResponse:
    tambon = _managed_tambon(request, tambon_code)
    form = VillageForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            village = village_create(actor=request.user, tambon_code=tambon.code, **form.cleaned_data)
        except ValidationError as error:
            apply_service_errors(form, error)
        else:
            messages.success(request, _("%(area)s was added.") % {"area": village.label})
            return redirect(_list_url(tambon.code))
    return render(request, "areas/form.html", {
        "form": form, "tambon": tambon, "title": _("New village in %(tambon)s") % {"tambon": tambon.label},
    })


@login_required
def community_new(request: HttpRequest, tambon_code: str) -> HttpResponse:
    tambon = _managed_tambon(request, tambon_code)
    form = CommunityForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            community = community_create(actor=request.user, tambon_code=tambon.code, **form.cleaned_data)
        except ValidationError as error:
            apply_service_errors(form, error)
        else:
            messages.success(request, _("%(area)s was added.") % {"area": community.label})
            return redirect(_list_url(tambon.code))
    return render(request, "areas/form.html", {
        "form": form, "tambon": tambon,
        "title": _("New community in %(tambon)s") % {"tambon": tambon.label},
    })


@login_required
def area_edit(request: HttpRequest, code: str) -> HttpResponse:
    area = Area.objects.filter(code=code, level__in=LOCAL_LEVELS).select_related("parent").first()
    if area is None:
        raise Http404("not found")
    require_area(request.user, MANAGE, area.code)
    initial = {"name_th": area.name_th, "name_en": area.name_en, "is_active": area.is_active}
    form = LocalAreaForm(request.POST or None, initial=initial)
    form.fields["name_th"].required = area.level == AreaLevel.COMMUNITY
    if request.method == "POST" and form.is_valid():
        try:
            local_area_update(actor=request.user, area=area, **form.cleaned_data)
        except ValidationError as error:
            apply_service_errors(form, error)
        else:
            messages.success(request, _("%(area)s was saved.") % {"area": area.label})
            return redirect(_list_url(area.code[:6]))
    return render(request, "areas/form.html", {
        "form": form, "tambon": area.parent, "area": area,
        "title": _("Edit %(area)s") % {"area": area.label},
    })
