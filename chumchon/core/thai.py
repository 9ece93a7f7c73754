"""Thai conventions in one place: digits, Buddhist Era dates, national IDs, name sorting.

Everything here is pure (no database), tested value by value in core/tests/test_thai.py.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from datetime import date, datetime
from zoneinfo import ZoneInfo

from django.utils.translation import gettext as _

THAI_DIGITS = "๐๑๒๓๔๕๖๗๘๙"
_TO_ASCII = str.maketrans(THAI_DIGITS, "0123456789")
_TO_THAI = str.maketrans("0123456789", THAI_DIGITS)

BE_OFFSET = 543
# A year this large typed anywhere is a Buddhist Era year (CE 2400 is far in the future).
BE_THRESHOLD = 2400

MONTHS_FULL = (
    "มกราคม", "กุมภาพันธ์", "มีนาคม", "เมษายน", "พฤษภาคม", "มิถุนายน",
    "กรกฎาคม", "สิงหาคม", "กันยายน", "ตุลาคม", "พฤศจิกายน", "ธันวาคม",
)  # fmt: skip
MONTHS_ABBR = (
    "ม.ค.", "ก.พ.", "มี.ค.", "เม.ย.", "พ.ค.", "มิ.ย.",
    "ก.ค.", "ส.ค.", "ก.ย.", "ต.ค.", "พ.ย.", "ธ.ค.",
)  # fmt: skip


def to_ascii_digits(text: str) -> str:
    """Thai digits ๐–๙ become 0–9; everything else is kept."""
    return text.translate(_TO_ASCII)


def to_thai_digits(text: str) -> str:
    return text.translate(_TO_THAI)


_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")


def normalize_text(text: str) -> str:
    """NFC, Thai digits to ASCII, collapsed whitespace: how every typed string is stored."""
    text = unicodedata.normalize("NFC", text or "")
    # Control characters (NUL, escapes) never belong in a name or an address; PostgreSQL refuses NUL.
    text = _CONTROL.sub("", text)
    # A common typing slip: SARA AM typed as NIKHAHIT + SARA AA.
    text = text.replace("\u0e4d\u0e32", "\u0e33")
    return " ".join(to_ascii_digits(text).split())


# ---------------------------------------------------------------------------
# Dates
# ---------------------------------------------------------------------------


class ThaiDateError(ValueError):
    """A date that cannot be read. The message is translated and fit to show at the field."""


@dataclass(frozen=True)
class PartialDate:
    """A date as typed: full, or year only (many elders know only their birth year)."""

    value: date
    year_only: bool = False


def year_to_ce(year: int) -> int:
    """A year ≥ 2400 is Buddhist Era; smaller years are Common Era."""
    return year - BE_OFFSET if year >= BE_THRESHOLD else year


MONTHS_EN = ("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec")


def _month_from_name(name: str) -> int | None:
    cleaned = name.strip().strip("-/").replace(" ", "")
    for index, (full, abbr) in enumerate(zip(MONTHS_FULL, MONTHS_ABBR, strict=True), start=1):
        if cleaned in {full, abbr, abbr.replace(".", "")}:
            return index
    english = cleaned.lower().rstrip(".")
    if len(english) >= 3 and english[:3] in MONTHS_EN:
        return MONTHS_EN.index(english[:3]) + 1
    return None


_ISO = re.compile(r"^(\d{4})[-/](\d{1,2})[-/](\d{1,2})(?:[ T]\d{1,2}:\d{2}(?::\d{2}(?:\.\d+)?)?)?$")
_SLASH = re.compile(r"^(\d{1,2})[/.\-](\d{1,2})[/.\-](\d{2}|\d{4})$")
_WORDS = re.compile(r"^(\d{1,2})\s*([^\d\s]+(?:\s*[^\d\s]+)*)\s*(\d{2}|\d{4})$")
_YEAR = re.compile(r"^(\d{4})$")
_ERA = re.compile(r"(?:พ\.\s?ศ\.?|ค\.\s?ศ\.?)")
_WEEKDAY = re.compile(r"^(?:วันที่|วัน\S*ที่)\s*")


def parse_thai_date(text: str, *, allow_year_only: bool = False, pivot: date | None = None) -> PartialDate:
    """Read a date typed in any of the ways Thai field workers type it.

    ISO ``2510-03-05`` or ``1967-03-05`` (also ``1967/03/05``, and with a time as spreadsheets
    export it); ``05/03/2510``, ``5/3/67`` (two-digit years are BE); ``5 มี.ค. 2510``,
    ``1 มกราคม 2490``, ``1-ม.ค.-90``, ``5 Mar 1967``; Thai digits; a bare year, or ``00/00/2490``,
    when ``allow_year_only``.
    """
    raw = normalize_text(_WEEKDAY.sub("", _ERA.sub(" ", normalize_text(text))))
    if not raw:
        raise ThaiDateError(_("Please enter a date."))
    day = month = year = None
    if m := _ISO.match(raw):
        year, month, day = int(m[1]), int(m[2]), int(m[3])
    elif m := _SLASH.match(raw):
        day, month, year = int(m[1]), int(m[2]), _full_year(int(m[3]), pivot)
    elif m := _WORDS.match(raw):
        month = _month_from_name(m[2])
        if month is None:
            raise ThaiDateError(_("Unknown month name “%(month)s”.") % {"month": m[2]})
        day, year = int(m[1]), _full_year(int(m[3]), pivot)
    elif m := _YEAR.match(raw):
        if not allow_year_only:
            raise ThaiDateError(_("Please enter the day, month and year."))
        ce = year_to_ce(int(m[1]))
        _check_year(ce)
        return PartialDate(date(ce, 1, 1), year_only=True)
    else:
        raise ThaiDateError(_("Cannot read the date “%(text)s”. Use dd/mm/yyyy, for example 05/03/2510.")
                            % {"text": text})
    ce = year_to_ce(year)
    _check_year(ce)
    if day == 0 and month == 0 and allow_year_only:
        # 00/00/2490: how registers write a birth date whose day and month nobody knows.
        return PartialDate(date(ce, 1, 1), year_only=True)
    try:
        return PartialDate(date(ce, month, day))
    except ValueError:
        raise ThaiDateError(_("There is no date %(day)s/%(month)s/%(year)s.")
                            % {"day": day, "month": month, "year": ce + BE_OFFSET}) from None


def _full_year(year: int, pivot: date | None) -> int:
    """Two-digit years are written as the last two digits of the BE year ("5/3/67")."""
    if year >= 100:
        return year
    this_be = (pivot or datetime.now(ZoneInfo("Asia/Bangkok")).date()).year + BE_OFFSET
    century = this_be // 100 * 100
    return century + year if century + year <= this_be else century - 100 + year


def _check_year(ce_year: int) -> None:
    if ce_year < 1850 or ce_year > 2200:
        raise ThaiDateError(_("The year %(year)s is out of range.") % {"year": ce_year + BE_OFFSET})


def format_be(value: date | None, *, style: str = "short", year_only: bool = False) -> str:
    """A date as a Thai reader reads it: ``5 มิ.ย. 2567`` (short), ``5 มิถุนายน 2567`` (long),
    ``05/06/2567`` (numeric). Year-only dates show just the BE year."""
    if value is None:
        return ""
    be_year = value.year + BE_OFFSET
    if year_only:
        return str(be_year)
    if style == "long":
        return f"{value.day} {MONTHS_FULL[value.month - 1]} {be_year}"
    if style == "numeric":
        return f"{value.day:02d}/{value.month:02d}/{be_year}"
    return f"{value.day} {MONTHS_ABBR[value.month - 1]} {be_year}"


def age_in_years(born: date, on: date) -> int:
    return on.year - born.year - ((on.month, on.day) < (born.month, born.day))


def years_before(on: date, years: int) -> date:
    """The same calendar day ``years`` earlier (29 Feb falls back to 28 Feb)."""
    try:
        return on.replace(year=on.year - years)
    except ValueError:
        return on.replace(year=on.year - years, day=28)


def fiscal_year_be(on: date) -> int:
    """Thai fiscal year (1 Oct – 30 Sep), named by the BE year in which it ends."""
    return on.year + BE_OFFSET + (1 if on.month >= 10 else 0)


# ---------------------------------------------------------------------------
# National ID
# ---------------------------------------------------------------------------


class NationalIdError(ValueError):
    """An ID that is not a valid 13-digit Thai national ID. The message is translated."""


def national_id_check_digit(first12: str) -> int:
    total = sum(int(digit) * (13 - index) for index, digit in enumerate(first12))
    return (11 - total % 11) % 10


def normalize_national_id(text: str) -> str:
    """Strip spaces and hyphens, convert Thai digits, check length and check digit."""
    digits = re.sub(r"[\s\-]", "", to_ascii_digits(text or ""))
    if not digits.isdigit():
        raise NationalIdError(_("A national ID is 13 digits."))
    if len(digits) != 13:
        raise NationalIdError(_("A national ID has 13 digits (%(count)s typed).") % {"count": len(digits)})
    if national_id_check_digit(digits[:12]) != int(digits[12]):
        raise NationalIdError(_("This national ID is not valid: the check digit does not match. Please check it."))
    return digits


def is_valid_national_id(text: str) -> bool:
    try:
        normalize_national_id(text)
    except NationalIdError:
        return False
    return True


def format_national_id(digits: str) -> str:
    """``3501100001239`` → ``3-5011-00001-23-9``."""
    if len(digits) != 13:
        return digits
    return f"{digits[0]}-{digits[1:5]}-{digits[5:10]}-{digits[10:12]}-{digits[12]}"


def mask_national_id(digits: str) -> str:
    """``1101200012346`` → ``1-1012-xxxxx-xx-6``: the issuing office stays, the person does not."""
    if len(digits) != 13:
        return ""
    return f"{digits[0]}-{digits[1:5]}-xxxxx-xx-{digits[12]}"


_DIGIT_RUN = re.compile(r"[0-9๐-๙][0-9๐-๙\- ]{11,24}[0-9๐-๙]")


def mask_ids_in_text(text: str) -> str:
    """Any run that holds exactly 13 digits (dashes and spaces allowed) is masked like an ID."""

    def mask(match: re.Match[str]) -> str:
        digits = re.sub(r"[^0-9]", "", to_ascii_digits(match.group()))
        return mask_national_id(digits) if len(digits) == 13 else match.group()

    return _DIGIT_RUN.sub(mask, text or "")


# ---------------------------------------------------------------------------
# Sorting
# ---------------------------------------------------------------------------

_RE_TONE = re.compile("[\u0e47-\u0e4c]")
_RE_LEAD_VOWEL = re.compile("([\u0e40-\u0e44])([\u0e01-\u0e2e])")


def thai_sort_key(text: str) -> str:
    """A string whose plain code-point order is Thai dictionary order.

    Leading vowels (เ แ โ ใ ไ) move after their consonant and tone marks are set aside as a
    tie-breaker, as in pythainlp's ``collate``; stored in ``sort_key`` columns so that the
    database sorts Thai correctly with a binary collation on SQLite and PostgreSQL alike.
    """
    text = normalize_text(text)
    base = _RE_LEAD_VOWEL.sub(r"\2\1", _RE_TONE.sub("", text))
    tones = "".join(_RE_TONE.findall(text))
    return f"{base}\u0001{tones}" if tones else base


def thai_sorted(items: list[str]) -> list[str]:
    return sorted(items, key=thai_sort_key)
