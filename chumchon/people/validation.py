"""Cleaning of person and household fields, shared by every way in (pages, API, import, demo).

Each function returns clean values or raises ``ValidationError({field: Thai message})``.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal, InvalidOperation
from typing import Any

from django.core.exceptions import ValidationError
from django.db.models import Model
from django.utils import timezone
from django.utils.translation import gettext as _

from chumchon.core.thai import (
    NationalIdError,
    ThaiDateError,
    normalize_national_id,
    normalize_text,
    parse_thai_date,
    to_ascii_digits,
)
from chumchon.people.models import (
    Allowance,
    DisabilityType,
    HealthCoverage,
    Household,
    NoIdReason,
    Person,
    PersonStatus,
    Relation,
    Sex,
)

PERSON_TEXT_FIELDS = ("title", "first_name", "last_name", "nickname", "phone")
PERSON_BOOL_FIELDS = ("has_id_card", "has_welfare_card", "has_disability_card", "is_disabled",
                      "is_awaiting_rehab", "is_bedbound", "is_poor")
PERSON_FIELDS = (*PERSON_TEXT_FIELDS, *PERSON_BOOL_FIELDS, "sex", "birth_date", "birth_year_only",
                 "national_id", "no_id_reason", "relation_to_head", "disability_types",
                 "health_coverage", "allowances", "status")
HOUSEHOLD_FIELDS = ("house_no", "soi", "road", "house_code", "place_name", "latitude", "longitude")


def today() -> date:
    return timezone.localdate()


def _max_length(model: type[Model], name: str) -> int:
    field: Any = model._meta.get_field(name)
    return int(field.max_length)


def _text(model: type[Model], name: str, value: Any, errors: dict[str, str]) -> str:
    text = normalize_text(str(value or ""))
    limit = _max_length(model, name)
    if len(text) > limit:
        errors[name] = _("Too long: %(count)s characters, at most %(limit)s.") % {"count": len(text), "limit": limit}
    return text


def _choice(name: str, value: Any, choices: Any, errors: dict[str, str], *, blank: bool = True) -> str:
    value = "" if value is None else str(value)
    if value == "" and blank:
        return ""
    if value not in choices.values:
        errors[name] = _("“%(value)s” is not one of the choices.") % {"value": value}
    return value


def clean_birth_date(value: Any, year_only: bool | None, errors: dict[str, str]) -> tuple[date | None, bool]:
    """BE or CE, full or year-only; never in the future, never older than 130 years."""
    if value in (None, ""):
        return None, False
    if isinstance(value, date):
        parsed_value, is_year_only = value, bool(year_only)
    else:
        try:
            parsed = parse_thai_date(str(value), allow_year_only=True)
        except ThaiDateError as exc:
            errors["birth_date"] = str(exc)
            return None, False
        parsed_value, is_year_only = parsed.value, parsed.year_only or bool(year_only)
    if is_year_only:
        parsed_value = parsed_value.replace(month=1, day=1)
    now = today()
    if parsed_value > now:
        be = parsed_value.year + 543
        errors["birth_date"] = _("The birth date is in the future (B.E. %(year)s). If you typed a C.E. "
                                 "year, check it, or type the B.E. year.") % {"year": be}
    elif now.year - parsed_value.year > 130:
        errors["birth_date"] = _("Older than 130 years (born B.E. %(year)s): the year may be mistyped "
                                 "or B.E. and C.E. swapped.") % {"year": parsed_value.year + 543}
    return parsed_value, is_year_only


def clean_person_fields(data: dict[str, Any]) -> dict[str, Any]:
    """Validate the given subset of person fields; unknown keys are refused."""
    unknown = set(data) - set(PERSON_FIELDS)
    if unknown:
        raise ValidationError({name: _("Unknown field.") for name in sorted(unknown)})
    errors: dict[str, str] = {}
    out: dict[str, Any] = {}
    for name in PERSON_TEXT_FIELDS:
        if name in data:
            out[name] = _text(Person, name, data[name], errors)
    if "first_name" in out and not out["first_name"]:
        errors["first_name"] = _("Please enter the first name.")
    if out.get("phone"):
        digits = out["phone"].replace("-", "").replace(" ", "")
        if not digits.lstrip("+").isdigit() or not 9 <= len(digits.lstrip("+")) <= 12:
            errors["phone"] = _("A phone number is 9–10 digits, for example 0812345678.")
        out["phone"] = digits
    for name in PERSON_BOOL_FIELDS:
        if name in data:
            out[name] = bool(data[name])
    if "sex" in data:
        out["sex"] = _choice("sex", data["sex"], Sex, errors)
    if "relation_to_head" in data:
        out["relation_to_head"] = _choice("relation_to_head", data["relation_to_head"], Relation, errors)
    if "no_id_reason" in data:
        out["no_id_reason"] = _choice("no_id_reason", data["no_id_reason"], NoIdReason, errors)
    if "health_coverage" in data:
        out["health_coverage"] = _choice("health_coverage", data["health_coverage"] or "unknown",
                                         HealthCoverage, errors, blank=False)
    if "status" in data:
        out["status"] = _choice("status", data["status"] or "active", PersonStatus, errors, blank=False)
        if out["status"] == PersonStatus.MERGED:
            # Only person_merge sets it (with merged_into and an undoable MergeEvent).
            errors["status"] = _("Records are merged from the duplicate review, not by changing the status.")
    if "birth_date" in data or "birth_year_only" in data:
        out["birth_date"], out["birth_year_only"] = clean_birth_date(
            data.get("birth_date"), data.get("birth_year_only"), errors)
    if "national_id" in data:
        raw = str(data["national_id"] or "").strip()
        if raw:
            try:
                out["national_id"] = normalize_national_id(raw)
            except NationalIdError as exc:
                errors["national_id"] = str(exc)
        else:
            out["national_id"] = None
    if "disability_types" in data:
        types: list[int] = []
        for item in data["disability_types"] or []:
            try:
                number = int(to_ascii_digits(str(item)))
            except ValueError:
                number = 0
            if number not in DisabilityType.values:
                errors["disability_types"] = _("There is no disability type “%(item)s” (types are 1–7).") % {
                    "item": item}
                break
            types.append(number)
        out["disability_types"] = sorted(set(types))
    if "allowances" in data:
        allowances = [str(item) for item in data["allowances"] or []]
        bad = [item for item in allowances if item not in Allowance.values]
        if bad:
            errors["allowances"] = _("Unknown allowance “%(item)s”.") % {"item": bad[0]}
        out["allowances"] = sorted(set(allowances))
    if errors:
        raise ValidationError(errors)
    return out


def clean_household_fields(data: dict[str, Any]) -> dict[str, Any]:
    unknown = set(data) - set(HOUSEHOLD_FIELDS)
    if unknown:
        raise ValidationError({name: _("Unknown field.") for name in sorted(unknown)})
    errors: dict[str, str] = {}
    out: dict[str, Any] = {}
    if "house_code" in data:
        data = {**data, "house_code": str(data["house_code"] or "").replace("-", "").replace(" ", "")}
    for name in ("house_no", "soi", "road", "place_name", "house_code"):
        if name in data:
            out[name] = _text(Household, name, data[name], errors)
    if out.get("house_code"):
        code = out["house_code"]
        if not code.isdigit() or len(code) != 11:
            errors["house_code"] = _("A house code is 11 digits.")
        out["house_code"] = code
    for name, low, high in (("latitude", 5.0, 21.0), ("longitude", 97.0, 106.0)):
        if name in data:
            raw = data[name]
            if raw in (None, ""):
                out[name] = None
                continue
            try:
                number = Decimal(to_ascii_digits(str(raw))).quantize(Decimal("0.000001"))
            except InvalidOperation:
                number = Decimal("NaN")
            if not number.is_finite():
                errors[name] = _("A coordinate is a number, for example 7.512345.")
                continue
            if not low <= number <= high:
                errors[name] = _("This point is outside Thailand (it must lie between %(low)s and %(high)s).") % {
                    "low": low, "high": high}
            out[name] = number
    if errors:
        raise ValidationError(errors)
    return out
