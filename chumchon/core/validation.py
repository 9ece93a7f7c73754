"""Input cleaning every app's services share: one way to read a date a person typed."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from chumchon.core.thai import ThaiDateError, parse_thai_date


def clean_date(value: Any, field: str, *, required: bool = False) -> date | None:
    """A date from a form or the API: a date object, or text in BE or CE (Thai months and digits
    allowed). Empty gives None, or "Please enter a date." when required. Unreadable text is refused
    under ``field`` with the parser's reason."""
    if isinstance(value, str):
        value = value.strip()
    if value is None or value == "":
        if required:
            raise ValidationError({field: _("Please enter a date.")})
        return None
    if isinstance(value, date):
        return value
    try:
        return parse_thai_date(str(value)).value
    except ThaiDateError as exc:
        raise ValidationError({field: str(exc)}) from None
