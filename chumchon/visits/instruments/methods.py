"""Scoring methods a definition can name in ``scoring.method``.

- ``none``: no score.
- ``sum``: the sum of the chosen options' scores over ``items`` (default: every choice item
  whose options carry scores).
- ``count``: how many of ``items`` were answered with one of ``values`` (e.g. failing dimensions).
- ``growth``: WHO z-scores and the Thai bands (``growth.py``); its thresholds are in the file.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.utils.translation import gettext as _

from chumchon.visits.instruments import growth
from chumchon.visits.instruments.schema import Band, Context, Instrument, Item

Problems = list[tuple[tuple[str | int, ...], str]]


@dataclass(frozen=True)
class Method:
    name: str
    check: Callable[[dict[str, Any], dict[str, Item]], Problems]
    compute: Callable[[Instrument, dict[str, Any], Context], tuple[float | None, dict[str, Any]]]
    score_range: Callable[[dict[str, Any], dict[str, Item]], tuple[float, float] | None] = lambda s, i: None
    result_keys: tuple[str, ...] = ()


def _scored_items(scoring: dict[str, Any], items: dict[str, Item]) -> list[Item]:
    codes = scoring.get("items")
    if isinstance(codes, list):
        return [items[c] for c in codes if c in items]
    return [i for i in items.values() if i.type == "choice" and any(o.score is not None for o in i.options)]


def _check_items(scoring: dict[str, Any], items: dict[str, Item], extra: set[str]) -> Problems:
    problems: Problems = []
    for key in sorted(set(scoring) - {"method", "items"} - extra):
        problems.append(((key,), _("Unknown key “%(key)s”.") % {"key": key}))
    codes = scoring.get("items")
    if codes is not None:
        if not isinstance(codes, list) or not codes:
            problems.append((("items",), _("Expected a list of item codes.")))
            return problems
        for index, code in enumerate(codes):
            if code not in items:
                problems.append((("items", index), _("Unknown item “%(code)s”.") % {"code": code}))
    return problems


def _check_sum(scoring: dict[str, Any], items: dict[str, Item]) -> Problems:
    problems = _check_items(scoring, items, set())
    scored = _scored_items(scoring, items)
    if not scored:
        problems.append(((), _("The sum method needs choice items whose options have scores.")))
    for item in scored:
        if item.type != "choice" or any(o.score is None for o in item.options):
            # "@item" paths are read by the loader as the item's own place in the file.
            problems.append((("@item", item.code), _("Every option of item “%(code)s” needs a score.")
                             % {"code": item.code}))
    return problems


def _sum_range(scoring: dict[str, Any], items: dict[str, Item]) -> tuple[float, float] | None:
    scored = _scored_items(scoring, items)
    scores = [[o.score for o in i.options] for i in scored]
    if not scored or any(s is None for row in scores for s in row):
        return None
    if not all(float(s).is_integer() for row in scores for s in row if s is not None):
        return None
    low = sum(min(s for s in row if s is not None) if i.required else 0 for row, i in zip(scores, scored, strict=True))
    high = sum(max(s for s in row if s is not None) for row in scores)
    return float(low), float(high)


def _sum(instrument: Instrument, answers: dict[str, Any], context: Context) -> tuple[float | None, dict[str, Any]]:
    total = 0.0
    for item in _scored_items(instrument.scoring, {i.code: i for i in instrument.items}):
        option = item.option(str(answers.get(item.code))) if item.code in answers else None
        if option is not None and option.score is not None:
            total += option.score
    return total, {}


def _check_count(scoring: dict[str, Any], items: dict[str, Item]) -> Problems:
    problems = _check_items(scoring, items, {"values"})
    if not isinstance(scoring.get("items"), list):
        problems.append((("items",), _("The count method needs a list of item codes.")))
    if not isinstance(scoring.get("values"), list) or not scoring.get("values"):
        problems.append((("values",), _("The count method needs the list of answer values that count.")))
    return problems


def _count_range(scoring: dict[str, Any], items: dict[str, Item]) -> tuple[float, float] | None:
    codes = scoring.get("items")
    return (0.0, float(len(codes))) if isinstance(codes, list) else None


def _count(instrument: Instrument, answers: dict[str, Any], context: Context) -> tuple[float | None, dict[str, Any]]:
    values = {str(v) for v in instrument.scoring.get("values", [])}
    return float(sum(1 for code in instrument.scoring.get("items", []) if str(answers.get(code)) in values)), {}


def _check_none(scoring: dict[str, Any], items: dict[str, Item]) -> Problems:
    return [((key,), _("Unknown key “%(key)s”.") % {"key": key}) for key in sorted(set(scoring) - {"method"})]


def _none(instrument: Instrument, answers: dict[str, Any], context: Context) -> tuple[float | None, dict[str, Any]]:
    return None, {}


def band_cover_problems(bands: list[Band], span: tuple[float, float] | None) -> list[tuple[int | None, str]]:
    """Score bands (min/max) must not overlap and, when the method knows its whole-number score
    range (``span``), must leave no score without a band. Each problem with its band's index."""
    ranged = [(i, b) for i, b in enumerate(bands) if b.minimum is not None or b.maximum is not None]
    problems: list[tuple[int | None, str]] = []
    previous: float | None = None
    for index, band in sorted(ranged, key=lambda ib: ib[1].minimum if ib[1].minimum is not None else float("-inf")):
        low = band.minimum if band.minimum is not None else float("-inf")
        high = band.maximum if band.maximum is not None else float("inf")
        if previous is not None and low <= previous:
            problems.append((index, _("The band “%(code)s” overlaps the band before it.") % {"code": band.code}))
        elif span is not None:
            start = span[0] if previous is None else previous + 1
            if low > start:
                problems.append((index, _("Scores from %(low)s up to %(high)s fall in no band.")
                                 % {"low": _fmt(start), "high": _fmt(low - 1)}))
        previous = high if previous is None else max(previous, high)
    if ranged and span is not None and previous is not None and previous < span[1]:
        problems.append((None, _("Scores from %(low)s up to %(high)s fall in no band.")
                         % {"low": _fmt(previous + 1), "high": _fmt(span[1])}))
    return problems


def _fmt(value: float) -> str:
    return str(int(value)) if float(value).is_integer() else f"{value:g}"


GROWTH_RESULT_KEYS = ("age_months", "z_wfa", "z_hfa", "z_wfh", "band_wfa", "band_hfa", "band_wfh")

METHODS: dict[str, Method] = {
    "none": Method("none", _check_none, _none),
    "sum": Method("sum", _check_sum, _sum, _sum_range),
    "count": Method("count", _check_count, _count, _count_range),
    "growth": Method("growth", growth.check, growth.compute, result_keys=GROWTH_RESULT_KEYS),
}
