"""What the capture pages need from an instrument definition: which instruments fit a person,
the form's screens with their current values, and the answers read back from a posted form.

The server stays authoritative: the form only turns typed text into values (Thai digits, BE
dates); the engine checks them, drops answers to skipped questions and scores."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from django.utils.translation import gettext as _

from chumchon.core.thai import ThaiDateError, format_be, parse_thai_date, to_ascii_digits
from chumchon.visits.instruments.conditions import age_in_months
from chumchon.visits.instruments.schema import Group, Instrument, Item

YES, NO = "yes", "no"


def applies_to(instrument: Instrument, person: Any, on: date) -> bool:
    """Whether the instrument is for this person: within the target age range, or (when the
    target names person flags) any of those flags set — Barthel is for everyone 60 and over and
    for disabled or bed-bound people of any age. A target with neither fits everyone."""
    if instrument.subject != "person":
        return False
    target = instrument.target
    has_age = target.min_age_months is not None or target.max_age_months is not None
    if not has_age and not target.person_flags:
        return True
    if any(getattr(person, flag, False) for flag in target.person_flags):
        return True
    if not has_age:
        return False
    months = age_in_months(person.birth_date, on)
    if months is None:
        return False
    low, high = target.min_age_months, target.max_age_months
    return (low is None or months >= low) and (high is None or months <= high)


def _number(text: str) -> float | int:
    cleaned = to_ascii_digits(text).replace(",", "").strip()
    value = float(cleaned)
    if value != value or value in (float("inf"), float("-inf")):
        raise ValueError(text)
    return int(value) if value.is_integer() and "." not in cleaned else value


def parse_answers(instrument: Instrument, data: Any) -> tuple[dict[str, Any], dict[str, str]]:
    """Posted form fields (a QueryDict) → answers by item code, and per-item errors for what
    cannot be read at all (the engine judges the rest)."""
    answers: dict[str, Any] = {}
    errors: dict[str, str] = {}
    for item in instrument.items:
        if item.type == "multi":
            values = [v for v in data.getlist(item.code) if v]
            if values:
                answers[item.code] = values
            continue
        if item.type == "gps":
            lat, lon = data.get(f"{item.code}__lat", ""), data.get(f"{item.code}__lon", "")
            if lat and lon:
                try:
                    answers[item.code] = {"lat": float(lat), "lon": float(lon)}
                    accuracy = data.get(f"{item.code}__accuracy", "")
                    if accuracy:
                        answers[item.code]["accuracy"] = float(accuracy)
                except ValueError:
                    errors[item.code] = _("The GPS position cannot be read.")
            continue
        raw = str(data.get(item.code, "")).strip()
        if raw == "":
            continue
        if item.type == "number":
            try:
                answers[item.code] = _number(raw)
            except ValueError:
                errors[item.code] = _("Enter a number.")
        elif item.type == "yes_no":
            if raw in (YES, NO):
                answers[item.code] = raw
            else:
                errors[item.code] = _("Answer yes or no.")
        elif item.type == "date":
            try:
                answers[item.code] = parse_thai_date(raw).value.isoformat()
            except ThaiDateError as error:
                errors[item.code] = str(error)
        elif item.type == "photo":
            try:
                answers[item.code] = int(raw)
            except ValueError:
                errors[item.code] = _("The photo was not found. Please attach it again.")
        else:  # choice, text
            answers[item.code] = raw
    return answers, errors


@dataclass
class Field:
    item: Item
    value: Any = None  # what the input shows: text, option value(s), photo id, {"lat","lon"}
    error: str = ""
    show_if: str = ""  # the item's skip rule as JSON for the page script

    @property
    def values(self) -> list[str]:
        if isinstance(self.value, list):
            return [str(v) for v in self.value]
        return [] if self.value in (None, "") else [str(self.value)]

    @property
    def yes_no(self) -> str:
        if self.value is True or self.value == YES:
            return YES
        if self.value is False or self.value == NO:
            return NO
        return ""


@dataclass
class Screen:
    group: Group
    fields: list[Field] = field(default_factory=list)
    show_if: str = ""
    has_error: bool = False


def _shown(item: Item, value: Any) -> Any:
    if value is None:
        return None
    if item.type == "date":
        try:
            return format_be(date.fromisoformat(str(value)), style="numeric")
        except ValueError:
            return value
    if item.type == "yes_no" or item.type == "gps" or isinstance(value, list):
        return value
    return str(value)


def screens(instrument: Instrument, answers: dict[str, Any] | None = None,
            raw: Any = None, errors: dict[str, str] | None = None) -> list[Screen]:
    """The form's screens (one per group) with the values to show: the posted text when there
    was an error (so nothing typed is lost), else the answers."""
    answers = answers or {}
    errors = errors or {}
    out: list[Screen] = []
    for group in instrument.groups:
        screen = Screen(group=group, show_if=json.dumps(group.show_if) if group.show_if else "")
        for item in group.items:
            if raw is not None and item.type == "multi":
                value: Any = raw.getlist(item.code)
            elif raw is not None and item.type == "gps":
                lat, lon = raw.get(f"{item.code}__lat", ""), raw.get(f"{item.code}__lon", "")
                value = {"lat": lat, "lon": lon} if lat and lon else None
            elif raw is not None:
                value = raw.get(item.code) or None
            else:
                value = _shown(item, answers.get(item.code))
            error = errors.get(item.code, "")
            screen.has_error = screen.has_error or bool(error)
            screen.fields.append(Field(item=item, value=value, error=error,
                                       show_if=json.dumps(item.show_if) if item.show_if else ""))
        out.append(screen)
    return out


def label_of(instrument: Instrument | None, classification: str) -> str:
    band = instrument.band(classification) if instrument and classification else None
    return band.label.get() if band else classification


def flag_labels(instrument: Instrument | None, codes: list[str]) -> list[dict[str, str]]:
    known = {f.code: f for f in instrument.flags} if instrument else {}
    return [{"code": code, "label": known[code].label.get() if code in known else code,
             "severity": known[code].severity if code in known else "high"} for code in codes or []]
