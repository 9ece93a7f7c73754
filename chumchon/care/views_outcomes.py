"""``/care/outcomes/``: the tambon view of outcomes per target group and who has waited longest."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from chumchon.care.outcome_selectors import tambon_outcomes


@login_required
def outcomes(request: HttpRequest) -> HttpResponse:
    result = tambon_outcomes(user=request.user, area_code=request.GET.get("area", ""))
    return render(request, "care/plans/outcomes.html", {"result": result})
