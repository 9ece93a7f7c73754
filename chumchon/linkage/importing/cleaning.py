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
import unicodedata
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from operator import itemgetter
from typing import Any

from django.utils.translation import gettext as _

from chumchon.core.thai import normalize_text, to_ascii_digits
from chumchon.linkage.importing.columns import ColumnMap
from chumchon.linkage.importing.dates import DateCache
from chumchon.linkage.importing.raw import raw_encode_rows
from chumchon.linkage.importing.readers import Batch

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


class _Memo(dict[Any, Any]):
    """value → cleaned value, computed on first sight by ``func`` (kept while the memo is small): used
    through ``map(memo.__getitem__, column)``, which runs at C speed for every value seen before."""

    def __init__(self, func: Callable[[Any], Any], limit: int = 500_000) -> None:
        super().__init__()
        self.func = func
        self.limit = limit

    def __missing__(self, value: Any) -> Any:
        result = self.func(value)
        if len(self) < self.limit:
            self[value] = result
        return result


_SEP = "\x1f"
# A column (joined by _SEP) of ASCII values that need no cleaning: no control character, no double,
# leading or trailing space.
_CONTROL_CHARACTER = re.compile(r"[\x00-\x1e\x7f]")
_NID_COLUMN = re.compile(r"(?:[0-9]{13})?(?:\x1f(?:[0-9]{13})?)*")  # ASCII digits only, as Arrow's \d
_PHONE_COLUMN = re.compile(r"(?:0[0-9]{0,19})?(?:\x1f(?:0[0-9]{0,19})?)*")
_FIRST, _SECOND = itemgetter(0), itemgetter(1)
_TITLE_SEX = {title: "male" for title in MALE_TITLES} | {title: "female" for title in FEMALE_TITLES}
# Part of every row hash: raise it when cleaning changes, so that the next import updates every row.
CLEANING_VERSION = 2


def _joined(column: list[str]) -> str | None:
    """The column as one string, or None when a value holds the separator itself."""
    text = _SEP.join(column)
    return text if text.count(_SEP) == len(column) - 1 else None


