"""The other shipped definitions: child-rearing, basic needs, basic rights, house safety and
caregiver availability — their results, flags and follow-up rules."""

from __future__ import annotations

from datetime import date

import pytest

from chumchon.visits.instruments.engine import evaluate
from chumchon.visits.instruments.registry import get_instrument, list_instruments, load_shipped
from chumchon.visits.instruments.schema import Context, Outcome

ON = date(2025, 6, 1)


def run(code: str, answers: dict, **context: object) -> Outcome:
    return evaluate(get_instrument(code), answers, Context(assessed_on=ON, **context))  # type: ignore[arg-type]


def test_every_shipped_definition_loads_with_thai_and_english_texts() -> None:
    shipped = load_shipped()
    assert {code for code, _v in shipped} >= {"barthel_adl", "dspm", "growth", "child_rearing", "basic_needs",
                                               "basic_rights", "house_safety", "caregiver"}
    for instrument in shipped.values():
        assert instrument.title.th and instrument.title.en
        for item in instrument.items:
            assert item.label.th and item.label.en, item.code
            for option in item.options:
                assert option.label.th and option.label.en, (item.code, option.value)


@pytest.mark.django_db
def test_list_instruments_gives_the_latest_of_each_code() -> None:
    codes = [i.code for i in list_instruments() if i.source == "shipped"]
    assert len(codes) == len(set(codes)) >= 8


CHILD_OK = {"main_carer": "parents", "parents_away": "no", "feeding_ok": "yes", "play_reading": "yes",
            "home_safe": "yes", "violence_signs": "no", "neglect_signs": "no", "left_alone": "no"}


@pytest.mark.parametrize(("change", "classification", "flags", "days"), [
    ({}, "good", [], 180),
    ({"play_reading": "no"}, "needs_support", [], 180),
    ({"left_alone": "yes"}, "at_risk", [("child_left_alone", "urgent")], 90),
    ({"main_carer": "nobody"}, "at_risk", [("child_left_alone", "urgent")], 90),
    ({"violence_signs": "yes"}, "at_risk", [("violence_signs", "urgent")], 90),
    ({"neglect_signs": "yes"}, "at_risk", [("neglect_signs", "high")], 90),
])
def test_child_rearing_flags_and_follow_up(change: dict, classification: str, flags: list, days: int) -> None:
    outcome = run("child_rearing", {**CHILD_OK, **change})
    assert outcome.classification == classification
    assert [(f.code, f.severity) for f in outcome.flags] == flags
    assert outcome.due_on is not None and (outcome.due_on - ON).days == days


NEEDS_OK = {"dim_health": "pass", "dim_living": "pass", "dim_education": "pass", "dim_income": "pass",
            "dim_access": "pass", "need_food": "pass", "need_clothing": "pass", "need_shelter": "pass",
            "need_medicine": "pass"}


@pytest.mark.parametrize(("failing", "classification"), [
    ([], "no_failing"), (["dim_income"], "one_failing"), (["dim_education", "dim_income"], "multidimensional"),
    (["dim_health", "dim_living", "dim_education", "dim_income", "dim_access"], "multidimensional"),
])
def test_basic_needs_classified_by_number_of_failing_dimensions(failing: list[str], classification: str) -> None:
    outcome = run("basic_needs", {**NEEDS_OK, **{code: "fail" for code in failing}})
    assert outcome.score == len(failing)
    assert outcome.classification == classification
    assert outcome.result["failing_dimensions"] == [code.removeprefix("dim_") for code in failing]
    assert (outcome.due_on - ON).days == 365  # type: ignore[operator]


def test_basic_needs_food_not_met_is_food_insecurity() -> None:
    outcome = run("basic_needs", {**NEEDS_OK, "need_food": "fail", "need_medicine": "fail"})
    assert outcome.result["missing_necessities"] == ["food", "medicine"]
    assert outcome.classification == "no_failing"
    assert [(f.code, f.severity) for f in outcome.flags] == [("food_insecurity", "high")]
    assert get_instrument("basic_needs").subject == "household"
    assert {i.domain for i in get_instrument("basic_needs").items} == {
        "health", "living", "education", "income", "access", "necessity"}


def test_basic_rights_asks_an_elder_about_the_elder_allowance_only() -> None:
    outcome = run("basic_rights", {"has_id_card": "yes", "health_coverage": "uc", "elder_allowance": "no",
                                   "child_grant": "no", "has_disability_card": "no", "disability_allowance": "no"},
                  birth_date=date(1950, 1, 1), facts={"is_disabled": False, "is_poor": False})
    assert set(outcome.answers) == {"has_id_card", "health_coverage", "elder_allowance"}
    assert outcome.result["missing_rights"] == ["elder_allowance"]
    assert outcome.classification == "missing_rights"


def test_basic_rights_of_a_disabled_poor_adult() -> None:
    facts = {"is_disabled": True, "is_poor": True, "has_disability_card": False}
    answers = {"has_id_card": "yes", "has_welfare_card": "no", "has_disability_card": "yes",
               "health_coverage": "none", "disability_allowance": "no"}
    outcome = run("basic_rights", answers, birth_date=date(1985, 5, 5), facts=facts)
    assert outcome.result["missing_rights"] == ["welfare_card", "health_coverage", "disability_allowance"]
    assert outcome.score == 3


def test_basic_rights_of_a_young_child_with_everything_is_all_rights() -> None:
    outcome = run("basic_rights", {"health_coverage": "uc", "child_grant": "yes"}, birth_date=date(2022, 1, 1),
                  facts={"is_disabled": False, "is_poor": True})
    assert outcome.classification == "all_rights"
    assert outcome.result["missing_rights"] == []


HOUSE_OK = {"roof": "ok", "walls": "ok", "floor": "ok", "toilet": "ok", "electricity": "ok", "water": "ok",
            "slippery": "ok", "handrails": "not_needed"}


@pytest.mark.parametrize(("problems", "classification"), [
    ([], "safe"), (["toilet"], "needs_repair"), (["slippery", "handrails"], "needs_repair"),
    (["roof"], "unsafe"), (["electricity"], "unsafe"), (["toilet", "water", "slippery"], "unsafe"),
])
def test_house_safety(problems: list[str], classification: str) -> None:
    outcome = run("house_safety", {**HOUSE_OK, **{code: "problem" for code in problems}})
    assert outcome.classification == classification
    assert outcome.result["problems"] == problems
    assert [f.code for f in outcome.flags] == (["unsafe_house"] if classification == "unsafe" else [])
    assert (outcome.due_on - ON).days == 365  # type: ignore[operator]


def test_no_caregiver_is_an_urgent_flag_and_skips_the_caregiver_questions() -> None:
    outcome = run("caregiver", {"has_caregiver": "no", "who": "child", "hours_per_day": 5})
    assert outcome.answers == {"has_caregiver": "no"}
    assert outcome.classification == "no_caregiver"
    assert [(f.code, f.severity) for f in outcome.flags] == [("no_caregiver", "urgent")]


def test_a_strained_caregiver_is_flagged() -> None:
    outcome = run("caregiver", {"has_caregiver": "yes", "who": "spouse", "trained": "no", "hours_per_day": 16,
                                "strain": "heavy"})
    assert outcome.classification == "strained"
    assert [f.code for f in outcome.flags] == ["caregiver_strain"]
    calm = run("caregiver", {"has_caregiver": "yes", "who": "cg", "trained": "yes", "hours_per_day": 4,
                             "strain": "none"})
    assert calm.classification == "cared_for" and calm.flags == ()
    assert (calm.due_on - ON).days == 182  # type: ignore[operator]
