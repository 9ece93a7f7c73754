"""``evaluate(instrument, answers, context) -> Outcome``: skip rules, answer checks, score,
classification, derived results, flags and the next due date. Pure: no database.

Answers to items that are not shown (skip rules) are dropped; an answer that does not fit its
item raises ``AnswerErrors`` with a message naming the item.
"""

from __future__ import annotations

import math
from calendar import monthrange
from datetime import date, timedelta
from typing import Any

from django.utils.translation import gettext as _

from chumchon.core.thai import ThaiDateError, normalize_text, parse_thai_date, to_ascii_digits
from chumchon.visits.instruments.conditions import State, age_in_months, holds
from chumchon.visits.instruments.methods import METHODS
from chumchon.visits.instruments.schema import (
    AnswerErrors,
    Context,
    Instrument,
    Item,
    Outcome,
    RaisedFlag,
)

# Thailand's extent (with a margin), for GPS answers.
LAT_RANGE = (5.6, 20.5)
LON_RANGE = (97.3, 105.7)
MAX_TEXT = 2000
YES = {"yes", "true", "1", "y", "ใช่", "มี"}
NO = {"no", "false", "0", "n", "ไม่ใช่", "ไม่มี"}


def _empty(value: Any) -> bool:
    return value is None or (isinstance(value, str) and not value.strip()) or value == [] or value == {}


def _number(value: Any) -> float | None:
    if isinstance(value, bool):
        return None
    if isinstance(value, int | float):
        number = float(value)
    elif isinstance(value, str):
        try:
            number = float(to_ascii_digits(value.strip()).replace(",", ""))
        except ValueError:
            return None
    else:
        return None
    return number if math.isfinite(number) else None


def clean_answer(item: Item, value: Any, context: Context) -> Any:
    """The answer in its stored form, or ``ValueError`` with a message naming the item."""
    name = item.label.get()
    if item.type == "choice":
        key = str(value) if isinstance(value, str | int) and not isinstance(value, bool) else None
        if key is None or item.option(key) is None:
            raise ValueError(_("“%(item)s”: choose one of the options.") % {"item": name})
        return key
    if item.type == "multi":
        if not isinstance(value, list) or not all(isinstance(v, str | int) for v in value):
            raise ValueError(_("“%(item)s”: choose from the options.") % {"item": name})
        keys = list(dict.fromkeys(str(v) for v in value))
        if any(item.option(k) is None for k in keys):
            raise ValueError(_("“%(item)s”: choose from the options.") % {"item": name})
        return keys
    if item.type == "yes_no":
        text = str(value).strip().lower() if isinstance(value, str | bool) else ""
        if text in YES:
            return "yes"
        if text in NO:
            return "no"
        raise ValueError(_("“%(item)s”: answer yes or no.") % {"item": name})
    if item.type == "number":
        number = _number(value)
        if number is None:
            raise ValueError(_("“%(item)s”: enter a number.") % {"item": name})
        too_low = item.minimum is not None and number < item.minimum
        if too_low or (item.maximum is not None and number > item.maximum):
            raise ValueError(_("“%(item)s”: enter a number from %(min)s to %(max)s.")
                             % {"item": name, "min": _fmt(item.minimum), "max": _fmt(item.maximum)})
        return number
    if item.type == "text":
        if not isinstance(value, str):
            raise ValueError(_("“%(item)s”: enter a text.") % {"item": name})
        text = normalize_text(value)
        if len(text) > MAX_TEXT:
            raise ValueError(_("“%(item)s”: at most %(n)s characters.") % {"item": name, "n": MAX_TEXT})
        return text
    if item.type == "date":
        return _clean_date(item, value, context)
    if item.type == "photo":
        number = _number(value)
        if number is None or not number.is_integer() or number < 1:
            raise ValueError(_("“%(item)s”: attach a photo.") % {"item": name})
        return int(number)
    if item.type == "gps":
        return _clean_gps(item, value)
    raise ValueError(_("“%(item)s”: unknown answer type.") % {"item": name})


def _clean_date(item: Item, value: Any, context: Context) -> str:
    name = item.label.get()
    if isinstance(value, date):
        day = value
    elif isinstance(value, str):
        try:
            day = parse_thai_date(value).value
        except ThaiDateError as exc:
            raise ValueError(f"“{name}”: {exc}") from None
    else:
        raise ValueError(_("“%(item)s”: enter a date.") % {"item": name})
    if day > context.assessed_on:
        raise ValueError(_("“%(item)s”: the date is in the future.") % {"item": name})
    return day.isoformat()


