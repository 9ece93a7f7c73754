"""One date reader for every service: BE or CE text, date objects, empty, refusals at the field."""

from __future__ import annotations

from datetime import date

import pytest
from django.core.exceptions import ValidationError

from chumchon.core.validation import clean_date


@pytest.mark.parametrize(("given", "expected"), [
    ("12/04/2567", date(2024, 4, 12)),
    ("2024-04-12", date(2024, 4, 12)),
    ("12 เม.ย. 2567", date(2024, 4, 12)),
    ("๑๒/๐๔/๒๕๖๗", date(2024, 4, 12)),
    (date(2024, 4, 12), date(2024, 4, 12)),
    ("  ", None),
    ("", None),
    (None, None),
])
def test_clean_date_reads_what_people_type(given: object, expected: date | None) -> None:
    assert clean_date(given, "held_on") == expected


def test_clean_date_refuses_empty_when_required_under_the_field_name() -> None:
    with pytest.raises(ValidationError) as error:
        clean_date("", "held_on", required=True)
    assert list(error.value.message_dict) == ["held_on"]


def test_clean_date_refuses_unreadable_text_under_the_field_name() -> None:
    with pytest.raises(ValidationError) as error:
        clean_date("32/13/2567", "enrolled_on")
    assert list(error.value.message_dict) == ["enrolled_on"]
    assert error.value.message_dict["enrolled_on"][0]
