"""Pages that show the network: the graph (Cytoscape.js), the who-does-what matrix and the gaps.
Thin: the selectors in ``network.selectors.analysis`` decide what a user sees; these pages need
VIEW_AGGREGATES somewhere (404 otherwise) and default to the user's tambon."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.decorators import login_required
from django.db.models import Q
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _

from chumchon.accounts.scoping import area_prefixes, can, within_q
from chumchon.areas.models import LOCAL_LEVELS, Area
from chumchon.network.models import Term, Vocabulary
from chumchon.network.scoping import ancestors_of
from chumchon.network.selectors import analysis

SEE = analysis.SEE


def _area_choices(user: Any) -> list[tuple[str, str]]:
    """Areas to pick from: those above the user's reach, their reach itself and what lies within
    it (villages only for users whose reach is a tambon or smaller: a province has hundreds)."""
    prefixes = area_prefixes(user, SEE)
    query = Q(code__in=sorted(ancestors_of(prefixes)))
    for prefix in prefixes:
        query |= within_q(prefix, "code")
    qs = Area.objects.filter(query, is_active=True)
    if any(len(prefix) < 6 for prefix in prefixes):
        qs = qs.exclude(level__in=LOCAL_LEVELS)
    indent = {2: "", 4: "\u00a0\u00a0", 6: "\u00a0\u00a0\u00a0\u00a0"}
    return [(area.code, indent.get(len(area.code), "\u00a0" * 6) + area.label) for area in qs.order_by("code")]


def _context(request: HttpRequest) -> dict[str, Any]:
    user = request.user
    if not can(user, SEE):
        raise Http404("not found")
    area = analysis.check_area(user, request.GET.get("area", ""))
    area_obj = Area.objects.filter(code=area).first()
    if area_obj is None:
        raise Http404("not found")
    return {"area": area, "area_label": area_obj.label, "areas": _area_choices(user)}


@login_required
def network_graph(request: HttpRequest) -> HttpResponse:
    context = _context(request)
    target_group = request.GET.get("target_group", "")
    support_kind = request.GET.get("support_kind", "")
    groups = list(Term.objects.filter(vocabulary=Vocabulary.TARGET_GROUP, is_active=True))
    kinds = list(Term.objects.filter(vocabulary=Vocabulary.SUPPORT_KIND, is_active=True))
    target_group = target_group if target_group in {term.code for term in groups} else ""
    support_kind = support_kind if support_kind in {term.code for term in kinds} else ""
    data = analysis.network_graph(user=request.user, area_code=context["area"], target_group=target_group,
                                  support_kind=support_kind)
    data["text"] = {"services": _("Services here"), "none": _("No services recorded in this area."),
                    "for": _("for"), "kind": _("Kind"), "hint": _("Tap an organisation to see its services.")}
    context.update({"graph": data, "target_groups": groups, "support_kinds": kinds,
                    "target_group": target_group, "support_kind": support_kind, "tab": "graph"})
    return render(request, "network/analysis/graph.html", context)


@login_required
def network_matrix(request: HttpRequest) -> HttpResponse:
    context = _context(request)
    context.update({"matrix": analysis.who_does_what(user=request.user, area_code=context["area"]), "tab": "matrix"})
    return render(request, "network/analysis/matrix.html", context)


@login_required
def network_gaps(request: HttpRequest) -> HttpResponse:
    context = _context(request)
    report = analysis.gaps(user=request.user, area_code=context["area"])
    shown = [gap.people for gap in report.gaps if gap.people is not None]
    context.update({"report": report, "most": max(shown, default=1), "tab": "gaps"})
    return render(request, "network/analysis/gaps.html", context)
