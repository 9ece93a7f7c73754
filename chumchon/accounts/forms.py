"""Input for the members page. Who may grant what, where, is decided in accounts.services; the
choices offered here are only the areas and roles within the officer's reach."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

Choices = list[tuple[str, str]]


def _choices(form: forms.Form, name: str, choices: Choices) -> None:
    field = form.fields[name]
    assert isinstance(field, forms.ChoiceField)
    field.choices = [("", "—"), *choices]


class _RoleInAreaForm(forms.Form):
    area = forms.ChoiceField(label=_("Area"))
    role = forms.ChoiceField(label=_("Role"))
    organisation = forms.CharField(label=_("Organisation"), max_length=200, required=False,
                                   help_text=_("For agency staff: the office or organisation they work for."))

    def __init__(self, *args: Any, areas: Choices, roles: Choices, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _choices(self, "area", areas)
        _choices(self, "role", roles)


class NewMemberForm(_RoleInAreaForm):
    username = forms.CharField(label=_("Username"), max_length=150,
                               widget=forms.TextInput(attrs={"autocapitalize": "none", "autocomplete": "off"}))
    password = forms.CharField(label=_("Password"), strip=False,
                               help_text=_("At least 8 characters. Give it to the person privately."),
                               widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}))
    display_name = forms.CharField(label=_("Name shown in Chumchon"), max_length=150)
    phone = forms.CharField(label=_("Phone"), max_length=20, required=False,
                            widget=forms.TextInput(attrs={"type": "tel", "inputmode": "tel"}))

    field_order = ["display_name", "username", "password", "phone", "area", "role", "organisation"]


class AddRoleForm(_RoleInAreaForm):
    user = forms.ChoiceField(label=_("Member"))

    field_order = ["user", "area", "role", "organisation"]

    def __init__(self, *args: Any, users: Choices, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _choices(self, "user", users)
