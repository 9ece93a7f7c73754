"""Thai first: the Thai catalogue translates every string the code and templates use."""

from __future__ import annotations

import gettext
import shutil

import pytest
from django.utils import translation

from chumchon.core.i18n_check import THAI_PO, extract_current, read_po, untranslated


def test_every_entry_of_the_thai_catalogue_is_translated():
    assert untranslated(read_po(THAI_PO)) == []


def test_the_catalogue_holds_every_string_the_code_uses():
    if shutil.which("xgettext") is None:
        pytest.fail("GNU gettext (xgettext) is missing: apt-get install gettext")
    current = {msgid for (_ctx, msgid) in extract_current()}
    catalogue = {msgid for (_ctx, msgid) in read_po(THAI_PO)}
    assert sorted(current - catalogue) == [], "run `make messages` and translate the new strings"


def test_the_compiled_catalogue_matches_the_po_file():
    with (THAI_PO.with_suffix(".mo")).open("rb") as handle:
        compiled = gettext.GNUTranslations(handle)
    for (ctx, msgid), values in read_po(THAI_PO).items():
        if ctx or len(values) != 1 or not values[0]:
            continue
        assert compiled.gettext(msgid) == values[0], msgid


def test_thai_is_the_default_and_english_is_available():
    with translation.override("th"):
        assert translation.gettext("Please enter a date.") == "กรุณาระบุวันที่"
    with translation.override("en"):
        assert translation.gettext("Please enter a date.") == "Please enter a date."
