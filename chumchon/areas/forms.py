"""Input for villages and communities. The rules (numbers, duplicates, lengths) live in
areas.services; these forms only collect the text."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

NUMERIC = {"inputmode": "numeric", "autocomplete": "off"}


class VillageForm(forms.Form):
    moo = forms.CharField(label=_("Village number (moo)"), max_length=10,
                          help_text=_("Thai or Arabic digits, 1 to 99."),
                          widget=forms.TextInput(attrs=NUMERIC))
    name_th = forms.CharField(label=_("Village name (Thai)"), max_length=120, required=False,
                              widget=forms.TextInput(attrs={"placeholder": "บ้าน…"}))
    name_en = forms.CharField(label=_("Village name (English)"), max_length=120, required=False)


class CommunityForm(forms.Form):
    number = forms.CharField(label=_("Community number"), max_length=10,
                             help_text=_("Its number within the tambon, 1 to 999."),
                             widget=forms.TextInput(attrs=NUMERIC))
    name_th = forms.CharField(label=_("Community name (Thai)"), max_length=120)
    name_en = forms.CharField(label=_("Community name (English)"), max_length=120, required=False)
    official_code = forms.CharField(label=_("Municipal community code"), max_length=12, required=False,
                                    help_text=_("8 digits, if the municipality has given one."),
                                    widget=forms.TextInput(attrs=NUMERIC))


class LocalAreaForm(forms.Form):
    name_th = forms.CharField(label=_("Name (Thai)"), max_length=120, required=False)
    name_en = forms.CharField(label=_("Name (English)"), max_length=120, required=False)
    is_active = forms.BooleanField(label=_("In use"), required=False,
                                   help_text=_("Untick for a village or community that no longer exists. "
                                               "Its records are kept."))
