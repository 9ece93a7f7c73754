from __future__ import annotations

import csv
import json
from collections.abc import Iterator
from datetime import date
from typing import Any

from django import forms
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseBase, StreamingHttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from chumchon.accounts.roles import Capability
from chumchon.accounts.scoping import area_prefixes, can
from chumchon.core.audit import log_action
from chumchon.core.selectors import audit_list, audit_verbs, overview_counts
from chumchon.core.spreadsheet import safe_row
from chumchon.core.thai import ThaiDateError, format_be, mask_national_id, parse_thai_date
from chumchon.people.selectors import Group

GROUP_LABELS = {
    Group.CHILD: gettext_lazy("Children under 6"),
    Group.ELDER: gettext_lazy("Elders 60+"),
    Group.DISABLED: gettext_lazy("Disabled"),
    Group.REHAB: gettext_lazy("Awaiting rehabilitation"),
    Group.BEDBOUND: gettext_lazy("Bed-bound"),
    Group.POOR: gettext_lazy("Poor"),
}

VERB_LABELS = {
    "area.village_create": gettext_lazy("village created"),
    "area.community_create": gettext_lazy("community created"),
    "area.update": gettext_lazy("area changed"),
    "membership.grant": gettext_lazy("role granted"),
    "membership.revoke": gettext_lazy("role revoked"),
    "user.create": gettext_lazy("user account created"),
    "audit.export": gettext_lazy("audit log exported"),
    "token.create": gettext_lazy("API token created"),
    "household.create": gettext_lazy("household registered"),
    "household.update": gettext_lazy("household changed"),
    "person.create": gettext_lazy("person registered"),
    "person.update": gettext_lazy("person changed"),
    "person.move": gettext_lazy("person moved"),
    "person.view": gettext_lazy("person's record opened"),
    "person.export": gettext_lazy("list of people exported"),
    "person.basis_record": gettext_lazy("lawful basis recorded"),
    "person.basis_withdraw": gettext_lazy("consent withdrawn"),
}


def apply_service_errors(form: forms.BaseForm, error: ValidationError) -> None:
    """Show a service's ``ValidationError({field: message})`` at the form's fields; messages for
    names the form does not have go to the top of the form."""
    if not hasattr(error, "error_dict"):
        form.add_error(None, error)
        return
    for name, messages in error.message_dict.items():
        form.add_error(name if name in form.fields else None, messages)


# ---------------------------------------------------------------------------
# Overview
# ---------------------------------------------------------------------------


@login_required
def home(request: HttpRequest) -> HttpResponse:
    user = request.user
    if not area_prefixes(user, Capability.VIEW_AGGREGATES):
        return render(request, "core/home.html", {"no_area": True})
    tambon_code = request.GET.get("tambon", "").strip()
    table = overview_counts(user=user, tambon_code=tambon_code)
    groups = [(group, GROUP_LABELS[group]) for group in Group.ALL]
    chart = {
        "labels": [row.label for row in table.rows],
        "series": [{"label": str(label), "data": [row.chart_value(group) for row in table.rows]}
                   for group, label in groups],
    }
    return render(request, "core/home.html", {
        "table": table, "groups": groups, "chart": chart,
        "can_manage_areas": can(user, Capability.MANAGE_AREAS),
        "can_manage_members": can(user, Capability.MANAGE_MEMBERS),
        "can_read_audit": can(user, Capability.READ_AUDIT),
    })


# ---------------------------------------------------------------------------
# Audit log
# ---------------------------------------------------------------------------

AUDIT_PAGE_SIZE = 100


