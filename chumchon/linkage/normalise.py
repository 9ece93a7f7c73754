"""Thai-aware normalisation for record linkage: what two spellings of one name have in common.

Pure functions (no database), cached per distinct value so that a million records cost only as
much as their distinct names:

- ``split_title(title, first_name)``: the title apart (canonical form and the sex it implies),
  whether it was typed in its own column or glued to the first name ("น.ส.สมศรี", "นางสมศรี");
- ``fold_name(name)``: tone marks, ไม้ไต่คู้ and silent letters (การันต์) dropped, letters that sound
  alike folded to one (ศ ษ → ส, ณ → น, ธ ฑ ฒ → ท, ภ → พ ...), spaces and dots removed;
- ``name_keys(name)``: the folded name and its soundex codes (lk82, udom83, metasound) for blocking;
- ``birth_parts(date, year_only)``: year, month and day, with a 1 January placeholder read as
  "year only" (many elders are registered born 1 January);
- ``id_repairs(national_id)``: the valid IDs one typing slip away (one digit wrong, or two adjacent
  digits swapped).
"""

from __future__ import annotations

import re
import unicodedata
from datetime import date
from functools import lru_cache
from typing import NamedTuple

from chumchon.core.thai import national_id_check_digit, normalize_text, to_ascii_digits, year_to_ce

# Titles as registers write them, longest first so "นางสาว" wins over "นาง". Value: (canonical, sex).
TITLES: dict[str, tuple[str, str]] = {
    "เด็กหญิง": ("เด็กหญิง", "female"),
    "เด็กชาย": ("เด็กชาย", "male"),
    "นางสาว": ("นางสาว", "female"),
    "ด.ญ.": ("เด็กหญิง", "female"),
    "ด.ช.": ("เด็กชาย", "male"),
    "น.ส.": ("นางสาว", "female"),
    "ดญ.": ("เด็กหญิง", "female"),
    "ดช.": ("เด็กชาย", "male"),
    "นส.": ("นางสาว", "female"),
    "นาย": ("นาย", "male"),
    "นาง": ("นาง", "female"),
    "ด.ญ": ("เด็กหญิง", "female"),
    "ด.ช": ("เด็กชาย", "male"),
    "น.ส": ("นางสาว", "female"),
    "mrs.": ("นาง", "female"),
    "miss": ("นางสาว", "female"),
    "mr.": ("นาย", "male"),
    "ms.": ("นางสาว", "female"),
    "mrs": ("นาง", "female"),
    "mr": ("นาย", "male"),
    "ms": ("นางสาว", "female"),
}
_TITLE_ORDER = sorted(TITLES, key=len, reverse=True)
# Glued to a name, only these are safe to strip: "นาง" + "นวล" must not lose the name's "นาง"-like
# start unless the rest is still a name, so a glued title needs at least two letters after it.
_MIN_REST = 2

SEX_WORDS = {
    "male": "male", "m": "male", "ชาย": "male", "ช": "male", "1": "male",
    "female": "female", "f": "female", "หญิง": "female", "ญ": "female", "2": "female",
}  # fmt: skip

# Letters that sound alike and get confused when a name is typed from speech or a blurry copy.
_FOLD = str.maketrans({
    "ศ": "ส", "ษ": "ส", "ซ": "ส",
    "ณ": "น",
    "ธ": "ท", "ฑ": "ท", "ฒ": "ท",
    "ฐ": "ท", "ถ": "ท",
    "ภ": "พ",
    "ฎ": "ด",
    "ฏ": "ต",
    "ญ": "ย",
    "ฬ": "ล",
    "ฃ": "ข",
    "ฅ": "ค", "ฆ": "ค",
    "ฌ": "ช",
    "ใ": "ไ",
})  # fmt: skip
_TONES = re.compile("[\u0e48-\u0e4b\u0e47]")  # ่ ้ ๊ ๋ and ไม้ไต่คู้ ็
# การันต์ (์) silences the letter before it, sometimes with its vowel (ศักดิ์, จันทร์ → จัน).
_SILENT = re.compile("[\u0e01-\u0e2e][\u0e34\u0e38]?\u0e4c|\u0e4c")
_NOT_LETTER = re.compile(r"[\s.\-'\"()0-9]+")
_DOUBLED = re.compile(r"(.)\1+")


class Title(NamedTuple):
    title: str  # canonical: นาย, นาง, นางสาว, เด็กชาย, เด็กหญิง; "" when none; other titles kept
    sex: str  # "male", "female" or ""
    first_name: str  # the first name without the title


@lru_cache(maxsize=200_000)
def split_title(title: str, first_name: str) -> Title:
    """The title, canonical, and the first name without it, from a title column and a first name."""
    title = normalize_text(title or "")
    name = normalize_text(first_name or "")
    if not title:
        lowered = name.lower()
        for candidate in _TITLE_ORDER:
            if lowered.startswith(candidate) and len(name) - len(candidate) >= _MIN_REST:
                rest = name[len(candidate):].strip()
                if rest and rest[0] in "ะาำิีึืุูั่้๊๋็์":
                    continue  # "นาง" + "ามี..." is not a title, it is a name starting with นา
                title = name[: len(candidate)]
                name = rest
                break
    key = title.lower().replace(" ", "")
    if key in TITLES:
        canonical, sex = TITLES[key]
        return Title(canonical, sex, name)
    return Title(title, "", name)


