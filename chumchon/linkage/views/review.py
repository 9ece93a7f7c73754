"""The officer's review queue: possible duplicates side by side, decide same or different; the
history of merges with Undo; the "link records now" button and its progress (polled by htmx).
Thin views over linkage.selectors and linkage.services; out of reach → 404."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from chumchon.accounts.roles import Capability
from chumchon.accounts.scoping import can
from chumchon.linkage import selectors
from chumchon.linkage.models import LinkageRun, MatchCandidate, RunStatus
from chumchon.linkage.services import review as services
from chumchon.linkage.tasks import run_progress
from chumchon.people.models import Person

LINK = Capability.LINK_RECORDS
PAGE_SIZE = 10
FIELD_LABELS = {
    "national_id": gettext_lazy("national ID"), "first_name": gettext_lazy("first name"),
    "last_name": gettext_lazy("last name"), "birth": gettext_lazy("birth date"),
    "birth_date": gettext_lazy("birth date"), "place": gettext_lazy("village and tambon"),
    "sex": gettext_lazy("sex"), "phone": gettext_lazy("phone"), "title": gettext_lazy("title"),
    "house_no": gettext_lazy("house number"),
}
LEVEL_LABELS = {
    "same": gettext_lazy("same"), "exact": gettext_lazy("same"), "similar": gettext_lazy("similar"),
    "different": gettext_lazy("different"), "unknown": gettext_lazy("not known"),
    "missing": gettext_lazy("not known"),
}


def _require_link(user: Any) -> None:
    if not can(user, LINK):
        raise Http404("not found")


def _errors(exc: ValidationError) -> str:
    if hasattr(exc, "message_dict"):
        return " ".join(message for messages_ in exc.message_dict.values() for message in messages_)
    return " ".join(exc.messages)


def _person_view(user: Any, person: Person) -> dict[str, Any]:
    full_id = can(user, Capability.VIEW_FULL_ID, person.area_code)
    return {
        "person": person,
        "national_id": (person.formatted_id if full_id else person.masked_id) if person.national_id else "",
        "records": selectors.source_records_for(user=user, person=person),
    }


def _pair_view(user: Any, candidate: MatchCandidate) -> dict[str, Any]:
    evidence = []
    for field, value in (candidate.evidence or {}).items():
        if isinstance(value, dict):
            level = str(value.get("level", ""))
            a, b = value.get("a"), value.get("b")
        else:
            level, a, b = str(value), "", ""
        evidence.append({"field": FIELD_LABELS.get(field, field), "level": level,
                         "level_label": LEVEL_LABELS.get(level, level),
                         "a": "" if a is None else a, "b": "" if b is None else b})
    return {"candidate": candidate, "percent": round(candidate.score * 100), "evidence": evidence,
            "a": _person_view(user, candidate.person_a), "b": _person_view(user, candidate.person_b),
            "keep": services.default_keep(candidate).pk}


def _run_context(user: Any, run: LinkageRun | None) -> dict[str, Any]:
    if run is None:
        return {"run": None}
    progress = run_progress(run)
    total = progress["total"]
    percent = int(100 * progress["done"] / total) if total else 0
    return {"run": run, "progress": progress, "percent": percent,
            "active": run.status in (RunStatus.PENDING, RunStatus.RUNNING)}


@login_required
def review_queue(request: HttpRequest) -> HttpResponse:
    _require_link(request.user)
    page = Paginator(selectors.candidate_list(user=request.user), PAGE_SIZE).get_page(request.GET.get("page"))
    pairs = [_pair_view(request.user, candidate) for candidate in page.object_list]
    if pairs:
        # Reading two people's details side by side is a read of names: logged (PDPA).
        services.queue_view_log(actor=request.user, candidates=[pair["candidate"] for pair in pairs])
    context = {"page": page, "pairs": pairs, **_run_context(request.user, selectors.run_latest(user=request.user))}
    return render(request, "linkage/review/queue.html", context)


@login_required
@require_POST
def candidate_decide(request: HttpRequest, candidate_id: int) -> HttpResponse:
    candidate = selectors.candidate_get(user=request.user, candidate_id=candidate_id)
    keep = request.POST.get("keep_id") or None
    try:
        services.candidate_decide(actor=request.user, candidate=candidate, decision=request.POST.get("decision", ""),
                                  keep_id=int(keep) if keep and keep.isdigit() else None,
                                  reason=request.POST.get("reason", ""))
    except ValidationError as exc:
        messages.error(request, _errors(exc))
    else:
        if request.POST.get("decision") == services.SAME:
            messages.success(request, _("The two records were merged. You can undo this in the merge history."))
        else:
            messages.success(request, _("Recorded as two different people. This pair will not be proposed again."))
    return redirect("linkage:review")


@login_required
def merge_history(request: HttpRequest) -> HttpResponse:
    _require_link(request.user)
    page = Paginator(selectors.merge_list(user=request.user), 20).get_page(request.GET.get("page"))
    return render(request, "linkage/review/merges.html", {"page": page})


@login_required
@require_POST
def merge_undo(request: HttpRequest, merge_id: int) -> HttpResponse:
    event = selectors.merge_get(user=request.user, merge_id=merge_id)
    try:
        services.merge_undo(actor=request.user, event=event)
    except ValidationError as exc:
        messages.error(request, _errors(exc))
    else:
        messages.success(request, _("The merge was undone: the two records are separate again."))
    return redirect("linkage:merges")


@login_required
@require_POST
def run_start(request: HttpRequest) -> HttpResponse:
    _require_link(request.user)
    run = services.linkage_run_start(actor=request.user)
    if getattr(request, "htmx", False):
        return render(request, "linkage/review/_run.html", _run_context(request.user, run))
    messages.success(request, _("Linking has started. This page shows its progress."))
    return redirect("linkage:review")


@login_required
def run_status(request: HttpRequest, run_id: int) -> HttpResponse:
    run = selectors.run_get(user=request.user, run_id=run_id)
    return render(request, "linkage/review/_run.html", _run_context(request.user, run))
