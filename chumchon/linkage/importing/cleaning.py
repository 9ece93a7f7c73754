"""One row of a list → the cleaned values of a SourceRecord, or the Thai reason it is rejected.

Rejected: no source_key, a key seen earlier in the file, an unreadable date, a national ID that is
not 13 digits, an unknown tambon, an area outside the source's, a moo that cannot be read or
created, a value longer than its field. NOT rejected: a national ID that fails its check digit
(linkage repairs it), an unknown sex or an odd phone number (kept as given, or left empty).

Made for speed on a million rows: every value that repeats (names, titles, dates, moo numbers)
is cleaned once per distinct string and remembered.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from json.encoder import encode_basestring as encode_json_string
from operator import itemgetter
from typing import Any

from django.utils.translation import gettext as _

from chumchon.core.thai import normalize_text, to_ascii_digits
from chumchon.linkage.importing.columns import ColumnMap
from chumchon.linkage.importing.dates import DateCache

# Longest first, so that นางสาว wins over นาง. Abbreviations are stored written out.
TITLES: dict[str, str] = {
    "นางสาว": "นางสาว", "น.ส.": "นางสาว", "นส.": "นางสาว", "นาง": "นาง", "นาย": "นาย",
    "เด็กชาย": "เด็กชาย", "ด.ช.": "เด็กชาย", "ดช.": "เด็กชาย", "เด็กหญิง": "เด็กหญิง", "ด.ญ.": "เด็กหญิง",
    "ดญ.": "เด็กหญิง",
    "พระภิกษุ": "พระภิกษุ", "พระครู": "พระครู", "พระมหา": "พระมหา", "พระอธิการ": "พระอธิการ", "พระ": "พระ",
    "สามเณร": "สามเณร", "ส.ณ.": "สามเณร", "แม่ชี": "แม่ชี",
    "ว่าที่ร้อยตรี": "ว่าที่ร้อยตรี", "ว่าที่ ร.ต.": "ว่าที่ร้อยตรี", "ว่าที่ร.ต.": "ว่าที่ร้อยตรี",
    "ร.ต.": "ร้อยตรี", "ร.ท.": "ร้อยโท", "ร.อ.": "ร้อยเอก", "พ.ต.": "พันตรี", "พ.ท.": "พันโท", "พ.อ.": "พันเอก",
    "จ.ส.อ.": "จ่าสิบเอก", "จ.ส.ท.": "จ่าสิบโท", "จ.ส.ต.": "จ่าสิบตรี", "ส.อ.": "สิบเอก", "ส.ท.": "สิบโท",
    "ส.ต.": "สิบตรี", "พลทหาร": "พลทหาร", "พลฯ": "พลทหาร",
    "ด.ต.": "ดาบตำรวจ", "ร.ต.อ.": "ร้อยตำรวจเอก", "ร.ต.ท.": "ร้อยตำรวจโท", "ร.ต.ต.": "ร้อยตำรวจตรี",
    "พ.ต.อ.": "พันตำรวจเอก", "พ.ต.ท.": "พันตำรวจโท", "พ.ต.ต.": "พันตำรวจตรี", "จ.ส.ต.ต.": "จ่าสิบตำรวจ",
    "ส.ต.อ.": "สิบตำรวจเอก", "ส.ต.ท.": "สิบตำรวจโท", "ส.ต.ต.": "สิบตำรวจตรี",
    "ดร.": "ดร.", "นพ.": "นายแพทย์", "นายแพทย์": "นายแพทย์", "พญ.": "แพทย์หญิง", "แพทย์หญิง": "แพทย์หญิง",
    "ทพ.": "ทันตแพทย์", "ผศ.": "ผู้ช่วยศาสตราจารย์", "รศ.": "รองศาสตราจารย์", "ศ.": "ศาสตราจารย์",
    "คุณ": "คุณ", "Mr.": "Mr.", "Mrs.": "Mrs.", "Miss": "Miss", "Ms.": "Ms.",
}  # fmt: skip
_TITLES_LONGEST = sorted(TITLES, key=len, reverse=True)
MALE_TITLES = {"นาย", "เด็กชาย", "พระภิกษุ", "พระครู", "พระมหา", "พระอธิการ", "พระ", "สามเณร", "Mr."}
FEMALE_TITLES = {"นาง", "นางสาว", "เด็กหญิง", "แม่ชี", "แพทย์หญิง", "Mrs.", "Miss", "Ms."}
_SEX = {
    "ชาย": "male", "ช": "male", "ช.": "male", "m": "male", "male": "male", "1": "male", "ผู้ชาย": "male",
    "หญิง": "female", "ญ": "female", "ญ.": "female", "f": "female", "female": "female", "2": "female",
    "ผู้หญิง": "female",
}  # fmt: skip
_MOO = re.compile(r"^(?:หมู่ที่|หมู่|ม\.|moo)?\s*(\d{1,2})$", re.IGNORECASE)
_NON_DIGIT = re.compile(r"[^0-9]")
_ID_SEPARATORS = re.compile(r"[\s\-.]")
_MAX = {"title": 40, "first_name": 100, "last_name": 100, "nickname": 50, "house_no": 30, "source_key": 100}

# Order of the cleaned values handed to the writer (after source_key).
CLEAN_FIELDS = ("national_id", "title", "first_name", "last_name", "nickname", "sex", "birth_date",
                "birth_year_only", "house_no", "area_id", "phone")


class RowRejected(ValueError):
    """A row that cannot be imported; the message is the Thai reason for the error report."""


def split_title(text: str) -> tuple[str, str]:
    """``"นางสาวสมศรี ใจดี"`` → ``("นางสาว", "สมศรี ใจดี")``. A title written without a space
    before the name is split too (Thai lists do that); so a first name that begins like a title
    (``นางนวล``) loses it: map a separate title column when the list has one."""
    for title in _TITLES_LONGEST:
        if text.startswith(title) and len(text) > len(title):
            rest = text[len(title):].strip()
            if rest:
                return TITLES[title], rest
    return "", text


@dataclass
class AreaResolver:
    """Where a row lives: tambon code + moo, or a village code, within the source's area.

    ``known``: codes of villages and tambons existing under the source's area; ``tambons``:
    every tambon code of the country (an unknown one is rejected, a known one outside the
    source's area is "outside your area"); ``may_create``: whether the importer may register a
    missing moo as a village (MANAGE_AREAS there)."""

    source_area: str
    source_level: str
    known: set[str]
    tambons: set[str]
    may_create: bool
    new_villages: dict[str, tuple[str, int]] = field(default_factory=dict)  # code -> (tambon, moo)
    _cache: dict[tuple[str, str, str], str | RowRejected] = field(default_factory=dict)

    def resolve(self, tambon: str, moo: str, village: str) -> str:
        key = (tambon, moo, village)
        hit = self._cache.get(key)
        if hit is None:
            try:
                hit = self._resolve(tambon, moo, village)
            except RowRejected as rejected:
                hit = rejected
            self._cache[key] = hit
        if isinstance(hit, RowRejected):
            raise hit
        return hit

    def _resolve(self, tambon: str, moo: str, village: str) -> str:
        if village:
            code = _NON_DIGIT.sub("", to_ascii_digits(village))
            if len(code) != 8:
                raise RowRejected(_("The village code “%(code)s” is not 8 digits.") % {"code": village})
            return self._village(code[:6], int(code[6:]))
        if tambon:
            tambon_code = _NON_DIGIT.sub("", to_ascii_digits(tambon))
            if len(tambon_code) != 6:
                raise RowRejected(_("The tambon code “%(code)s” is not 6 digits.") % {"code": tambon})
        elif self.source_level == "subdistrict":
            tambon_code = self.source_area
        elif self.source_level == "village":
            tambon_code = self.source_area[:6]
        else:
            raise RowRejected(_("No tambon code: this source covers more than one tambon."))
        if not moo:
            return self._inside(tambon_code, tambon_code)
        match = _MOO.match(normalize_text(moo))
        if match is None or not 1 <= int(match[1]) <= 99:
            raise RowRejected(_("Cannot read the moo “%(moo)s”: write its number, for example 3.") % {"moo": moo})
        return self._village(tambon_code, int(match[1]))

    def _inside(self, code: str, tambon_code: str) -> str:
        if tambon_code not in self.tambons:
            raise RowRejected(_("Unknown tambon code %(code)s.") % {"code": tambon_code})
        if not code.startswith(self.source_area):
            raise RowRejected(_("Outside your area: %(code)s is not in this source's area %(area)s.")
                              % {"code": code, "area": self.source_area})
        if code not in self.known and code not in self.new_villages:
            raise RowRejected(_("Area %(code)s is not registered.") % {"code": code})
        return code

    def _village(self, tambon_code: str, moo: int) -> str:
        code = f"{tambon_code}{moo:02d}"
        if code not in self.known and code not in self.new_villages and tambon_code in self.tambons \
                and code.startswith(self.source_area) and tambon_code in self.known:
            if not self.may_create:
                raise RowRejected(_("Moo %(moo)s of tambon %(tambon)s is not registered, and you may not "
                                    "register villages.") % {"moo": moo, "tambon": tambon_code})
            self.new_villages[code] = (tambon_code, moo)
        return self._inside(code, tambon_code)


class RowCleaner:
    """Clean rows of one file: ``clean(values)`` → ``(source_key, cleaned tuple, raw json, hash)``."""

    def __init__(self, columns: ColumnMap, areas: AreaResolver, dates: DateCache | None = None) -> None:
        self.columns = columns.columns
        self.areas = areas
        self.dates = dates or DateCache()
        raw_headers = [header or f"column {index + 1}" for index, header in enumerate(columns.headers)]
        # Duplicate headers keep the first value, as a dict built from the row would.
        self._raw_keys = [(encode_json_string(header) + ":", index) for index, header in enumerate(raw_headers)
                          if header not in raw_headers[:index]]
        # The usual row (as many values as headers, no header twice): one %-format of its encoded values.
        self._raw_width = len(raw_headers)
        self._raw_template = ("{" + ",".join(encode_json_string(h).replace("%", "%%") + ":%s" for h in raw_headers)
                              + "}") if len(set(raw_headers)) == len(raw_headers) else None
        self.seen: dict[str, int] = {}
        self._text: dict[str, str] = {}
        self._full: dict[str, tuple[str, str, str]] = {}
        self._get = [(name, index) for name, index in self.columns.items()]
        # The mapped cells of a full-width row in one C call (a single index would give a bare value).
        self._names = [name for name, _index in self._get]
        indices = [index for _name, index in self._get]
        self._widest = max(indices)
        self._pick: Callable[[list[str]], tuple[str, ...]] = (
            itemgetter(*indices) if len(indices) > 1 else lambda row: (row[indices[0]],))

    def text(self, value: str) -> str:
        if value.isascii():
            return " ".join(value.split()) if "  " in value or value != value.strip() else value
        hit = self._text.get(value)
        if hit is None:
            hit = normalize_text(value)
            if len(self._text) < 500_000:
                self._text[value] = hit
        return hit

    def raw_json(self, values: list[str]) -> str:
        """The row as read, ``{"header": "text", …}``, without building a dict first."""
        width = len(values)
        if width == self._raw_width and self._raw_template is not None:
            return self._raw_template % tuple(map(encode_json_string, values))
        return "{" + ",".join(key + encode_json_string(values[index] if index < width else "")
                              for key, index in self._raw_keys) + "}"

    def clean(self, values: list[str], row_number: int) -> tuple[str, tuple[Any, ...], str, str]:
        width = len(values)
        got: dict[str, str] = {}
        cache = self._text
        if width > self._widest:
            cells: Iterable[tuple[str, str]] = zip(self._names, self._pick(values), strict=True)
        else:
            cells = ((name, values[index] if index < width else "") for name, index in self._get)
        for name, value in cells:
            if value:
                if value.isascii():
                    if value[0] == " " or value[-1] == " " or "  " in value:
                        value = " ".join(value.split())
                else:
                    hit = cache.get(value)
                    if hit is None:
                        hit = self.text(value)
                    value = hit
                if value:
                    got[name] = value
        key = got.get("source_key", "")
        if not key:
            raise RowRejected(_("No key (source_key) in this row."))
        first = self.seen.setdefault(key, row_number)
        if first != row_number:
            raise RowRejected(_("The key %(key)s is also on row %(row)s of this file.") % {"key": key, "row": first})
        title = got.get("title", "")
        first_name = got.get("first_name", "")
        last_name = got.get("last_name", "")
        if not first_name and (full := got.get("full_name")):
            title_from_name, first_name, last_name_from_full = self._split_full(full)
            title = title or title_from_name
            last_name = last_name or last_name_from_full
        title = TITLES.get(title, title)
        national_id = got.get("national_id", "")
        if national_id and (len(national_id) != 13 or not national_id.isdigit()):
            national_id = _ID_SEPARATORS.sub("", national_id)
            if len(national_id) != 13 or not national_id.isdigit():
                raise RowRejected(_("The national ID “%(id)s” is not 13 digits.") % {"id": got["national_id"]})
        birth_date: str | None = None
        year_only = False
        if text := got.get("birth_date"):
            try:
                birth_date, year_only = self.dates.parse(text)
            except ValueError as error:
                raise RowRejected(str(error)) from None
        sex = _SEX.get(got.get("sex", "").lower(), "")
        if not sex and title:
            sex = "male" if title in MALE_TITLES else "female" if title in FEMALE_TITLES else ""
        area_id = self.areas.resolve(got.get("tambon_code", ""), got.get("moo", ""), got.get("village_code", ""))
        phone = got.get("phone", "")
        if phone:
            phone = _clean_phone(phone)
        house_no = got.get("house_no", "")
        nickname = got.get("nickname", "")
        if len(key) > 100 or len(title) > 40 or len(first_name) > 100 or len(last_name) > 100 \
                or len(nickname) > 50 or len(house_no) > 30:  # the limits of _MAX, checked inline for speed
            for name, value in (("source_key", key), ("title", title), ("first_name", first_name),
                                ("last_name", last_name), ("nickname", nickname), ("house_no", house_no)):
                if len(value) > _MAX[name]:
                    raise RowRejected(_("The %(field)s is longer than %(max)s characters.")
                                      % {"field": name, "max": _MAX[name]})
        cleaned = (national_id, title, first_name, last_name, nickname, sex, birth_date, year_only, house_no,
                   area_id, phone)
        raw = self.raw_json(values)
        digest = hashlib.blake2b(f"{key}\x1f{cleaned!r}\x1f{raw}".encode(), digest_size=16).hexdigest()
        return key, cleaned, raw, digest

    def _split_full(self, full: str) -> tuple[str, str, str]:
        hit = self._full.get(full)
        if hit is None:
            title, rest = split_title(full)
            first, _sep, last = rest.partition(" ")
            hit = (title, first, last.strip())
            if len(self._full) < 500_000:
                self._full[full] = hit
        return hit


def _clean_phone(text: str) -> str:
    digits = text if text.isascii() and text.isdigit() else _NON_DIGIT.sub("", to_ascii_digits(text))
    if digits.startswith("66") and len(digits) in (10, 11):
        digits = "0" + digits[2:]
    elif len(digits) in (8, 9) and not digits.startswith("0"):
        digits = "0" + digits  # a number cell in Excel lost the leading 0
    return digits[:20]
