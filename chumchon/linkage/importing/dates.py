"""Birth dates as Thai lists write them, parsed once per distinct string.

The same few strings repeat thousands of times in a register ("1 มกราคม 2490", "01/01/2500"), so
each distinct string is parsed by ``core.thai.parse_thai_date`` once and remembered.
"""

from __future__ import annotations

import re
from datetime import date

from django.utils import timezone
from django.utils.translation import gettext as _

from chumchon.core.thai import MONTHS_ABBR, MONTHS_FULL, ThaiDateError, parse_thai_date

_MAX_CACHED = 200_000
# The two shapes most rows have, read without the general parser: 05/03/2510 and 1967-03-05.
_DMY = re.compile(r"(\d{1,2})/(\d{1,2})/(\d{4})")
_YMD = re.compile(r"(\d{4})-(\d{2})-(\d{2})")
# …and the Thai way with a month name, written out or abbreviated: 5 มี.ค. 2510, 1 มกราคม 2490.
_DAY_MONTH_YEAR = re.compile(r"(\d{1,2}) (\S+) (\d{4})")
_MONTHS = {name: number for number, (full, abbr) in enumerate(zip(MONTHS_FULL, MONTHS_ABBR, strict=True), start=1)
           for name in (full, abbr)}


class DateCache:
    """text → (ISO date, year only) or the Thai reason it cannot be read."""

    def __init__(self, *, today: date | None = None) -> None:
        self._known: dict[str, tuple[str, bool] | str] = {}
        self._today = today or timezone.localdate()

    def parse(self, text: str) -> tuple[str, bool]:
        """``("1947-01-01", True)``; raises ValueError with a Thai message when unreadable."""
        hit = self._known.get(text)
        if hit is None:
            hit = self._parse(text)
            if len(self._known) < _MAX_CACHED:
                self._known[text] = hit
        if isinstance(hit, str):
            raise ValueError(hit)
        return hit

    def _parse(self, text: str) -> tuple[str, bool] | str:
        fields = _fast_fields(text)
        if fields is not None:
            day, month, year = fields
            ce = year - 543 if year >= 2400 else year
            try:
                value = date(ce, month, day)
            except ValueError:
                value = None
            if value is not None and ce >= 1850 and value <= self._today:
                return value.isoformat(), False
        try:
            parsed = parse_thai_date(text, allow_year_only=True, pivot=self._today)
        except ThaiDateError as error:
            return _("Unreadable birth date “%(text)s”: %(reason)s") % {"text": text, "reason": error}
        if parsed.value > self._today:
            return _("The birth date %(text)s is in the future.") % {"text": text}
        return parsed.value.isoformat(), parsed.year_only


def _fast_fields(text: str) -> tuple[int, int, int] | None:
    """(day, month, year as written) for the shapes most rows have; None: ask the general parser."""
    if (found := _DMY.fullmatch(text)) is not None:
        return int(found[1]), int(found[2]), int(found[3])
    if (found := _YMD.fullmatch(text)) is not None:
        return int(found[3]), int(found[2]), int(found[1])
    if (found := _DAY_MONTH_YEAR.fullmatch(text)) is not None and found[2] in _MONTHS:
        return int(found[1]), _MONTHS[found[2]], int(found[3])
    return None