class AuditFilterForm(forms.Form):
    verb = forms.ChoiceField(label=gettext_lazy("Action"), required=False)
    since = forms.CharField(label=gettext_lazy("From"), required=False, max_length=40,
                            widget=forms.TextInput(attrs={"placeholder": "วว/ดด/ปปปป",
                                                          "inputmode": "numeric"}))
    until = forms.CharField(label=gettext_lazy("To"), required=False, max_length=40,
                            widget=forms.TextInput(attrs={"placeholder": "วว/ดด/ปปปป",
                                                          "inputmode": "numeric"}))

    def __init__(self, *args: Any, verbs: list[str], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        verb_field = self.fields["verb"]
        assert isinstance(verb_field, forms.ChoiceField)
        verb_field.choices = [("", _("all actions")), *((v, verb_label(v)) for v in verbs)]

    @staticmethod
    def _date(value: str) -> date | None:
        if not value.strip():
            return None
        try:
            return parse_thai_date(value).value
        except ThaiDateError as error:
            raise ValidationError(str(error)) from None

    def clean_since(self) -> date | None:
        return self._date(self.cleaned_data.get("since", ""))

    def clean_until(self) -> date | None:
        return self._date(self.cleaned_data.get("until", ""))

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        since, until = data.get("since"), data.get("until")
        if since and until and since > until:
            self.add_error("until", _("The end date is before the start date."))
        return data

    def filters(self) -> dict[str, Any]:
        """The filters that were valid (an invalid date is left out, not guessed)."""
        data = getattr(self, "cleaned_data", {})
        return {"verb": data.get("verb") or "", "since": data.get("since"), "until": data.get("until")}


def verb_label(verb: str) -> str:
    label = VERB_LABELS.get(verb)
    return f"{label} ({verb})" if label else verb


def _text(value: Any) -> str:
    if value is None or value == "":
        return "–"
    if isinstance(value, str):
        return value
    return json.dumps(value, ensure_ascii=False)


def _mask_ids(value: Any, *, is_id: bool = False) -> Any:
    """National IDs inside audit details, masked: the log is read to see who did what, which
    never needs the full number (PDPA); everything else is kept as it is."""
    if isinstance(value, dict):
        return {key: _mask_ids(item, is_id=is_id or key == "national_id") for key, item in value.items()}
    if isinstance(value, list):
        return [_mask_ids(item, is_id=is_id) for item in value]
    if is_id and isinstance(value, str) and value:
        return mask_national_id(value) or "x" * len(value)
    return value


def _is_blank(value: Any) -> bool:
    return value is None or value is False or value in ("", [], {})


def audit_changes(data: Any) -> list[str]:
    """An entry's details as short lines: ``field: before → after`` for changes, ``field: → value``
    for a new record's values (blank ones left out), ``field = value`` for everything else."""
    if not isinstance(data, dict):
        return [_text(data)] if data else []
    data = _mask_ids(data)
    lines: list[str] = []
    for key, value in data.items():
        if key == "changes" and isinstance(value, dict):
            for name, change in value.items():
                if isinstance(change, dict) and {"before", "after"} <= set(change):
                    lines.append(f"{name}: {_text(change['before'])} → {_text(change['after'])}")
                else:
                    lines.append(f"{name}: {_text(change)}")
        elif key in {"after", "before"} and isinstance(value, dict):
            arrow = "→ " if key == "after" else "← "
            lines.extend(f"{name}: {arrow}{_text(item)}" for name, item in value.items() if not _is_blank(item))
        else:
            lines.append(f"{key} = {_text(value)}")
    return lines


def _audit_form(request: HttpRequest) -> AuditFilterForm:
    if not can(request.user, Capability.READ_AUDIT):
        raise Http404("not found")
    form = AuditFilterForm(request.GET or None, verbs=audit_verbs(user=request.user))
    if form.is_bound:
        form.is_valid()
    return form


@login_required
def audit(request: HttpRequest) -> HttpResponse:
    form = _audit_form(request)
    entries = audit_list(user=request.user, **form.filters())
    page = Paginator(entries, AUDIT_PAGE_SIZE).get_page(request.GET.get("page"))
    rows = [(entry, verb_label(entry.verb), audit_changes(entry.data)) for entry in page.object_list]
    return render(request, "core/audit.html", {"form": form, "page": page, "rows": rows})


class _Echo:
    def write(self, value: str) -> str:
        return value


def _audit_csv_rows(entries: Any) -> Iterator[str]:
    writer = csv.writer(_Echo())
    yield "\ufeff"  # a byte order mark, so that Excel reads the file as UTF-8 and shows Thai
    yield writer.writerow([_("Time"), _("Who"), _("Username"), _("Action"), _("Object type"),
                           _("Object id"), _("Object"), _("Area code"), _("Details")])
    for entry in entries.iterator(chunk_size=2000):
        local = timezone.localtime(entry.at)
        actor = entry.actor
        yield writer.writerow(safe_row([
            f"{format_be(local.date(), style='numeric')} {local:%H:%M:%S}",
            str(actor) if actor else _("system"), actor.username if actor else "",
            entry.verb, entry.object_type, entry.object_id, entry.object_label, entry.area_code,
            json.dumps(_mask_ids(entry.data), ensure_ascii=False) if entry.data else "",
        ]))


def _common_prefix(codes: list[str]) -> str:
    """The area that holds all of ``codes`` ("" when they share no province)."""
    if not codes:
        return ""
    first, last = min(codes), max(codes)
    size = 0
    while size < min(len(first), len(last)) and first[size] == last[size]:
        size += 1
    return first[:size]


@login_required
def audit_export(request: HttpRequest) -> HttpResponseBase:
    form = _audit_form(request)
    if form.is_bound and form.errors:
        return redirect(f"{reverse('audit')}?{request.GET.urlencode()}")
    filters = form.filters()
    entries = audit_list(user=request.user, **filters)
    prefixes = area_prefixes(request.user, Capability.READ_AUDIT)
    # Logged before it is sent: exporting the log exports names (PDPA).
    log_action(actor=request.user, verb="audit.export", object_type="core.auditentry",
               area_code=_common_prefix(prefixes),
               data={**filters, "areas": prefixes, "rows": entries.count()})
    response = StreamingHttpResponse(_audit_csv_rows(entries), content_type="text/csv; charset=utf-8")
    stamp = timezone.localdate().isoformat()
    response["Content-Disposition"] = f'attachment; filename="chumchon-audit-{stamp}.csv"'
    return response

