"""``/visits/due/``: visits due this week in the villages the user visits, most urgent first."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render

from chumchon.accounts.roles import Capability
from chumchon.accounts.scoping import can
from chumchon.areas.selectors import local_areas
from chumchon.core.thai import ThaiDateError, parse_thai_date
from chumchon.visits.selectors.followups import due_list

PER_PAGE = 50


def _page_number(request: HttpRequest) -> int:
    try:
        return max(1, min(int(request.GET.get("page", "1")), 10_000))
    except ValueError:
        return 1


@login_required
def due_page(request: HttpRequest) -> HttpResponse:
    user = request.user
    if not can(user, Capability.RECORD_VISITS):
        raise Http404("not found")
    areas = list(local_areas(user=user, capability=Capability.RECORD_VISITS))
    area_code = request.GET.get("area", "")
    if area_code not in {area.code for area in areas}:
        area_code = ""
    until = None
    until_text = request.GET.get("until", "").strip()
    if until_text:
        try:
            until = parse_thai_date(until_text).value
        except ThaiDateError:
            until = None
    number = _page_number(request)
    page = due_list(user=user, area_code=area_code or None, until=until, offset=(number - 1) * PER_PAGE,
                    limit=PER_PAGE)
    pages = max(1, -(-page.total // PER_PAGE))
    context: dict[str, Any] = {
        "page": page, "areas": areas, "area_code": area_code, "until": until_text if until else "",
        "number": number, "pages": pages,
        "previous": number - 1 if number > 1 else None, "next": number + 1 if number < pages else None,
        "can_see_results": {area.code for area in areas if can(user, Capability.VIEW_HEALTH, area.code)},
    }
    return render(request, "visits/due.html", context)
