"""Cleaning of directory input: typed text to stored values, with Thai-able messages keyed by the
field the caller sent. Used by ``network.services.directory`` (and the demo's bulk path)."""

from __future__ import annotations

from decimal import Decimal, InvalidOperation
from typing import Any

from django.core.exceptions import ValidationError
from django.core.validators import EmailValidator, URLValidator
from django.utils.translation import gettext as _

from chumchon.areas.models import Area
from chumchon.core.thai import normalize_text

# Plain fields an organisation form or API body may set besides name, kind, home area, parent, areas.
ORG_FIELDS = ("description", "address", "phone", "email", "website", "contacts", "latitude", "longitude",
              "external_id", "is_active")
SERVICE_FIELDS = ("name", "description", "eligibility", "capacity", "external_id", "is_active")
MAX_CONTACTS = 20


def name_key(name: str) -> str:
    return normalize_text(name).casefold()


def as_id(value: Any) -> int | None:
    """A database id from typed input, or None: ASCII digits only ("²".isdigit() is true, and
    int("²") fails), and short enough for a bigint."""
    if isinstance(value, bool):
        return None
    text = str(value).strip() if value is not None else ""
    if not (text.isascii() and text.isdigit()) or len(text) > 18:
        return None
    return int(text)


def clean_area(code: Any, field: str) -> Area:
    area = Area.objects.filter(code=str(code or "").strip(), is_active=True).first()
    if area is None:
        raise ValidationError({field: _("Choose an area.")})
    return area


def within_any(code: str, prefixes: list[str]) -> bool:
    return any(code.startswith(prefix) for prefix in prefixes)


def clean_covered_areas(codes: Any, home: Area) -> list[Area]:
    if isinstance(codes, str):
        codes = codes.split(",")
    wanted = list(dict.fromkeys(str(code).strip() for code in (codes or ()) if str(code).strip()))
    areas = {area.code: area for area in Area.objects.filter(code__in=wanted, is_active=True)}
    for code in wanted:
        if code not in areas:
            raise ValidationError({"covered_area_codes": _("Unknown area code “%(code)s”.") % {"code": code}})
        if not code.startswith(home.code):
            raise ValidationError({"covered_area_codes": _(
                "%(area)s is outside %(home)s, where the organisation is registered.") % {
                "area": areas[code].label, "home": home.label}})
    return [areas[code] for code in wanted]


def clean_text(fields: dict[str, Any], name: str, limit: int) -> None:
    if name in fields:
        fields[name] = normalize_text(str(fields[name] or ""))[:limit]


def clean_coordinate(value: Any, field: str, bound: int) -> Decimal | None:
    if value in (None, ""):
        return None
    try:
        number = Decimal(str(value).strip())
        if not number.is_finite():  # "NaN", "inf": a Decimal, but no place on a map
            raise InvalidOperation
        number = number.quantize(Decimal("0.000001"))
    except (InvalidOperation, ValueError):
        raise ValidationError({field: _("Enter a number.")}) from None
    if not -bound <= number <= bound:
        raise ValidationError({field: _("Enter a number between -%(bound)s and %(bound)s.") % {"bound": bound}})
    return number


def clean_contacts(value: Any) -> list[dict[str, str]]:
    rows = value if isinstance(value, list) else []
    if value not in (None, "", []) and not isinstance(value, list):
        raise ValidationError({"contacts": _("Contacts are a list of people with name, role, phone and e-mail.")})
    clean: list[dict[str, str]] = []
    for row in rows:
        if not isinstance(row, dict):
            raise ValidationError({"contacts": _("Contacts are a list of people with name, role, phone and e-mail.")})
        item = {key: normalize_text(str(row.get(key) or ""))[:120] for key in ("name", "role", "phone", "email")}
        if not any(item.values()):
            continue
        if not item["name"]:
            raise ValidationError({"contacts": _("Each contact needs a name.")})
        clean.append(item)
    if len(clean) > MAX_CONTACTS:
        raise ValidationError({"contacts": _("At most %(limit)s contacts.") % {"limit": MAX_CONTACTS}})
    return clean


def clean_org_fields(fields: dict[str, Any]) -> dict[str, Any]:
    unknown = sorted(set(fields) - set(ORG_FIELDS))
    if unknown:
        raise ValidationError({unknown[0]: _("This is not a field of an organisation.")})
    fields = dict(fields)
    for name, limit in (("description", 4000), ("address", 300), ("phone", 40), ("external_id", 100)):
        clean_text(fields, name, limit)
    for name, validator, message in (("email", EmailValidator(), _("Enter a valid e-mail address.")),
                                     ("website", URLValidator(), _("Enter a web address starting with https://"))):
        if name in fields:
            fields[name] = str(fields[name] or "").strip()
            if fields[name]:
                try:
                    validator(fields[name])
                except ValidationError:
                    raise ValidationError({name: message}) from None
    if "contacts" in fields:
        fields["contacts"] = clean_contacts(fields["contacts"])
    if "latitude" in fields:
        fields["latitude"] = clean_coordinate(fields["latitude"], "latitude", 90)
    if "longitude" in fields:
        fields["longitude"] = clean_coordinate(fields["longitude"], "longitude", 180)
    if "is_active" in fields:
        fields["is_active"] = bool(fields["is_active"])
    return fields


def clean_name(name: Any, field: str = "name") -> str:
    text = normalize_text(str(name or ""))[:200]
    if not text:
        raise ValidationError({field: _("Please enter the name.")})
    return text


def clean_capacity(value: Any) -> int | None:
    if value in (None, ""):
        return None
    try:
        number = int(str(value).strip())
    except ValueError:
        raise ValidationError({"capacity": _("Enter a whole number.")}) from None
    if not 0 <= number <= 10_000_000:
        raise ValidationError({"capacity": _("Enter a whole number of 0 or more.")})
    return number


def clean_service_fields(fields: dict[str, Any]) -> dict[str, Any]:
    unknown = sorted(set(fields) - set(SERVICE_FIELDS))
    if unknown:
        raise ValidationError({unknown[0]: _("This is not a field of a service.")})
    fields = dict(fields)
    if "name" in fields:
        fields["name"] = clean_name(fields["name"])
    for name, limit in (("description", 4000), ("eligibility", 4000), ("external_id", 100)):
        clean_text(fields, name, limit)
    if "capacity" in fields:
        fields["capacity"] = clean_capacity(fields["capacity"])
    if "is_active" in fields:
        fields["is_active"] = bool(fields["is_active"])
    return fields