def sex_hint(sex: str, title_sex: str) -> str:
    """The recorded sex when there is one, else the one the title implies."""
    return SEX_WORDS.get(normalize_text(sex or "").lower(), "") or title_sex


@lru_cache(maxsize=500_000)
def fold_name(name: str) -> str:
    """A name reduced to what survives the usual Thai spelling variants (for comparing, not showing)."""
    text = unicodedata.normalize("NFC", normalize_text(name or "")).lower()
    text = text.replace("เเ", "แ")  # แ typed as two เ
    text = _SILENT.sub("", text)
    text = _TONES.sub("", text)
    text = text.replace("\u0e4d\u0e32", "\u0e33")  # ํา (typed in two strokes, maybe around a tone) → ำ
    text = text.translate(_FOLD)
    # A letter typed twice (ทรรมม, ทีี) and a real double (ธรรม) fold alike on both sides.
    return _DOUBLED.sub(r"\1", _NOT_LETTER.sub("", text))


@lru_cache(maxsize=500_000)
def blocking_keys(name: str) -> tuple[str, str, str]:
    """(folded, lk82, metasound): what the engine blocks and compares on (udom83 is left out
    there: it costs as much as the other two together and adds nothing the folded name lacks)."""
    folded = fold_name(name)
    if not folded:
        return "", "", ""
    return (folded, *_sounds(folded))


@lru_cache(maxsize=500_000)
def _sounds(folded: str) -> tuple[str, str]:
    """lk82 and metasound of a folded name (many spellings share one folded form)."""
    from pythainlp.soundex import lk82, metasound

    try:
        return lk82(folded), metasound(folded)
    except (IndexError, ValueError, KeyError):
        return folded, folded


class NameKeys(NamedTuple):
    folded: str
    lk82: str
    udom83: str
    metasound: str


@lru_cache(maxsize=500_000)
def name_keys(name: str) -> NameKeys:
    """The folded name and its three Thai soundex codes ("" for an empty name)."""
    folded = fold_name(name)
    if not folded:
        return NameKeys("", "", "", "")
    from pythainlp.soundex import lk82, metasound, udom83

    try:
        return NameKeys(folded, lk82(folded), udom83(folded), metasound(folded))
    except (IndexError, ValueError, KeyError):  # a name of one odd character
        return NameKeys(folded, folded, folded, folded)


class BirthParts(NamedTuple):
    year: int | None  # CE
    month: int | None  # None when only the year is really known
    day: int | None


def birth_parts(value: date | None, year_only: bool = False) -> BirthParts:
    """Year (CE), month and day; a 1 January birth date counts as year only (a placeholder)."""
    if value is None:
        return BirthParts(None, None, None)
    year = year_to_ce(value.year)
    if year_only or (value.month == 1 and value.day == 1):
        return BirthParts(year, None, None)
    return BirthParts(year, value.month, value.day)


def birth_agreement(a: BirthParts, b: BirthParts) -> str:
    """How two birth dates agree: exact, year (one or both only a year), month_day_differ, near, far, unknown."""
    if a.year is None or b.year is None:
        return "unknown"
    if a.year == b.year:
        if a.month is None or b.month is None:
            return "year"
        return "exact" if (a.month, a.day) == (b.month, b.day) else "month_day_differ"
    return "near" if abs(a.year - b.year) <= 1 else "far"


def clean_national_id(text: str) -> str:
    """Digits only (Thai digits converted); whatever the length."""
    return re.sub(r"[^0-9]", "", to_ascii_digits(text or ""))


def is_valid_id(digits: str) -> bool:
    return len(digits) == 13 and digits.isdigit() and national_id_check_digit(digits[:12]) == int(digits[12])


def id_repairs(digits: str) -> list[str]:
    """Valid IDs one typing slip away from an invalid 13-digit ID: one digit changed, or two
    adjacent digits swapped. Empty for a valid ID or one that is not 13 digits."""
    if len(digits) != 13 or not digits.isdigit() or is_valid_id(digits):
        return []
    values = [int(d) for d in digits]
    total = sum(values[i] * (13 - i) for i in range(12))
    check = values[12]

    def check_of(weighted_sum: int) -> int:
        return (11 - weighted_sum % 11) % 10

    found: set[str] = set()
    # One of the first twelve digits wrong: the sum changes by weight × difference.
    for index in range(12):
        weight = 13 - index
        for digit in range(10):
            if digit != values[index] and check_of(total + weight * (digit - values[index])) == check:
                found.add(digits[:index] + str(digit) + digits[index + 1:])
    # The check digit itself wrong.
    found.add(digits[:12] + str(check_of(total)))
    # Two adjacent digits swapped.
    for index in range(12):
        a, b = digits[index], digits[index + 1]
        if a != b:
            candidate = digits[:index] + b + a + digits[index + 2:]
            if is_valid_id(candidate):
                found.add(candidate)
    return sorted(found)


def one_slip_apart(a: str, b: str) -> bool:
    """Two IDs that differ by one digit or by two adjacent digits swapped (or are equal)."""
    if a == b:
        return True
    if len(a) != len(b):
        return False
    diff = [i for i in range(len(a)) if a[i] != b[i]]
    if len(diff) == 1:
        return True
    return len(diff) == 2 and diff[1] == diff[0] + 1 and a[diff[0]] == b[diff[1]] and a[diff[1]] == b[diff[0]]
