"""Committee pages: the list (and a new committee), one committee with its members, meetings and
attendance rates, and the meeting form with attendance checkboxes. Thin: services decide."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from chumchon.accounts.roles import Capability
from chumchon.accounts.scoping import can, scope_q
from chumchon.areas.models import Area, AreaLevel
from chumchon.core.thai import ThaiDateError, parse_thai_date
from chumchon.network.models import Meeting, Organisation
from chumchon.network.scoping import SMALL_CELL, organisation_visible_q
from chumchon.network.selectors import committees as selectors
from chumchon.network.services import committees as services
from chumchon.network.services.cleaning import as_id
from chumchon.people.validation import today

MANAGE = Capability.MANAGE_NETWORK


def show_errors(request: HttpRequest, exc: ValidationError) -> None:
    for message in exc.messages:
        messages.error(request, message)


def manage_areas(user: Any) -> list[Area]:
    """Areas above the village where the user keeps the network (for a new committee)."""
    return list(Area.objects.filter(scope_q(user, MANAGE, "code"), is_active=True)
                .exclude(level__in=[AreaLevel.VILLAGE, AreaLevel.COMMUNITY]).order_by("code")[:200])


def visible_organisations(user: Any) -> list[Organisation]:
    return list(Organisation.objects.filter(organisation_visible_q(user), is_active=True).order_by("name")[:500])


def read_date(text: str) -> date | None:
    try:
        return parse_thai_date(text).value if text.strip() else None
    except ThaiDateError:
        return None


@login_required
def committee_list(request: HttpRequest) -> HttpResponse:
    user = request.user
    areas = manage_areas(user)
    if request.method == "POST":
        if not areas:
            raise Http404("not found")
        try:
            committee = services.committee_create(
                actor=user, name=request.POST.get("name", ""), area_code=request.POST.get("area_code", ""),
                organisation_id=request.POST.get("organisation_id") or None,
                purpose=request.POST.get("purpose", ""))
        except ValidationError as exc:
            show_errors(request, exc)
        else:
            messages.success(request, _("The committee was created."))
            return redirect("committee-detail", committee_id=committee.pk)
    return render(request, "network/committees/list.html", {
        "committees": selectors.committee_rows(user=user), "small_cell": SMALL_CELL, "areas": areas,
        "organisations": visible_organisations(user) if areas else [], "posted": request.POST})


@login_required
def committee_detail(request: HttpRequest, committee_id: int) -> HttpResponse:
    user = request.user
    committee = selectors.committee_get(user=user, committee_id=committee_id)
    can_manage = can(user, MANAGE, committee.area_code)
    if request.method == "POST":
        if not can_manage:
            raise Http404("not found")
        try:
            if request.POST.get("member_id"):
                member_id = as_id(request.POST["member_id"])
                if member_id is None:
                    raise Http404("not found")
                member = selectors.member_get(user=user, committee=committee, member_id=member_id)
                services.member_update(actor=user, member=member, left_on=request.POST.get("left_on", ""))
                messages.success(request, _("The member was updated."))
            else:
                services.member_add(actor=user, committee=committee, name=request.POST.get("name", ""),
                                    role=request.POST.get("role", ""),
                                    organisation_id=request.POST.get("organisation_id") or None,
                                    joined_on=request.POST.get("joined_on", ""))
                messages.success(request, _("The member was added."))
        except ValidationError as exc:
            show_errors(request, exc)
        else:
            return redirect("committee-detail", committee_id=committee.pk)
    date_from = read_date(request.GET.get("from", ""))
    date_to = read_date(request.GET.get("to", ""))
    if date_from is None and date_to is None:
        date_to = today()
        date_from = date(date_to.year - 1, date_to.month, 1)
    rates = selectors.attendance_rate(user=user, committee=committee, date_from=date_from, date_to=date_to)
    return render(request, "network/committees/detail.html", {
        "committee": committee, "can_manage": can_manage,
        "members": selectors.member_list(user=user, committee=committee),
        "may_see_members": selectors.may_see_members(user, committee),
        "meetings": selectors.meeting_list(user=user, committee=committee)[:100],
        "rates": rates, "date_from": date_from, "date_to": date_to,
        "organisations": visible_organisations(user) if can_manage else []})


@login_required
def meeting_form(request: HttpRequest, committee_id: int, meeting_id: int | None = None) -> HttpResponse:
    """A new meeting, or an existing one's record and attendance (phone-friendly checkboxes)."""
    user = request.user
    committee = selectors.committee_get(user=user, committee_id=committee_id)
    if not can(user, MANAGE, committee.area_code):
        raise Http404("not found")
    meeting: Meeting | None = None
    if meeting_id is not None:
        meeting = selectors.meeting_get(user=user, committee=committee, meeting_id=meeting_id)
    members = selectors.member_list(user=user, committee=committee)
    marks = selectors.meeting_attendance(meeting) if meeting else {}
    if request.method == "POST":
        present = {member.pk: str(member.pk) in request.POST.getlist("present") for member in members
                   if str(member.pk) in request.POST.getlist("listed")}
        try:
            with transaction.atomic():
                if meeting is None:
                    meeting = services.meeting_create(
                        actor=user, committee=committee, held_on=request.POST.get("held_on", ""),
                        place=request.POST.get("place", ""), agenda=request.POST.get("agenda", ""),
                        decisions=request.POST.get("decisions", ""))
                else:
                    services.meeting_update(actor=user, meeting=meeting, place=request.POST.get("place", ""),
                                            agenda=request.POST.get("agenda", ""),
                                            decisions=request.POST.get("decisions", ""))
                services.attendance_record(actor=user, meeting=meeting, present=present)
        except ValidationError as exc:
            show_errors(request, exc)
            if meeting_id is None:
                meeting = None
            marks = present
        else:
            messages.success(request, _("The meeting was saved."))
            return redirect("committee-detail", committee_id=committee.pk)
    held_on = meeting.held_on if meeting else None
    rows = [(member, marks.get(member.pk, False),
             held_on is None or services.member_is_current(member, held_on)) for member in members]
    return render(request, "network/committees/meeting_form.html", {
        "committee": committee, "meeting": meeting, "rows": rows, "posted": request.POST})