class RowCleaner:
    """Clean the rows of one file, a batch at a time, column by column.

    ``clean_rows(batch)`` → ``(good, rejected)``: good rows as columns (``source_key``,
    *CLEAN_FIELDS, ``raw``: one sequence each, in file order); rejected rows as
    ``(row number, values, Thai reason)``. Each column is cleaned in one
    pass (a value seen before costs a dictionary look-up); a column with nothing to clean is not
    touched at all. ``raw`` is the row as read (``raw.raw_encode_rows``: its cells, in the order
    of the headers kept on the import); ``row_hash`` is a digest of the column map, the headers and
    CLEANING_VERSION: a re-imported row is unchanged when both its raw text and its hash are.
    """

    def __init__(self, columns: ColumnMap, areas: AreaResolver, dates: DateCache | None = None) -> None:
        self.columns = columns.columns
        self.areas = areas
        self.dates = dates or DateCache()
        raw_headers = [header or f"column {index + 1}" for index, header in enumerate(columns.headers)]
        # The same for every row of a file: a row is unchanged when its raw text and this are.
        self.row_hash = hashlib.blake2b(
            repr((CLEANING_VERSION, sorted(self.columns.items()), raw_headers)).encode(), digest_size=8).hexdigest()
        self.seen: dict[str, int] = {}
        self._text = _Memo(normalize_text)
        self._titles = _Memo(lambda title: TITLES.get(title, title))
        self._sex = _Memo(lambda text: _SEX.get(text.lower(), ""))
        self._full = _Memo(self._split_full)
        self._phones = _Memo(_clean_phone)
        self._dates = _Memo(self._date)
        self._bad_dates: set[str] = set()  # texts that are no date (each row holding one is rejected)
        self._areas = _Memo(self._area)

    # -- one row (tests, previews) ---------------------------------------------------------------

    def clean(self, values: list[str], row_number: int) -> tuple[str, tuple[Any, ...], str, str]:
        """One row: ``(source_key, cleaned tuple, raw json, hash)``; raises RowRejected."""
        good, rejected = self.clean_rows(Batch([values], [row_number]))
        if rejected:
            raise RowRejected(rejected[0][2])
        key, *cleaned, raw = (column[0] for column in good)
        return key, tuple(cleaned), raw, self.row_hash

    # -- a batch ---------------------------------------------------------------------------------

    def clean_rows(self, batch: Batch) -> tuple[list[Sequence[Any]], list[tuple[int, list[str], str]]]:
        values = batch.values
        count = len(values)
        if not count:
            return [], []
        needed = max(self.columns.values()) + 1
        padded = values if min(map(len, values)) >= needed else \
            [v if len(v) >= needed else [*v, *([""] * (needed - len(v)))] for v in values]
        reasons = dict(batch.problems)
        empty = [""] * count

        def column(name: str) -> list[str]:
            index = self.columns.get(name)
            return self._clean_text(list(map(itemgetter(index), padded))) if index is not None else empty

        keys = column("source_key")
        self._check_keys(batch.numbers, keys, reasons)
        national_ids = self._national_ids(column("national_id"), reasons)
        titles, first_names, last_names = column("title"), column("first_name"), column("last_name")
        if "full_name" in self.columns and "" in first_names:
            titles, first_names, last_names = self._from_full_names(column("full_name"), titles, first_names,
                                                                    last_names)
        if "title" in self.columns or "full_name" in self.columns:
            titles = list(map(self._titles.__getitem__, titles))
        births = column("birth_date")
        parsed = list(map(self._dates.__getitem__, births))
        if self._bad_dates and not self._bad_dates.isdisjoint(births):
            for index, result in enumerate(parsed):
                if type(result) is str:
                    reasons.setdefault(index, result)
                    parsed[index] = (None, False)
        birth_dates, year_only = list(map(_FIRST, parsed)), list(map(_SECOND, parsed))
        sexes = list(map(self._sex.__getitem__, column("sex"))) if "sex" in self.columns else empty
        if "" in sexes:
            sexes = [sex or _TITLE_SEX.get(title, "") for sex, title in zip(sexes, titles, strict=True)]
        areas = list(map(self._areas.__getitem__,
                         zip(column("tambon_code"), column("moo"), column("village_code"), strict=True)))
        if any(type(area) is not str for area in set(areas)):
            for index, area in enumerate(areas):
                if type(area) is not str:
                    reasons.setdefault(index, str(area))
        phones = column("phone")
        if "phone" in self.columns:
            joined = _joined(phones)
            if joined is None or not _PHONE_COLUMN.fullmatch(joined):
                phones = [self._phones[phone] if phone else "" for phone in phones]
        house_nos, nicknames = column("house_no"), column("nickname")
        self._check_lengths((("source_key", keys), ("title", titles), ("first_name", first_names),
                             ("last_name", last_names), ("nickname", nicknames), ("house_no", house_nos)), reasons)
        raws = raw_encode_rows(values)
        good: list[Sequence[Any]] = [keys, national_ids, titles, first_names, last_names, nicknames, sexes, birth_dates,
                                     year_only, house_nos, areas, phones, raws]
        if not reasons:
            return good, []
        rejected = [(batch.numbers[index], values[index], reason) for index, reason in sorted(reasons.items())]
        keep = [index for index in range(count) if index not in reasons]
        if len(keep) > 1:
            pick = itemgetter(*keep)
            return [pick(column) for column in good], rejected
        return [[column[index] for index in keep] for column in good], rejected

    # -- columns ---------------------------------------------------------------------------------

    def _clean_text(self, values: list[str]) -> list[str]:
        joined = _joined(values)
        if joined is not None and joined.isascii() and "  " not in joined and " \x1f" not in joined \
                and "\x1f " not in joined and joined[:1] != " " and joined[-1:] != " " \
                and not _CONTROL_CHARACTER.search(joined):
            return values
        return list(map(self._text.__getitem__, values))

    def _check_keys(self, numbers: Sequence[int], keys: list[str], reasons: dict[int, str]) -> None:
        seen = self.seen
        missing = keys.count("")
        if missing:
            for index, key in enumerate(keys):
                if not key and index not in reasons:
                    reasons[index] = _("No key (source_key) in this row.")
        # Usually every key is new: all of them are remembered in one step. (Rows refused while
        # reading, Excel only, take the slow path.)
        if len(reasons) == missing:
            distinct = dict(zip(keys, numbers, strict=True))
            distinct.pop("", None)
            if len(distinct) == len(keys) - missing and seen.keys().isdisjoint(distinct):
                seen.update(distinct)
                return
        for index, key in enumerate(keys):
            if index in reasons:
                continue
            first = seen.setdefault(key, numbers[index])
            if first != numbers[index]:
                reasons[index] = _("The key %(key)s is also on row %(row)s of this file.") % {"key": key, "row": first}

    def _national_ids(self, ids: list[str], reasons: dict[int, str]) -> list[str]:
        joined = _joined(ids)
        if joined is not None and _NID_COLUMN.fullmatch(joined):
            return ids
        out = list(ids)
        for index, given in enumerate(ids):
            if given and (len(given) != 13 or not given.isdigit() or not given.isascii()):
                # Full-width digits (typed with a Chinese or Japanese keyboard) become ASCII ones.
                national_id = _ID_SEPARATORS.sub("", unicodedata.normalize("NFKC", given))
                if len(national_id) != 13 or not national_id.isdigit() or not national_id.isascii():
                    reasons.setdefault(index, _("The national ID “%(id)s” is not 13 digits.") % {"id": given})
                    national_id = ""
                out[index] = national_id
        return out

    def _from_full_names(self, full_names: list[str], titles: list[str], first_names: list[str],
                         last_names: list[str]) -> tuple[list[str], list[str], list[str]]:
        titles, first_names, last_names = list(titles), list(first_names), list(last_names)
        for index, full in enumerate(full_names):
            if full and not first_names[index]:
                title, first, last = self._full[full]
                first_names[index] = first
                titles[index] = titles[index] or title
                last_names[index] = last_names[index] or last
        return titles, first_names, last_names

    @classmethod
    def _check_lengths(cls, columns: tuple[tuple[str, list[str]], ...], reasons: dict[int, str]) -> None:
        for name, values in columns:
            limit = _MAX[name]
            if max(map(len, values)) > limit:
                for index, value in enumerate(values):
                    if len(value) > limit:
                        reasons.setdefault(index, cls.too_long_message(name))

    @staticmethod
    def too_long_message(name: str) -> str:
        return _("The %(field)s is longer than %(max)s characters.") % {"field": name, "max": _MAX[name]}

    # -- one distinct value ------------------------------------------------------------------------

    def _date(self, text: str) -> tuple[str | None, bool] | str:
        if not text:
            return None, False
        try:
            return self.dates.parse(text)
        except ValueError as error:
            self._bad_dates.add(text)
            return str(error)

    def _area(self, where: tuple[str, str, str]) -> str | RowRejected:
        try:
            return self.areas.resolve(*where)
        except RowRejected as rejected:
            return rejected

    @staticmethod
    def _split_full(full: str) -> tuple[str, str, str]:
        title, rest = split_title(full)
        first, _sep, last = rest.partition(" ")
        return title, first, last.strip()


def _clean_phone(text: str) -> str:
    if not (text.isascii() and text.isdigit()):
        text = _NON_DIGIT.sub("", to_ascii_digits(unicodedata.normalize("NFKC", text)))
    digits = text
    if digits.startswith("66") and len(digits) in (10, 11):
        digits = "0" + digits[2:]
    elif len(digits) in (8, 9) and not digits.startswith("0"):
        digits = "0" + digits  # a number cell in Excel lost the leading 0
    return digits[:20]
