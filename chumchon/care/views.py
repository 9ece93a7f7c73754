"""The alert inbox: ``/alerts/`` (open first, urgent first), one alert (with its deliveries and
escalations), acknowledge, resolve, raise; my alert channels, the areas' LINE groups, times per area."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST
from django.views.decorators.vary import vary_on_headers

from chumchon.accounts.roles import Capability
from chumchon.accounts.scoping import can
from chumchon.care import selectors, services, stats
from chumchon.care.models import Alert, AlertStatus, Severity
from chumchon.people.models import Person
from chumchon.people.selectors import person_get
from chumchon.people.views._common import HtmxHttpRequest, is_partial

PER_PAGE = 50
STATUS_CHOICES = [("active", gettext_lazy("to do")), (AlertStatus.OPEN, AlertStatus.OPEN.label),
                  (AlertStatus.ACKNOWLEDGED, gettext_lazy("acknowledged")),
                  (AlertStatus.RESOLVED, gettext_lazy("resolved")), ("all", gettext_lazy("all"))]


def _status(request: HtmxHttpRequest) -> str:
    value = request.GET.get("status", "active")
    return value if value in dict(STATUS_CHOICES) else "active"


@login_required
@vary_on_headers("HX-Request")
def alert_inbox(request: HtmxHttpRequest) -> HttpResponse:
    if not can(request.user, Capability.RECEIVE_ALERTS):
        raise Http404("not found")
    status = _status(request)
    alerts = selectors.alert_list(user=request.user, status=None if status == "all" else status)
    page = Paginator(alerts, PER_PAGE).get_page(request.GET.get("page"))
    items = list(page.object_list)
    context: dict[str, Any] = {
        "page": page, "alerts": items, "status": status, "status_choices": STATUS_CHOICES,
        "unseen": selectors.unseen_ids(user=request.user, alert_ids=[a.pk for a in items]),
        "mine": selectors.recipient_ids(user=request.user, alert_ids=[a.pk for a in items]),
    }
    if is_partial(request):
        return render(request, "care/_alert_list.html", context)
    return render(request, "care/alert_list.html", context)


@login_required
def alert_detail(request: HtmxHttpRequest, alert_id: int) -> HttpResponse:
    alert = selectors.alert_get(user=request.user, alert_id=alert_id)
    services.alert_mark_seen(user=request.user, alert=alert)
    mine = selectors.recipient_ids(user=request.user, alert_ids=[alert.pk])
    return render(request, "care/alert_detail.html", {
        "alert": alert, "unseen": set(), "mine": mine, "is_recipient": alert.pk in mine,
        "deliveries": selectors.alert_deliveries(alert=alert), "escalations": selectors.alert_escalations(alert=alert),
        "recipients": selectors.alert_recipients(alert=alert),
    })


def _after_change(request: HtmxHttpRequest, alert: Alert) -> HttpResponse:
    if is_partial(request):
        fresh = selectors.alert_get(user=request.user, alert_id=alert.pk)
        row = render(request, "care/_alert_row.html", {
            "alert": fresh, "unseen": set(), "mine": selectors.recipient_ids(user=request.user, alert_ids=[alert.pk])})
        # The nav badge counts open unseen alerts: refresh it beside the row (htmx out-of-band).
        row.write(render_to_string("care/_alert_badge_oob.html", request=request))
        return row
    target = request.POST.get("next", "")
    if not target.startswith("/alerts/"):
        target = reverse("care:alert_detail", args=[alert.pk])
    return redirect(target)


def _change(request: HtmxHttpRequest, alert_id: int, action: str) -> HttpResponse:
    alert = selectors.alert_get(user=request.user, alert_id=alert_id)
    # An htmx swap shows the changed row at once; a queued success message would only pop up,
    # stale, on the next page the user opens.
    quiet = is_partial(request)
    try:
        if action == "acknowledge":
            alert = services.alert_acknowledge(actor=request.user, alert_id=alert.pk)
            if not quiet:
                messages.success(request, _("Marked as acknowledged: the others see that someone is on it."))
        else:
            alert = services.alert_resolve(actor=request.user, alert_id=alert.pk,
                                           note=request.POST.get("note", ""))
            if not quiet:
                messages.success(request, _("The alert was resolved."))
    except ValidationError as exc:
        for message in exc.messages:
            messages.error(request, message)
    return _after_change(request, alert)


@login_required
@require_POST
def alert_acknowledge(request: HtmxHttpRequest, alert_id: int) -> HttpResponse:
    return _change(request, alert_id, "acknowledge")


@login_required
@require_POST
def alert_resolve(request: HtmxHttpRequest, alert_id: int) -> HttpResponse:
    return _change(request, alert_id, "resolve")


class AlertForm(forms.Form):
    title = forms.CharField(label=gettext_lazy("What is wrong"), max_length=200)
    message = forms.CharField(label=gettext_lazy("Details"), required=False, widget=forms.Textarea(attrs={"rows": 4}))
    severity = forms.ChoiceField(label=gettext_lazy("How urgent"), choices=Severity.choices, initial=Severity.HIGH)


def _alert_person(request: HtmxHttpRequest, person_id: int) -> Person:
    person = person_get(user=request.user, person_id=person_id)
    if not (can(request.user, Capability.RECEIVE_ALERTS, person.area_code)
            or can(request.user, Capability.RECORD_VISITS, person.area_code)):
        raise Http404("not found")
    return person


@login_required
def alert_new(request: HtmxHttpRequest, person_id: int) -> HttpResponse:
    """Raise an alert about a person by hand (a volunteer who saw something on a visit)."""
    person = _alert_person(request, person_id)
    form = AlertForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            alert = services.alert_raise(actor=request.user, person_id=person.pk, **form.cleaned_data)
        except ValidationError as exc:
            for field, errors in exc.message_dict.items():
                form.add_error(field if field in form.fields else None, errors)
        else:
            messages.success(request, _("The alert was sent to the people responsible for this village."))
            if can(request.user, Capability.RECEIVE_ALERTS, alert.area_code):
                return redirect("care:alert_detail", alert.pk)
            return redirect("people:person_detail", person.pk)
    return render(request, "care/alert_form.html", {"form": form, "person": person})


class ChannelsForm(forms.Form):
    email = forms.CharField(label=gettext_lazy("E-mail address"), required=False, max_length=500,
                            widget=forms.EmailInput(attrs={"autocomplete": "email"}))
    line_id = forms.CharField(label=gettext_lazy("LINE user or group id"), required=False, max_length=500,
                              help_text=gettext_lazy("U, C or R and 32 letters and digits: the Chumchon LINE bot "
                                                     "replies with it when you add it as a friend."))
    webhook_url = forms.CharField(label=gettext_lazy("Webhook address"), required=False, max_length=500,
                                  widget=forms.URLInput(),
                                  help_text=gettext_lazy("For another system: the alert is sent there as JSON."))


def _form_errors(form: forms.Form, exc: ValidationError) -> None:
    for field, errors in exc.message_dict.items():
        form.add_error(field if field in form.fields else None, errors)


@login_required
def my_channels(request: HtmxHttpRequest) -> HttpResponse:
    """Where the user wants their alerts besides the inbox: e-mail, LINE, a webhook."""
    if not can(request.user, Capability.RECEIVE_ALERTS):
        raise Http404("not found")
    form = ChannelsForm(request.POST or None, initial=selectors.my_channels(user=request.user))
    if request.method == "POST" and form.is_valid():
        try:
            services.my_channels_set(actor=request.user, **form.cleaned_data)
        except ValidationError as exc:
            _form_errors(form, exc)
        else:
            messages.success(request, _("Your alert channels were saved."))
            return redirect("care:my_channels")
    from chumchon.care import channels

    return render(request, "care/my_channels.html", {
        "form": form, "line_on": channels.enabled("line"), "email_on": channels.enabled("email")})


class AreaGroupForm(forms.Form):
    line_id = forms.CharField(label=gettext_lazy("LINE group id"), required=False, max_length=500)


@login_required
def area_groups(request: HtmxHttpRequest) -> HttpResponse:
    """The LINE group of each area the officer manages: its alerts are pushed there too."""
    if not can(request.user, Capability.MANAGE_AREAS):
        raise Http404("not found")
    page = Paginator(selectors.area_groups_list(user=request.user), PER_PAGE).get_page(request.GET.get("page"))
    return render(request, "care/area_groups.html", {"page": page, "areas": list(page.object_list)})


@login_required
@require_POST
def area_group_set(request: HtmxHttpRequest, code: str) -> HttpResponse:
    area = selectors.area_group_get(user=request.user, code=code)
    form = AreaGroupForm(request.POST)
    if not form.is_valid():  # never read a bad form as "no group": that would clear the area's group
        for errors in form.errors.values():
            for message in errors:
                messages.error(request, f"{area.label}: {message}")
        return redirect(f"{reverse('care:area_groups')}#area-{area.code}")
    line_id = form.cleaned_data["line_id"]
    try:
        services.area_channel_set(actor=request.user, area_code=area.code, line_id=line_id)
    except ValidationError as exc:
        for message in exc.messages:
            messages.error(request, f"{area.label}: {message}")
    else:
        messages.success(request, _("The LINE group of %(area)s was saved.") % {"area": area.label})
    return redirect(f"{reverse('care:area_groups')}#area-{area.code}")


STATS_DAYS = (30, 90, 365)


@login_required
def alert_stats(request: HtmxHttpRequest) -> HttpResponse:
    """Time to acknowledge and to resolve, per village and tambon, with open and overdue alerts."""
    if not can(request.user, Capability.VIEW_AGGREGATES):
        raise Http404("not found")
    try:
        days = int(request.GET.get("days", "90"))
    except ValueError:
        days = 90
    if days not in STATS_DAYS:
        days = 90
    groups = stats.alert_times_by_area(user=request.user, days=days)
    return render(request, "care/alert_stats.html", {
        "days": days, "day_choices": STATS_DAYS, "tambons": groups["tambons"], "villages": groups["villages"]})