def _clean_gps(item: Item, value: Any) -> dict[str, float]:
    name = item.label.get()
    lat = _number(value.get("lat")) if isinstance(value, dict) else None
    lon = _number(value.get("lon")) if isinstance(value, dict) else None
    if lat is None or lon is None:
        raise ValueError(_("“%(item)s”: a position needs a latitude and a longitude.") % {"item": name})
    if not (LAT_RANGE[0] <= lat <= LAT_RANGE[1] and LON_RANGE[0] <= lon <= LON_RANGE[1]):
        raise ValueError(_("“%(item)s”: the position is outside Thailand.") % {"item": name})
    return {"lat": lat, "lon": lon}


def _fmt(value: float | None) -> str:
    if value is None:
        return "…"
    return str(int(value)) if float(value).is_integer() else f"{value:g}"


def clean_answers(instrument: Instrument, answers: dict[str, Any], context: Context) -> dict[str, Any]:
    """Only the items shown, each answer normalised; ``AnswerErrors`` lists every refused one."""
    if not isinstance(answers, dict):
        raise AnswerErrors({"__all__": _("The answers must be a mapping of item code to answer.")})
    errors: dict[str, str] = {}
    known = {item.code for item in instrument.items}
    for code in answers:
        if code not in known:
            errors[str(code)] = _("“%(code)s” is not an item of this form.") % {"code": code}
    cleaned: dict[str, Any] = {}
    state = State(answers=cleaned, context=context)
    for group in instrument.groups:
        if not holds(group.show_if, state):
            continue
        for item in group.items:
            if not holds(item.show_if, state):
                continue
            value = answers.get(item.code)
            if _empty(value):
                if item.required:
                    errors[item.code] = _("“%(item)s”: please answer.") % {"item": item.label.get()}
                continue
            try:
                cleaned[item.code] = clean_answer(item, value, context)
            except ValueError as exc:
                errors[item.code] = str(exc)
                continue
            option = item.option(str(cleaned[item.code])) if item.type == "choice" else None
            months = age_in_months(context.birth_date, context.assessed_on)
            if (option is not None and option.valid_if and months is not None
                    and not holds(option.valid_if, State(answers={}, context=context))):
                errors[item.code] = _("“%(item)s”: “%(option)s” does not fit this person (age %(months)s months).") % {
                    "item": item.label.get(), "option": option.label.get(), "months": months}
    if errors:
        raise AnswerErrors(errors)
    return cleaned


def evaluate(instrument: Instrument, answers: dict[str, Any], context: Context) -> Outcome:
    cleaned = clean_answers(instrument, answers, context)
    method = METHODS[instrument.scoring.get("method", "none")]
    score, method_results = method.compute(instrument, cleaned, context)
    state = State(answers=cleaned, context=context, score=score, results=dict(method_results))
    band = next((b for b in instrument.classifications if _band_holds(b, state)), None)
    state.classification = band.code if band else ""
    for derived in instrument.results:
        matching = [rule for rule in derived.rules if holds(rule.when, state)]
        if derived.kind == "collect":
            state.results[derived.key] = [rule.value for rule in matching]
        elif derived.kind == "count":
            state.results[derived.key] = len(matching)
        else:
            state.results[derived.key] = matching[0].value if matching else derived.default
    flags = tuple(RaisedFlag(code=f.code, label=f.label.get(), severity=f.severity)
                  for f in instrument.flags if holds(f.when, state))
    return Outcome(answers=cleaned, score=score, classification=state.classification,
                   classification_label=band.label.get() if band else "", result=state.results, flags=flags,
                   due_on=_due_on(instrument, state))


def _band_holds(band: Any, state: State) -> bool:
    if band.minimum is not None or band.maximum is not None:
        if state.score is None:
            return False
        if band.minimum is not None and state.score < band.minimum:
            return False
        if band.maximum is not None and state.score > band.maximum:
            return False
    return holds(band.when, state)


def add_months(day: date, months: int) -> date:
    month_index = day.month - 1 + months
    year, month = day.year + month_index // 12, month_index % 12 + 1
    return date(year, month, min(day.day, monthrange(year, month)[1]))


def _due_on(instrument: Instrument, state: State) -> date | None:
    context = state.context
    for rule in instrument.follow_up:
        if not holds(rule.when, state):
            continue
        if rule.days is not None:
            return context.assessed_on + timedelta(days=rule.days)
        age = age_in_months(context.birth_date, context.assessed_on)
        if context.birth_date is None or age is None:
            continue
        ahead = [months for months in rule.at_age_months if months > age]
        if ahead:
            return add_months(context.birth_date, ahead[0])
    return None
