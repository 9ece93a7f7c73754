"""Village forum pages: the list with verification progress per village, one forum with its
attendees and the village's people to mark, and the PDF to hand out. Thin: services decide."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from chumchon.accounts.roles import Capability
from chumchon.accounts.scoping import can
from chumchon.areas.selectors import local_areas
from chumchon.core.audit import log_action
from chumchon.core.errors import PossibleDuplicate
from chumchon.core.review import ReviewStatus
from chumchon.core.thai import format_be
from chumchon.people.forms import GROUP_LABELS
from chumchon.people.models import Household, NoIdReason, Sex
from chumchon.people.selectors import person_groups
from chumchon.people.validation import today
from chumchon.visits.forum_pdf import render_forum_list
from chumchon.visits.models import ForumOutcome
from chumchon.visits.selectors import forums as selectors
from chumchon.visits.services import forums as services

RUN = Capability.RUN_FORUMS
# The fields a forum may correct on the spot, as the mark form sends them (prefix c_).
CORRECTION_TEXT = ("title", "first_name", "last_name", "nickname", "birth_date")
CORRECTION_FLAGS = ("is_disabled", "is_awaiting_rehab", "is_bedbound", "is_poor")


class ForumForm(forms.Form):
    area_code = forms.ChoiceField(label=gettext_lazy("Village"))
    held_on = forms.CharField(label=gettext_lazy("Date (B.E.)"), max_length=40,
                              widget=forms.TextInput(attrs={"placeholder": "05/12/2569", "inputmode": "numeric"}))
    place = forms.CharField(label=gettext_lazy("Place"), max_length=200, required=False)
    note = forms.CharField(label=gettext_lazy("Note"), required=False, widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args: Any, areas: Any = (), **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["area_code"].choices = [(area.code, area.label) for area in areas]  # type: ignore[attr-defined]


def _errors_to_messages(request: HttpRequest, exc: ValidationError) -> None:
    for message in exc.messages:
        messages.error(request, message)


@login_required
def forum_list(request: HttpRequest) -> HttpResponse:
    user = request.user
    areas = list(local_areas(user=user, capability=RUN))
    form = ForumForm(request.POST or None, areas=areas) if areas else None
    if request.method == "POST":
        if form is None:
            raise Http404("not found")
        if form.is_valid():
            try:
                forum = services.forum_create(actor=user, **form.cleaned_data)
            except ValidationError as exc:
                for name, errors in exc.message_dict.items():
                    form.add_error(name if name in form.fields else None, errors)
            else:
                messages.success(request, _("The forum was created."))
                return redirect("forum-detail", forum_id=forum.pk)
    area_code = request.GET.get("area", "")
    context = {
        "forums": selectors.forum_list(user=user, area_code=area_code)[:200],
        "form": form,
        "progress": selectors.village_progress(user=user, area_code=area_code),
        "states": [(state, ReviewStatus(state).label) for state in selectors.PROGRESS_STATES],
    }
    return render(request, "visits/forums/list.html", context)


def _person_rows(rows: list[selectors.ForumRow]) -> list[selectors.ForumRow]:
    on = today()
    for row in rows:
        person = row.person
        row.extra = {
            "groups": [GROUP_LABELS[group] for group in person_groups(person, on=on)],
            "birth_date": format_be(person.birth_date, style="numeric", year_only=person.birth_year_only),
            "flags": [(name, _field_label(name), getattr(person, name)) for name in CORRECTION_FLAGS],
            "acceptable": person.review_status in (ReviewStatus.VERIFIED, ReviewStatus.DISPUTED,
                                                   ReviewStatus.ACCEPTED),
        }
    return rows


@login_required
def forum_detail(request: HttpRequest, forum_id: int) -> HttpResponse:
    user = request.user
    forum = selectors.forum_get(user=user, forum_id=forum_id)
    rows = _person_rows(selectors.forum_people(user=user, forum=forum))
    # The page lists the village's people by name: a read of names (PDPA).
    log_action(actor=user, verb="forum.view", obj=forum, data={"rows": len(rows)})
    can_run = can(user, RUN, forum.area_code) and not forum.is_closed
    context = {
        "forum": forum, "rows": rows, "can_run": can_run,
        "attendees": [*(forum.attendees or []), *([{"name": "", "role": ""}] * 3)],
        "households": Household.objects.filter(area_id=forum.area_id, is_active=True).order_by("house_no")
        if can_run else [],
        "sexes": Sex.choices, "no_id_reasons": NoIdReason.choices,
        "counts": [(value, label, sum(1 for row in rows if row.entry and row.entry.outcome == value))
                   for value, label in ForumOutcome.choices],
    }
    return render(request, "visits/forums/detail.html", context)


def _field_label(name: str) -> str:
    from chumchon.people.models import Person

    field: Any = Person._meta.get_field(name)
    return str(field.verbose_name)


def _back(forum_id: int, anchor: str = "") -> HttpResponse:
    return redirect(reverse("forum-detail", args=[forum_id]) + (f"#{anchor}" if anchor else ""))


@login_required
@require_POST
def forum_attendees(request: HttpRequest, forum_id: int) -> HttpResponse:
    forum = selectors.forum_get(user=request.user, forum_id=forum_id)
    names, roles = request.POST.getlist("attendee_name"), request.POST.getlist("attendee_role")
    attendees = [{"name": name, "role": role} for name, role in zip(names, roles, strict=False)]
    try:
        services.forum_attendees_set(actor=request.user, forum=forum, attendees=attendees)
    except ValidationError as exc:
        _errors_to_messages(request, exc)
    else:
        messages.success(request, _("The attendees were saved."))
    return _back(forum.pk, "attendees")


@login_required
@require_POST
def forum_mark(request: HttpRequest, forum_id: int) -> HttpResponse:
    forum = selectors.forum_get(user=request.user, forum_id=forum_id)
    post = request.POST
    person_id = int(post["person_id"]) if post.get("person_id", "").isdigit() else None
    outcome = post.get("outcome", "")
    corrections: dict[str, Any] | None = None
    if outcome == ForumOutcome.CORRECTED:
        corrections = {name: post.get(f"c_{name}", "") for name in CORRECTION_TEXT}
        corrections.update({name: post.get(f"c_{name}") == "on" for name in CORRECTION_FLAGS})
    version = int(post["version"]) if post.get("version", "").isdigit() else None
    try:
        services.forum_mark(actor=request.user, forum=forum, person_id=person_id, outcome=outcome,
                            reason=post.get("reason", ""), corrections=corrections, version=version)
    except ValidationError as exc:
        _errors_to_messages(request, exc)
    else:
        messages.success(request, _("The forum's mark was recorded."))
    return _back(forum.pk, f"p{person_id}" if person_id else "")


@login_required
@require_POST
def forum_add(request: HttpRequest, forum_id: int) -> HttpResponse:
    forum = selectors.forum_get(user=request.user, forum_id=forum_id)
    post = request.POST
    fields = {name: post.get(name, "") for name in ("title", "first_name", "last_name", "sex", "birth_date",
                                                    "national_id", "no_id_reason")}
    if not fields["national_id"] and not fields["no_id_reason"]:
        fields["no_id_reason"] = NoIdReason.UNKNOWN
    household_id = int(post["household_id"]) if post.get("household_id", "").isdigit() else None
    try:
        entry = services.forum_add_person(actor=request.user, forum=forum, household_id=household_id,
                                          reason=post.get("reason", ""), confirm_new=post.get("confirm_new") == "on",
                                          **fields)
    except PossibleDuplicate as exc:
        names = ", ".join(candidate.person.full_name for candidate in exc.candidates)
        messages.error(request, _("This may be someone already on the list: %(names)s. Tick “a different "
                                  "person” to add them anyway.") % {"names": names})
    except ValidationError as exc:
        _errors_to_messages(request, exc)
    else:
        messages.success(request, _("%(name)s was added.") % {"name": entry.person.full_name})
        return _back(forum.pk, f"p{entry.person_id}")
    return _back(forum.pk, "add")


@login_required
@require_POST
def forum_close(request: HttpRequest, forum_id: int) -> HttpResponse:
    forum = selectors.forum_get(user=request.user, forum_id=forum_id)
    try:
        services.forum_close(actor=request.user, forum=forum)
    except ValidationError as exc:
        _errors_to_messages(request, exc)
    else:
        messages.success(request, _("The forum was closed."))
    return _back(forum.pk)


@login_required
def forum_pdf(request: HttpRequest, forum_id: int) -> HttpResponse:
    """The list to hand out at the forum (logged as an export of names)."""
    forum = selectors.forum_get(user=request.user, forum_id=forum_id)
    body, _count = render_forum_list(user=request.user, forum=forum)
    response = HttpResponse(body, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="forum-{forum.area_id}-{forum.held_on:%Y%m%d}.pdf"'
    return response
