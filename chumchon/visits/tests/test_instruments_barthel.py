"""Barthel ADL value by value: every total 0–20 to its group, the LTC care-need group, flags and
the follow-up interval, all read from the shipped definition."""

from __future__ import annotations

from datetime import date

import pytest

from chumchon.visits.instruments.engine import evaluate
from chumchon.visits.instruments.registry import get_instrument
from chumchon.visits.instruments.schema import Context, Instrument

ASSESSED = date(2025, 3, 1)


@pytest.fixture(scope="module")
def barthel() -> Instrument:
    return get_instrument("barthel_adl", 1)


def answers_for_total(instrument: Instrument, total: int, **extra: str) -> dict[str, str]:
    """Answers to the ten items whose scores sum to ``total`` (filling items in order)."""
    answers: dict[str, str] = {}
    left = total
    for code in instrument.scoring["items"]:
        item = instrument.item(code)
        assert item is not None
        best = max((o for o in item.options if (o.score or 0) <= left), key=lambda o: o.score or 0)
        answers[code] = best.value
        left -= int(best.score or 0)
    assert left == 0
    answers.update({"cognitive_impairment": "no", "end_of_life": "no", "caregiver": "family", **extra})
    return answers


def expected_group(total: int) -> str:
    if total <= 4:
        return "bed_bound"
    if total <= 11:
        return "home_bound"
    return "social_bound"


def test_barthel_has_the_ten_items_of_the_thai_form_with_their_score_ranges(barthel: Instrument) -> None:
    ranges = {code: max(o.score or 0 for o in barthel.item(code).options)  # type: ignore[union-attr]
              for code in barthel.scoring["items"]}
    assert ranges == {"feeding": 2, "grooming": 1, "transfer": 3, "toilet_use": 2, "mobility": 3, "dressing": 2,
                      "stairs": 2, "bathing": 1, "bowels": 2, "bladder": 2}
    assert sum(ranges.values()) == 20


@pytest.mark.parametrize("total", range(21))
def test_every_barthel_total_falls_in_its_doh_group(barthel: Instrument, total: int) -> None:
    outcome = evaluate(barthel, answers_for_total(barthel, total), Context(assessed_on=ASSESSED))
    assert outcome.score == total
    assert outcome.classification == expected_group(total)
    assert outcome.classification_label == {"bed_bound": "ติดเตียง", "home_bound": "ติดบ้าน",
                                            "social_bound": "ติดสังคม"}[expected_group(total)]
    assert outcome.result["dependent"] is (total <= 11)


@pytest.mark.parametrize(("total", "cognitive", "end_of_life", "group"), [
    (20, "no", "no", 0), (12, "yes", "yes", 0),
    (11, "no", "no", 1), (5, "no", "yes", 1),
    (11, "yes", "no", 2), (5, "yes", "no", 2),
    (4, "no", "no", 3), (0, "yes", "no", 3),
    (4, "no", "yes", 4), (0, "yes", "yes", 4),
])
def test_ltc_care_need_group_follows_adl_group_cognition_and_end_of_life(
        barthel: Instrument, total: int, cognitive: str, end_of_life: str, group: int) -> None:
    answers = answers_for_total(barthel, total, cognitive_impairment=cognitive, end_of_life=end_of_life)
    assert evaluate(barthel, answers, Context(assessed_on=ASSESSED)).result["ltc_group"] == group


@pytest.mark.parametrize(("total", "caregiver", "flags"), [
    (3, "none", ["bedbound_no_caregiver"]),
    (3, "family", []),
    (8, "none", ["homebound_no_caregiver"]),
    (8, "trained_cg", []),
    (15, "none", []),
])
def test_no_caregiver_flags_depend_on_the_group(barthel: Instrument, total: int, caregiver: str,
                                                flags: list[str]) -> None:
    outcome = evaluate(barthel, answers_for_total(barthel, total, caregiver=caregiver), Context(assessed_on=ASSESSED))
    assert [f.code for f in outcome.flags] == flags
    if flags:
        assert outcome.flags[0].severity == ("urgent" if total <= 4 else "high")


@pytest.mark.parametrize(("total", "days"), [(0, 182), (11, 182), (12, 365), (20, 365)])
def test_dependent_people_are_due_every_six_months_others_yearly(barthel: Instrument, total: int,
                                                                 days: int) -> None:
    outcome = evaluate(barthel, answers_for_total(barthel, total), Context(assessed_on=ASSESSED))
    assert outcome.due_on is not None and (outcome.due_on - ASSESSED).days == days


def test_barthel_targets_elders_and_bedbound_or_disabled_people(barthel: Instrument) -> None:
    assert barthel.target.min_age_months == 720
    assert set(barthel.target.person_flags) == {"is_bedbound", "is_disabled"}
