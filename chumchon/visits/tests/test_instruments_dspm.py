"""DSPM outcomes: age-appropriate or suspected delay, the re-screen after 30 days, the referral
question on a re-screen and the flag when a child still delayed was not referred."""

from __future__ import annotations

from datetime import date

import pytest

from chumchon.visits.instruments.engine import evaluate
from chumchon.visits.instruments.registry import get_instrument
from chumchon.visits.instruments.schema import AnswerErrors, Context, Instrument, Outcome

BORN = date(2023, 3, 10)
DOMAINS = ("gm", "fm", "rl", "el", "ps")


@pytest.fixture(scope="module")
def dspm() -> Instrument:
    return get_instrument("dspm")


def answers(*failing: str, band: str = "18", **extra: str) -> dict[str, str]:
    return {"age_band": band, **{d: "not_pass" if d in failing else "pass" for d in DOMAINS}, **extra}


def screen(dspm: Instrument, on: date, data: dict[str, str], previous: Outcome | None = None) -> Outcome:
    return evaluate(dspm, data, Context(assessed_on=on, birth_date=BORN, sex="female", previous=previous,
                                        previous_on=date(2024, 9, 10) if previous else None))


def test_all_domains_passed_is_age_appropriate_and_due_at_the_next_screening_age(dspm: Instrument) -> None:
    outcome = screen(dspm, date(2024, 9, 12), answers())  # 18 months
    assert outcome.classification == "age_appropriate"
    assert outcome.classification_label == "สมวัย"
    assert outcome.result["delayed_domains"] == []
    assert outcome.due_on == date(2025, 9, 10)  # 30 months
    assert outcome.flags == ()


@pytest.mark.parametrize("domain", DOMAINS)
def test_any_domain_not_passed_is_suspected_delay_due_again_in_30_days(dspm: Instrument, domain: str) -> None:
    outcome = screen(dspm, date(2024, 9, 12), answers(domain))
    assert outcome.classification == "suspected_delay"
    assert outcome.classification_label == "สงสัยล่าช้า"
    assert outcome.result["delayed_domains"] == [domain.upper()]
    assert outcome.result["next_step"] == "stimulate_and_rescreen"
    assert outcome.due_on == date(2024, 10, 12)


def test_referral_is_not_asked_at_a_first_screening(dspm: Instrument) -> None:
    outcome = screen(dspm, date(2024, 9, 12), answers("gm", referred="no"))
    assert "referred" not in outcome.answers
    assert outcome.flags == ()


def test_rescreen_still_delayed_and_not_referred_raises_the_flag(dspm: Instrument) -> None:
    first = screen(dspm, date(2024, 9, 10), answers("el"))
    again = screen(dspm, date(2024, 10, 10), answers("el", referred="no"), previous=first)
    assert again.classification == "suspected_delay"
    assert again.result["rescreen"] is True
    assert again.result["next_step"] == "refer_teda4i"
    assert [(f.code, f.severity) for f in again.flags] == [("suspected_delay_unreferred", "high")]
    assert again.due_on == date(2024, 11, 9)


def test_rescreen_still_delayed_and_referred_raises_no_flag(dspm: Instrument) -> None:
    first = screen(dspm, date(2024, 9, 10), answers("el"))
    again = screen(dspm, date(2024, 10, 10), answers("el", referred="yes"), previous=first)
    assert again.answers["referred"] == "yes"
    assert again.flags == ()


def test_rescreen_still_delayed_needs_the_referral_answer(dspm: Instrument) -> None:
    from chumchon.visits.instruments.schema import AnswerErrors

    first = screen(dspm, date(2024, 9, 10), answers("el"))
    with pytest.raises(AnswerErrors) as caught:
        screen(dspm, date(2024, 10, 10), answers("el"), previous=first)
    assert set(caught.value.errors) == {"referred"}
    assert "TEDA4I" in caught.value.errors["referred"]


def test_rescreen_passed_is_age_appropriate_and_drops_the_referral_answer(dspm: Instrument) -> None:
    first = screen(dspm, date(2024, 9, 10), answers("el"))
    again = screen(dspm, date(2024, 10, 10), answers(referred="no"), previous=first)
    assert again.classification == "age_appropriate"
    assert "referred" not in again.answers
    assert again.flags == ()
    assert again.due_on == date(2025, 9, 10)


@pytest.mark.parametrize(("on", "band", "due"), [
    (date(2023, 12, 10), "9", date(2024, 9, 10)),  # 9 months exactly → 18
    (date(2023, 12, 9), "9", date(2023, 12, 10)),  # a day before 9 months → 9
    (date(2026, 9, 10), "42", date(2028, 3, 10)),  # 42 → 60
    (date(2028, 3, 10), "60", None),               # 60: no screening age ahead
])
def test_next_screening_age_is_the_next_of_9_18_30_42_60_months(dspm: Instrument, on: date, band: str,
                                                                  due: date | None) -> None:
    assert screen(dspm, on, answers(band=band)).due_on == due


@pytest.mark.parametrize(("on", "band"), [
    (date(2024, 9, 12), "9"),   # 18 months: past the 9-month band
    (date(2024, 9, 12), "30"),  # 18 months: not yet 30
    (date(2028, 3, 10), "42"),  # 60 months
])
def test_an_age_band_that_does_not_fit_the_child_is_refused(dspm: Instrument, on: date, band: str) -> None:
    with pytest.raises(AnswerErrors) as refused:
        screen(dspm, on, answers(band=band))
    assert "age_band" in refused.value.errors


def test_dspm_targets_children_up_to_six(dspm: Instrument) -> None:
    assert (dspm.target.min_age_months, dspm.target.max_age_months) == (0, 72)
    assert [i.domain for i in dspm.items if i.domain] == ["GM", "FM", "RL", "EL", "PS"]
