"""HTML input for the people and household pages. Parsing only: the rules live in
people/validation.py and people/services.py, and their Thai messages come back to the fields."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from typing import Any, cast

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from chumchon.areas.models import Area
from chumchon.core.thai import BE_OFFSET, ThaiDateError, format_be, parse_thai_date
from chumchon.people.models import (
    Allowance,
    DisabilityType,
    GivenBy,
    HealthCoverage,
    Household,
    LawfulBasis,
    NoIdReason,
    Person,
    PersonStatus,
    Relation,
    Sex,
)
from chumchon.people.selectors import Group
from chumchon.people.validation import HOUSEHOLD_FIELDS, PERSON_FIELDS

BLANK: list[tuple[str, Any]] = [("", "—")]

GROUP_LABELS = {
    Group.CHILD: _("child under 6"),
    Group.ELDER: _("elder 60+"),
    Group.DISABLED: _("disabled"),
    Group.REHAB: _("awaiting rehabilitation"),
    Group.BEDBOUND: _("bed-bound"),
    Group.POOR: _("poor"),
}

DUPLICATE_REASONS = {
    "same_national_id": _("same national ID"),
    "similar_name_same_year": _("similar name, same birth year"),
}


def area_choices(areas: Iterable[Area]) -> list[tuple[str, Any]]:
    return [(area.code, area.label) for area in areas]


def set_choices(field: forms.Field, choices: list[tuple[str, Any]]) -> None:
    cast(forms.ChoiceField, field).choices = choices


def apply_service_errors(form: forms.Form, exc: ValidationError) -> None:
    """Put a service's ``ValidationError({field: message})`` at the fields of ``form``; messages
    for fields the form does not have (and errors without a field, such as StaleEdit) go on top."""
    if hasattr(exc, "error_dict"):
        for name, messages in exc.message_dict.items():
            form.add_error(name if name in form.fields else None, messages)
    else:
        form.add_error(None, exc.messages)


def parse_date_text(text: str) -> date | None:
    """A typed date (BE or CE, Thai digits, Thai month names) or None when left empty."""
    if not text:
        return None
    try:
        return parse_thai_date(text).value
    except ThaiDateError as exc:
        raise forms.ValidationError(str(exc)) from None


def _text(label: Any, max_length: int = 100, **attrs: Any) -> forms.CharField:
    return forms.CharField(label=label, required=False, max_length=max_length,
                           widget=forms.TextInput(attrs=attrs))


def _yes_no(label: Any) -> forms.BooleanField:
    return forms.BooleanField(label=label, required=False)


# ---------------------------------------------------------------------------
# Search
# ---------------------------------------------------------------------------


class SearchForm(forms.Form):
    q = forms.CharField(label=_("Search"), required=False, max_length=200, widget=forms.TextInput(attrs={
        "type": "search", "autocomplete": "off",
        "placeholder": _("name, nickname, national ID or house number"),
    }))
    area = forms.ChoiceField(label=_("Village"), required=False)
    group = forms.ChoiceField(label=_("Group"), required=False,
                              choices=[("", _("all groups")), *GROUP_LABELS.items()])

    def __init__(self, *args: Any, areas: Iterable[Area] = (), **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        set_choices(self.fields["area"], [("", _("all villages")), *area_choices(areas)])

    def filters(self) -> dict[str, str]:
        """The valid filters; an invalid one (an area not in reach, an unknown group) is dropped."""
        self.is_valid()
        data = getattr(self, "cleaned_data", {})
        return {name: data.get(name) or "" for name in ("q", "area", "group")}


# ---------------------------------------------------------------------------
# Person
# ---------------------------------------------------------------------------


class PersonForm(forms.Form):
    title = _text(_("Title"), 40, placeholder=_("e.g. Mr, Mrs, Miss"))
    first_name = _text(_("First name"), 100, autocomplete="off")
    last_name = _text(_("Last name"), 100, autocomplete="off")
    nickname = _text(_("Nickname"), 50)
    sex = forms.ChoiceField(label=_("Sex"), required=False, choices=BLANK + Sex.choices)
    birth_date = _text(_("Birth date"), 40, placeholder=_("dd/mm/yyyy BE, or the BE year only"),
                       autocomplete="off")
    national_id = _text(_("National ID"), 30, autocomplete="off",
                        placeholder=_("13 digits"))
    no_id_reason = forms.ChoiceField(label=_("No national ID because"), required=False,
                                     choices=BLANK + NoIdReason.choices)
    phone = _text(_("Phone"), 20, type="tel", inputmode="tel")
    relation_to_head = forms.ChoiceField(label=_("Relation to the head of household"), required=False,
                                         choices=BLANK + Relation.choices)
    has_id_card = _yes_no(_("Has an ID card"))
    has_welfare_card = _yes_no(_("Has a state welfare card"))
    has_disability_card = _yes_no(_("Has a disability card"))
    disability_types = forms.TypedMultipleChoiceField(
        label=_("Disability types"), required=False, coerce=int, choices=DisabilityType.choices,
        widget=forms.CheckboxSelectMultiple)
    health_coverage = forms.ChoiceField(label=_("Health coverage"), required=False,
                                        choices=HealthCoverage.choices, initial=HealthCoverage.UNKNOWN)
    allowances = forms.MultipleChoiceField(label=_("Allowances received"), required=False,
                                           choices=Allowance.choices, widget=forms.CheckboxSelectMultiple)
    is_disabled = _yes_no(_("Disabled"))
    is_awaiting_rehab = _yes_no(_("Patient awaiting rehabilitation"))
    is_bedbound = _yes_no(_("Bed-bound"))
    is_poor = _yes_no(_("Poor household member"))

    def __init__(self, *args: Any, with_relation: bool = True, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["birth_date"].help_text = _("For example 05/03/2510, 5 มี.ค. 2510 or 2490.")
        if not with_relation:
            del self.fields["relation_to_head"]

    def service_fields(self) -> dict[str, Any]:
        return {name: value for name, value in self.cleaned_data.items() if name in PERSON_FIELDS}


class PersonCreateForm(PersonForm):
    area = forms.CharField(widget=forms.HiddenInput, required=False)
    confirm_new = forms.BooleanField(label=_("This is a different person: save anyway"), required=False)

    def __init__(self, *args: Any, areas: Iterable[Area] | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if areas is not None:
            # No household: the person is registered straight into a village the user picks.
            self.fields["area"] = forms.ChoiceField(label=_("Village"), choices=area_choices(areas))


class PersonEditForm(PersonForm):
    status = forms.ChoiceField(label=_("Status"), choices=PersonStatus.choices)
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args: Any, keep_hidden_id: bool = False, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # A user who may not see full IDs gets an empty box: empty then means "keep the ID".
        self.keep_hidden_id = keep_hidden_id
        if keep_hidden_id:
            self.fields["national_id"].help_text = _("Leave empty to keep the recorded ID.")

    @staticmethod
    def initial_for(person: Person, *, show_id: bool) -> dict[str, Any]:
        initial: dict[str, Any] = {name: getattr(person, name) for name in PERSON_FIELDS}
        initial["version"] = person.version
        initial["national_id"] = person.national_id if show_id else ""
        initial["birth_date"] = (
            "" if person.birth_date is None
            else str(person.birth_date.year + BE_OFFSET) if person.birth_year_only
            else format_be(person.birth_date, style="numeric")
        )
        return initial

    def service_fields(self) -> dict[str, Any]:
        fields = super().service_fields()
        if self.keep_hidden_id and not fields.get("national_id"):
            fields.pop("national_id", None)
        return fields


# ---------------------------------------------------------------------------
# Household
# ---------------------------------------------------------------------------


class HouseholdForm(forms.Form):
    house_no = _text(_("House number"), 20, placeholder=_("e.g. 12/3"))
    soi = _text(_("Soi"), 100)
    road = _text(_("Road"), 100)
    place_name = _text(_("Building or village name"), 150)
    house_code = _text(_("House code"), 20, inputmode="numeric", placeholder=_("11 digits"))
    latitude = _text(_("Latitude"), 20, inputmode="decimal")
    longitude = _text(_("Longitude"), 20, inputmode="decimal")

    def service_fields(self) -> dict[str, Any]:
        return {name: value for name, value in self.cleaned_data.items() if name in HOUSEHOLD_FIELDS}


class HouseholdCreateForm(HouseholdForm):
    area = forms.ChoiceField(label=_("Village"))

    field_order = ["area"]

    def __init__(self, *args: Any, areas: Iterable[Area] = (), **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        set_choices(self.fields["area"], area_choices(areas))


class HouseholdEditForm(HouseholdForm):
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    @staticmethod
    def initial_for(household: Household) -> dict[str, Any]:
        initial: dict[str, Any] = {name: getattr(household, name) for name in HOUSEHOLD_FIELDS}
        initial["version"] = household.version
        return initial


# ---------------------------------------------------------------------------
# Move and lawful basis
# ---------------------------------------------------------------------------


class MoveForm(forms.Form):
    village = forms.ChoiceField(label=_("Village"), required=False)
    house_no = _text(_("House number"), 20, autocomplete="off")
    to_household = forms.IntegerField(required=False, widget=forms.HiddenInput)
    other_area_code = _text(_("Village code"), 12, inputmode="numeric",
                            placeholder=_("8 digits, e.g. 93110101"))
    relation_to_head = forms.ChoiceField(label=_("Relation to the head of the new household"),
                                         required=False, choices=BLANK + Relation.choices)
    moved_on = _text(_("Moved on"), 40, placeholder=_("dd/mm/yyyy BE"))
    note = _text(_("Note"), 300)
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args: Any, areas: Iterable[Area] = (), **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        set_choices(self.fields["village"], BLANK + area_choices(areas))
        self.fields["moved_on"].help_text = _("Empty means today.")

    def clean_moved_on(self) -> date | None:
        return parse_date_text(self.cleaned_data.get("moved_on", ""))


class BasisForm(forms.Form):
    basis = forms.ChoiceField(label=_("Lawful basis"), choices=BLANK + LawfulBasis.choices)
    purposes = _text(_("Purposes"), 300, placeholder=_("e.g. home visits and care planning"))
    given_by = forms.ChoiceField(label=_("Given by"), choices=GivenBy.choices, initial=GivenBy.NOT_APPLICABLE)
    given_on = _text(_("Date"), 40, placeholder=_("dd/mm/yyyy BE"))
    notice_version = _text(_("Privacy notice version"), 20)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["given_on"].help_text = _("Empty means today.")

    def clean_given_on(self) -> date | None:
        return parse_date_text(self.cleaned_data.get("given_on", ""))
