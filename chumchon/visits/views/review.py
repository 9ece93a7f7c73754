"""Verification pages: what waits for a second visit in the user's reach, with a verify form
(visit date, evidence photo from the phone's camera) and "send back" with a reason. Thin: the
services in visits/services/review.py decide."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from chumchon.accounts.roles import Capability
from chumchon.accounts.scoping import can
from chumchon.core.review import ReviewStatus
from chumchon.core.thai import format_be
from chumchon.people.validation import today
from chumchon.visits.selectors import review as selectors
from chumchon.visits.selectors.followups import band_of, instrument_or_none
from chumchon.visits.services import review as services

S = ReviewStatus


def _kind(kind: str) -> services.Kind:
    if kind == "person":
        return "person"
    if kind == "assessment":
        return "assessment"
    raise Http404("not found")


def _label_results(assessments: list[Any]) -> None:
    """The instrument's title and the result's label in the user's language, not their codes."""
    for record in assessments:
        instrument = instrument_or_none(record.instrument_code, record.instrument_version) \
            or instrument_or_none(record.instrument_code)
        band = band_of(instrument, record.classification)
        record.instrument_title = instrument.title.get() if instrument else record.instrument_code
        record.classification_label = band.label.get() if band else record.classification


@login_required
def review_list(request: HttpRequest) -> HttpResponse:
    user = request.user
    if not can(user, Capability.VERIFY_RECORDS):
        raise Http404("not found")
    area = request.GET.get("area", "")
    waiting_people = list(selectors.review_people(user=user, area_code=area)[:300])
    waiting_assessments = list(selectors.review_assessments(user=user, area_code=area)[:300])
    back_assessments = list(selectors.review_assessments(user=user, status=S.CORRECTION, area_code=area)[:300])
    collectors = selectors.collectors(waiting_people) | selectors.collectors(waiting_assessments)
    for kind, records in (("person", waiting_people), ("assessment", waiting_assessments)):
        for record in records:
            record.review_key = f"{kind}-{record.pk}"  # type: ignore[union-attr]
            record.is_mine = collectors.get(f"{kind}-{record.pk}") == user.pk  # type: ignore[union-attr]
    _label_results([*waiting_assessments, *back_assessments])
    context: dict[str, Any] = {
        "people": waiting_people,
        "assessments": waiting_assessments,
        "back_people": selectors.review_people(user=user, status=S.CORRECTION, area_code=area)[:300],
        "back_assessments": back_assessments,
        "today_be": format_be(today(), style="numeric"),
    }
    return render(request, "visits/review/list.html", context)


def _back(kind: str, record_id: int) -> HttpResponse:
    return redirect(reverse("review-list") + f"#{kind}-{record_id}")


def _report(request: HttpRequest, exc: ValidationError) -> None:
    for message in exc.messages:
        messages.error(request, message)


@login_required
@require_POST
def review_verify(request: HttpRequest, kind: str, record_id: int) -> HttpResponse:
    record_kind = _kind(kind)
    selectors.record_get(user=request.user, kind=record_kind, record_id=record_id)
    try:
        services.record_verify_upload(actor=request.user, kind=record_kind, record_id=record_id,
                                      upload=request.FILES.get("photo"), visited_on=request.POST.get("visited_on", ""),
                                      note=request.POST.get("note", ""))
    except ValidationError as exc:
        _report(request, exc)
    else:
        messages.success(request, _("The record was verified."))
    return _back(kind, record_id)


@login_required
@require_POST
def review_send_back(request: HttpRequest, kind: str, record_id: int) -> HttpResponse:
    record_kind = _kind(kind)
    selectors.record_get(user=request.user, kind=record_kind, record_id=record_id)
    try:
        services.record_send_back(actor=request.user, kind=record_kind, record_id=record_id,
                                  reason=request.POST.get("reason", ""))
    except ValidationError as exc:
        _report(request, exc)
    else:
        messages.success(request, _("The record was sent back for correction."))
    return _back(kind, record_id)


@login_required
@require_POST
def review_submit(request: HttpRequest, kind: str, record_id: int) -> HttpResponse:
    record_kind = _kind(kind)
    selectors.record_get(user=request.user, kind=record_kind, record_id=record_id)
    try:
        services.record_submit(actor=request.user, kind=record_kind, record_id=record_id,
                               note=request.POST.get("note", ""))
    except ValidationError as exc:
        _report(request, exc)
    else:
        messages.success(request, _("The record was submitted for verification again."))
    return _back(kind, record_id)
