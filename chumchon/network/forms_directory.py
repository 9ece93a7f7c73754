"""HTML forms of the directory pages: they turn typed input into the keyword arguments of
``network.services.directory``; the rules (scope, vocabularies, cycles, duplicates) live there."""

from __future__ import annotations

from typing import Any

from django import forms
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from chumchon.accounts.scoping import area_prefixes, within_q
from chumchon.areas.models import LOCAL_LEVELS, Area
from chumchon.network.models import Organisation, RelationKind, Vocabulary
from chumchon.network.scoping import MANAGE
from chumchon.network.selectors.directory import term_choices

CONTACT_HELP = _("One person a line: name | role | phone | e-mail")


def areas_within(prefixes: list[str]) -> list[tuple[str, str]]:
    """Areas within the given prefixes, the prefixes themselves first; villages only when the
    prefixes are a tambon or smaller (a province has thousands)."""
    if not prefixes:
        return []
    query = Q()
    for prefix in prefixes:
        query |= within_q(prefix, "code")
    rows = Area.objects.filter(query, is_active=True)
    if any(len(prefix) < 6 for prefix in prefixes):
        rows = rows.exclude(level__in=LOCAL_LEVELS)
    return [(area.code, area.label) for area in rows.order_by("code")]


def manage_area_choices(user: Any) -> list[tuple[str, str]]:
    return areas_within(area_prefixes(user, MANAGE))


def contacts_to_text(contacts: list[dict[str, str]]) -> str:
    return "\n".join(" | ".join(row.get(key, "") for key in ("name", "role", "phone", "email")).rstrip(" |")
                     for row in contacts or [])


def text_to_contacts(text: str) -> list[dict[str, str]]:
    rows = []
    for line in (text or "").splitlines():
        parts = [part.strip() for part in line.split("|")] + ["", "", "", ""]
        if any(parts[:4]):
            rows.append(dict(zip(("name", "role", "phone", "email"), parts[:4], strict=True)))
    return rows


class OrganisationForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=200)
    kind_code = forms.ChoiceField(label=_("Kind"))
    area_code = forms.ChoiceField(label=_("Registered in"),
                                  help_text=_("Where the organisation is based; those who work there keep its record."))
    parent_id = forms.ChoiceField(label=_("Parent organisation"), required=False)
    covered_area_codes = forms.MultipleChoiceField(label=_("Areas covered"), required=False,
                                                   widget=forms.CheckboxSelectMultiple)
    phone = forms.CharField(label=_("Phone"), max_length=40, required=False)
    email = forms.CharField(label=_("E-mail"), max_length=254, required=False)
    website = forms.CharField(label=_("Website"), max_length=200, required=False)
    address = forms.CharField(label=_("Address"), max_length=300, required=False)
    contacts = forms.CharField(label=_("Contacts"), required=False, help_text=CONTACT_HELP,
                               widget=forms.Textarea(attrs={"rows": 3}))
    description = forms.CharField(label=_("Description"), required=False, widget=forms.Textarea(attrs={"rows": 3}))
    latitude = forms.CharField(label=_("Latitude"), max_length=20, required=False,
                               widget=forms.TextInput(attrs={"inputmode": "decimal"}))
    longitude = forms.CharField(label=_("Longitude"), max_length=20, required=False,
                                widget=forms.TextInput(attrs={"inputmode": "decimal"}))

    def __init__(self, *args: Any, user: Any, organisation: Organisation | None = None,
                 parents: Any = (), **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        areas = manage_area_choices(user)
        choices = self.fields
        choices["kind_code"].choices = term_choices(Vocabulary.ORG_KIND)  # type: ignore[attr-defined]
        choices["area_code"].choices = areas  # type: ignore[attr-defined]
        choices["covered_area_codes"].choices = areas  # type: ignore[attr-defined]
        choices["parent_id"].choices = [("", "—")] + [  # type: ignore[attr-defined]
            (str(org.pk), org.name) for org in parents if organisation is None or org.pk != organisation.pk]

    def service_fields(self) -> dict[str, Any]:
        data = dict(self.cleaned_data)
        data["contacts"] = text_to_contacts(data.get("contacts", ""))
        data["parent_id"] = data.get("parent_id") or None
        return data


class ServiceForm(forms.Form):
    name = forms.CharField(label=_("Name of the service"), max_length=200)
    target_group_codes = forms.MultipleChoiceField(label=_("For whom"), widget=forms.CheckboxSelectMultiple,
                                                   required=False)
    support_kind_codes = forms.MultipleChoiceField(label=_("Kind of support"), widget=forms.CheckboxSelectMultiple,
                                                   required=False)
    area_codes = forms.MultipleChoiceField(label=_("Where"), widget=forms.CheckboxSelectMultiple, required=False)
    eligibility = forms.CharField(label=_("Who is eligible"), required=False, widget=forms.Textarea(attrs={"rows": 2}))
    capacity = forms.CharField(label=_("Capacity (people per year)"), required=False, max_length=10,
                               widget=forms.TextInput(attrs={"inputmode": "numeric"}))
    description = forms.CharField(label=_("Description"), required=False, widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args: Any, organisation: Organisation, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        codes = [organisation.area_code, *organisation.areas.values_list("code", flat=True)]
        prefixes = sorted({code for code in codes if not any(code != other and code.startswith(other)
                                                              for other in codes)})
        self.fields["target_group_codes"].choices = term_choices(Vocabulary.TARGET_GROUP)  # type: ignore[attr-defined]
        self.fields["support_kind_codes"].choices = term_choices(Vocabulary.SUPPORT_KIND)  # type: ignore[attr-defined]
        self.fields["area_codes"].choices = areas_within(prefixes)  # type: ignore[attr-defined]


class RelationForm(forms.Form):
    kind = forms.ChoiceField(label=_("Relation"), choices=RelationKind.choices)
    target_id = forms.ChoiceField(label=_("With organisation"))
    note = forms.CharField(label=_("Note"), required=False, widget=forms.Textarea(attrs={"rows": 2}))
    started_on = forms.CharField(label=_("From date (B.E.)"), required=False, max_length=40,
                                 widget=forms.TextInput(attrs={"placeholder": "01/10/2568"}))
    ended_on = forms.CharField(label=_("Until (B.E.)"), required=False, max_length=40)

    def __init__(self, *args: Any, targets: list[Organisation], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["target_id"].choices = [(str(org.pk), org.name) for org in targets]  # type: ignore[attr-defined]


class StaffForm(forms.Form):
    user_id = forms.ChoiceField(label=_("User"))
    position = forms.CharField(label=_("Position"), required=False, max_length=120)

    def __init__(self, *args: Any, users: list[tuple[str, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["user_id"].choices = users  # type: ignore[attr-defined]


class TermForm(forms.Form):
    vocabulary = forms.ChoiceField(label=_("Vocabulary"), choices=Vocabulary.choices)
    code = forms.CharField(label=_("Code"), max_length=40,
                           help_text=_("Lower-case English letters, digits and “_”, e.g. sign_language"))
    label_th = forms.CharField(label=_("Thai label"), max_length=120)
    label_en = forms.CharField(label=_("English label"), max_length=120, required=False)
