"""Which column holds which field: by header (English field names or the usual Thai headers), or
mapped explicitly (``HEADER=field``; ``HEADER=-`` ignores a column).

``source_key`` (the row's id in that list) is never guessed from a running number such as ลำดับ,
which changes when the list is re-sorted: name the column ``source_key`` or map it explicitly.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from chumchon.core.thai import to_ascii_digits

FIELDS = (
    "source_key", "national_id", "title", "first_name", "last_name", "full_name", "nickname", "sex",
    "birth_date", "house_no", "moo", "tambon_code", "village_code", "phone",
)  # fmt: skip
IGNORE = "-"

_ALIASES: dict[str, tuple[str, ...]] = {
    "source_key": ("source_key", "sourcekey", "key", "record_id", "รหัสอ้างอิง"),
    "national_id": ("national_id", "nationalid", "cid", "pid", "id_card", "เลขบัตรประชาชน", "เลขประจำตัวประชาชน",
                    "เลขที่บัตรประชาชน", "เลขบัตรประจำตัวประชาชน", "บัตรประชาชน"),
    "title": ("title", "prefix", "คำนำหน้า", "คำนำหน้าชื่อ", "คำนำหน้านาม"),
    "first_name": ("first_name", "firstname", "name", "ชื่อ"),
    "last_name": ("last_name", "lastname", "surname", "นามสกุล", "สกุล"),
    "full_name": ("full_name", "fullname", "ชื่อ-สกุล", "ชื่อ-นามสกุล", "ชื่อสกุล", "ชื่อนามสกุล", "ชื่อ-สกุล"),
    "nickname": ("nickname", "ชื่อเล่น"),
    "sex": ("sex", "gender", "เพศ"),
    "birth_date": ("birth_date", "birthdate", "dob", "date_of_birth", "วันเกิด", "วันเดือนปีเกิด", "ว/ด/ปเกิด",
                   "วัน/เดือน/ปีเกิด", "วดป.เกิด", "วดปเกิด"),
    "house_no": ("house_no", "houseno", "house_number", "บ้านเลขที่", "เลขที่บ้าน"),
    "moo": ("moo", "village_no", "หมู่", "หมู่ที่", "ม."),
    "tambon_code": ("tambon_code", "subdistrict_code", "รหัสตำบล"),
    "village_code": ("village_code", "รหัสหมู่บ้าน"),
    "phone": ("phone", "telephone", "mobile", "tel", "โทรศัพท์", "เบอร์โทร", "เบอร์โทรศัพท์", "หมายเลขโทรศัพท์",
              "มือถือ"),
}


def header_key(header: str) -> str:
    """How headers are compared: digits as ASCII, no spaces, lower case, no BOM, no trailing dot."""
    text = to_ascii_digits(header).replace("\ufeff", "").strip().lower()
    text = re.sub(r"\s+", "", text).replace("–", "-")
    return text


HEADER_FIELDS: dict[str, str] = {header_key(alias): name for name, aliases in _ALIASES.items() for alias in aliases}


@dataclass(frozen=True)
class ColumnMap:
    """field → column index (after checking headers and the explicit map)."""

    columns: dict[str, int]
    headers: list[str]

    def as_mapping(self) -> dict[str, str]:
        """header → field, as stored on the ImportJob."""
        return {self.headers[index]: name for name, index in self.columns.items()}


def parse_map_options(options: list[str]) -> dict[str, str]:
    """``["เลขที่=house_no", "ลำดับ=source_key"]`` → ``{"เลขที่": "house_no", ...}``."""
    out: dict[str, str] = {}
    for option in options:
        header, sep, name = option.rpartition("=")
        if not sep or not header.strip():
            raise ValidationError({"mapping": _("Write a column map as HEADER=field, not “%(option)s”.")
                                   % {"option": option}})
        out[header.strip()] = name.strip()
    return out


def resolve_columns(headers: list[str], explicit: dict[str, str] | None = None) -> ColumnMap:
    """Decide the columns before any row is read; every problem is a clear ValidationError."""
    explicit = explicit or {}
    keys = [header_key(h) for h in headers]
    by_key: dict[str, int] = {}
    for index, key in enumerate(keys):
        if key:
            by_key.setdefault(key, index)
    chosen: dict[int, str] = {}
    for header, name in explicit.items():
        if name not in FIELDS and name not in ("", IGNORE):
            raise ValidationError({"mapping": _("“%(field)s” is not a field. Fields: %(fields)s")
                                   % {"field": name, "fields": ", ".join(FIELDS)}})
        found = by_key.get(header_key(header))
        if found is None:
            raise ValidationError({"mapping": _("The file has no column “%(header)s”. Columns: %(headers)s")
                                   % {"header": header, "headers": ", ".join(h for h in headers if h)}})
        chosen[found] = name or IGNORE
    for index, key in enumerate(keys):
        if index not in chosen and key in HEADER_FIELDS:
            chosen[index] = HEADER_FIELDS[key]
    columns: dict[str, int] = {}
    for index in sorted(chosen):
        name = chosen[index]
        if name == IGNORE:
            continue
        if name in columns:
            raise ValidationError({"mapping": _("Two columns are mapped to %(field)s: “%(first)s” and “%(second)s”. "
                                                "Map one of them to another field, or to - to ignore it.")
                                   % {"field": name, "first": headers[columns[name]], "second": headers[index]}})
        columns[name] = index
    if not columns:
        raise ValidationError({"file": _("The first row must hold the column names; none of them is known: "
                                         "%(headers)s") % {"headers": ", ".join(h for h in headers[:12] if h)}})
    if "source_key" not in columns:
        raise ValidationError({"mapping": _("Say which column is the row's key in this list (its number or code "
                                            "that stays the same between imports): map it to source_key.")})
    if "tambon_code" in columns and "village_code" in columns:
        raise ValidationError({"mapping": _("Map either tambon_code (with moo) or village_code, not both.")})
    return ColumnMap(columns=columns, headers=list(headers))


def guess_columns(headers: list[str]) -> dict[str, str]:
    """header → field for the headers recognised without a map (for the mapping form's defaults)."""
    out: dict[str, str] = {}
    used: set[str] = set()
    for header in headers:
        name = HEADER_FIELDS.get(header_key(header), "")
        if name and name not in used:
            out[header] = name
            used.add(name)
    return out
