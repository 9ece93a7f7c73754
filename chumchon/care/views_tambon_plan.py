"""``/care/tambon-plan/``: the needs rolled up by dimension and village, the programmes of a fiscal
year (draft them from the needs, edit, add budget lines), and the exports (Excel, Thai PDF)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from chumchon.care import tambon_plan_export as export
from chumchon.care.models import Dimension, ProgrammeStatus
from chumchon.care.services import tambon_plan as svc
from chumchon.care.tambon_plan_selectors import needs_rollup, planning_tambon, programme_get, programme_list
from chumchon.care.views_plans import _errors
from chumchon.network.models import Organisation
from chumchon.network.scoping import organisation_visible_q
from chumchon.people.validation import today


def next_fiscal_year() -> int:
    """The Thai fiscal year (B.E.) that starts next 1 October: the one a draft plan is for."""
    on = today()
    current = on.year + 543 + (1 if on.month >= 10 else 0)
    return current + 1


def _year(request: HttpRequest) -> int:
    value = request.GET.get("year", "") or request.POST.get("fiscal_year", "")
    return int(value) if value.isdigit() and 2500 <= int(value) <= 2700 else next_fiscal_year()


@login_required
def tambon_plan(request: HttpRequest) -> HttpResponse:
    area = request.GET.get("area", "")
    year = _year(request)
    tambon, cells = needs_rollup(user=request.user, area_code=area)
    _tambon, programmes = programme_list(user=request.user, fiscal_year=year, area_code=tambon.code)
    villages = sorted({code for cell in cells for code in cell.by_village})
    from chumchon.areas.models import Area

    labels = {a.code: a.label for a in Area.objects.filter(code__in=villages)}
    dimensions = []
    for dimension in Dimension:
        rows = [(cell, [cell.by_village.get(code, 0) for code in villages]) for cell in cells
                if cell.dimension == dimension.value]
        if rows:
            dimensions.append((dimension.label, rows))
    return render(request, "care/plans/tambon_plan.html", {
        "tambon": tambon, "year": year, "dimensions": dimensions, "villages": [labels.get(c, c) for c in villages],
        "programmes": programmes})


@login_required
@require_POST
def tambon_plan_draft(request: HttpRequest) -> HttpResponse:
    tambon = planning_tambon(request.user, request.POST.get("area", ""))
    year = _year(request)
    try:
        made = svc.tambon_plan_draft(actor=request.user, fiscal_year=request.POST.get("fiscal_year", ""),
                                     area_code=tambon.code)
    except ValidationError as exc:
        _errors(request, exc)
    else:
        messages.success(request, _("%(n)s programmes drafted from the needs found.") % {"n": len(made)})
    return redirect(f"{reverse('care_plans:tambon_plan')}?area={tambon.code}&year={year}")


@login_required
def programme_detail(request: HttpRequest, programme_id: int) -> HttpResponse:
    programme = programme_get(user=request.user, programme_id=programme_id)
    if request.method == "POST":
        post = request.POST
        try:
            if post.get("form") == "budget":
                svc.budget_line_add(actor=request.user, programme_id=programme.pk,
                                    description=post.get("description", ""), amount=post.get("amount", ""),
                                    funding_source=post.get("funding_source", ""))
            elif post.get("form") == "remove":
                svc.budget_line_remove(actor=request.user, line_id=int(post.get("line", "0") or 0))
            else:
                org = post.get("responsible_organisation_id", "")
                svc.programme_update(actor=request.user, programme_id=programme.pk, name=post.get("name", ""),
                                     status=post.get("status", ""), progress=post.get("progress", ""),
                                     responsible_organisation_id=int(org) if org.isdigit() else None)
        except ValidationError as exc:
            _errors(request, exc)
        else:
            messages.success(request, _("Saved."))
        return redirect("care_plans:programme_detail", programme.pk)
    organisations = (Organisation.objects.filter(organisation_visible_q(request.user), is_active=True)
                     .order_by("name")[:300])
    return render(request, "care/plans/programme_detail.html", {
        "programme": programme, "statuses": ProgrammeStatus.choices, "organisations": organisations,
        "lines": programme.budget_lines.all(),
        "total": sum((line.amount for line in programme.budget_lines.all()), start=0)})


def _download(body: bytes, content_type: str, filename: str) -> HttpResponse:
    response = HttpResponse(body, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response["Cache-Control"] = "no-store, private"
    return response


@login_required
def export_xlsx(request: HttpRequest, fiscal_year: int) -> HttpResponse:
    tambon = planning_tambon(request.user, request.GET.get("area", ""))
    body = export.render_xlsx(user=request.user, fiscal_year=fiscal_year, area_code=tambon.code)
    return _download(body, "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
                     f"tambon-plan-{tambon.code}-{fiscal_year}.xlsx")


@login_required
def export_pdf(request: HttpRequest, fiscal_year: int) -> HttpResponse:
    tambon = planning_tambon(request.user, request.GET.get("area", ""))
    body = export.render_pdf(user=request.user, fiscal_year=fiscal_year, area_code=tambon.code)
    return _download(body, "application/pdf", f"tambon-plan-{tambon.code}-{fiscal_year}.pdf")
