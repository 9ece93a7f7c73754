"""The engine: skip rules drop answers, answers are checked per type and refused with a message
naming the item, derived results, flags and due dates."""

from __future__ import annotations

from datetime import date

import pytest

from chumchon.visits.instruments.engine import add_months, evaluate
from chumchon.visits.instruments.loader import parse_definition
from chumchon.visits.instruments.schema import AnswerErrors, Context, Instrument, Outcome

ON = date(2025, 6, 15)

DEFINITION = """
code: sample
version: 1
title: {th: ตัวอย่าง, en: Sample}
subject: person
scoring: {method: sum}
groups:
  - code: first
    title: หน้าแรก
    items:
      - code: smokes
        type: yes_no
        label: {th: สูบบุหรี่, en: Smokes}
      - code: per_day
        type: number
        label: {th: จำนวนมวนต่อวัน, en: Cigarettes a day}
        min: 1
        max: 80
        show_if: {item: smokes, equals: "yes"}
      - code: mood
        type: choice
        label: {th: อารมณ์, en: Mood}
        options:
          - {value: good, score: 0, label: ดี}
          - {value: low, score: 2, label: ซึม}
  - code: extra
    title: เพิ่มเติม
    show_if: {item: mood, equals: low}
    items:
      - {code: seen_on, type: date, label: {th: วันที่พบ, en: Seen on}}
      - {code: where, type: gps, label: {th: ตำแหน่ง, en: Position}, required: false}
      - {code: picture, type: photo, label: {th: รูปถ่าย, en: Photo}, required: false}
      - {code: needs, type: multi, required: false, label: {th: ความต้องการ, en: Needs},
         options: [{value: food, label: อาหาร}, {value: money, label: เงิน}]}
      - {code: note, type: text, required: false, label: {th: บันทึก, en: Note}}
classifications:
  - {code: fine, min: 0, max: 0, label: ปกติ}
  - {code: worry, min: 1, max: 2, label: น่าห่วง, severity: high}
results:
  - key: topics
    kind: collect
    label: หัวข้อ
    rules:
      - {value: smoking, when: {item: smokes, equals: "yes"}}
      - {value: mood, when: {classification: worry}}
  - key: heavy
    label: สูบมาก
    default: false
    rules: [{value: true, when: {item: per_day, gte: 20}}]
flags:
  - {code: heavy_smoker, severity: normal, label: สูบมาก, when: {result: heavy, equals: true}}
  - {code: elder_low_mood, severity: high, label: ผู้สูงอายุซึม,
     when: {all: [{classification: worry}, {age_months_gte: 720}]}}
  - {code: disabled_low_mood, severity: urgent, label: คนพิการซึม,
     when: {all: [{classification: worry}, {fact: is_disabled, equals: true}]}}
follow_up:
  - {when: {classification: worry}, days: 30}
  - {when: {age_months_lt: 60}, at_age_months: [9, 18, 30]}
  - {days: 365}
"""


@pytest.fixture(scope="module")
def sample() -> Instrument:
    return parse_definition(DEFINITION, "yaml")


def run(instrument: Instrument, answers: dict, **context: object) -> Outcome:
    return evaluate(instrument, answers, Context(assessed_on=ON, **context))  # type: ignore[arg-type]


def refused(instrument: Instrument, answers: dict, **context: object) -> dict[str, str]:
    with pytest.raises(AnswerErrors) as caught:
        run(instrument, answers, **context)
    return caught.value.errors


def test_answers_to_items_not_shown_are_dropped(sample: Instrument) -> None:
    outcome = run(sample, {"smokes": "no", "per_day": 30, "mood": "good", "seen_on": "01/01/2568"})
    assert outcome.answers == {"smokes": "no", "mood": "good"}
    assert outcome.result == {"topics": [], "heavy": False}


def test_an_item_shown_by_a_skip_rule_is_required(sample: Instrument) -> None:
    errors = refused(sample, {"smokes": "yes", "mood": "good"})
    assert set(errors) == {"per_day"}
    assert "จำนวนมวนต่อวัน" in errors["per_day"]


def test_a_group_shown_by_a_skip_rule_checks_its_items(sample: Instrument) -> None:
    errors = refused(sample, {"smokes": "no", "mood": "low"})
    assert set(errors) == {"seen_on"}


@pytest.mark.parametrize(("answers", "item"), [
    ({"smokes": "maybe", "mood": "good"}, "smokes"),
    ({"smokes": "yes", "per_day": 0, "mood": "good"}, "per_day"),
    ({"smokes": "yes", "per_day": 81, "mood": "good"}, "per_day"),
    ({"smokes": "yes", "per_day": "many", "mood": "good"}, "per_day"),
    ({"smokes": "yes", "per_day": True, "mood": "good"}, "per_day"),
    ({"smokes": "no", "mood": "sad"}, "mood"),
    ({"smokes": "no", "mood": ["good"]}, "mood"),
    ({"smokes": "no", "mood": "low", "seen_on": "32/01/2568"}, "seen_on"),
    ({"smokes": "no", "mood": "low", "seen_on": "16/06/2568"}, "seen_on"),
    ({"smokes": "no", "mood": "low", "seen_on": "2025-06-01", "where": {"lat": 35.7, "lon": 139.7}}, "where"),
    ({"smokes": "no", "mood": "low", "seen_on": "2025-06-01", "where": {"lat": 7.5}}, "where"),
    ({"smokes": "no", "mood": "low", "seen_on": "2025-06-01", "picture": "x"}, "picture"),
    ({"smokes": "no", "mood": "low", "seen_on": "2025-06-01", "picture": 0}, "picture"),
    ({"smokes": "no", "mood": "low", "seen_on": "2025-06-01", "needs": ["food", "car"]}, "needs"),
    ({"smokes": "no", "mood": "low", "seen_on": "2025-06-01", "note": 12}, "note"),
])
def test_answers_that_do_not_fit_are_refused_naming_the_item(sample: Instrument, answers: dict, item: str) -> None:
    errors = refused(sample, answers)
    assert set(errors) == {item}
    label = sample.item(item).label.th  # type: ignore[union-attr]
    assert label in errors[item]


def test_unknown_item_codes_are_refused(sample: Instrument) -> None:
    assert set(refused(sample, {"smokes": "no", "mood": "good", "shoe_size": 42})) == {"shoe_size"}


def test_answers_are_normalised(sample: Instrument) -> None:
    outcome = run(sample, {"smokes": True, "per_day": "๒๐", "mood": "low", "seen_on": "1 มิ.ย. 2568",
                           "where": {"lat": "7.61", "lon": 100.07}, "picture": "12", "needs": ["food", "food"],
                           "note": "  ไอ   บ่อย "})
    assert outcome.answers == {"smokes": "yes", "per_day": 20.0, "mood": "low", "seen_on": "2025-06-01",
                               "where": {"lat": 7.61, "lon": 100.07}, "picture": 12, "needs": ["food"],
                               "note": "ไอ บ่อย"}
    assert outcome.score == 2
    assert outcome.classification == "worry"
    assert outcome.result == {"topics": ["smoking", "mood"], "heavy": True}
    assert [f.code for f in outcome.flags] == ["heavy_smoker"]


def test_flags_read_age_and_registry_facts(sample: Instrument) -> None:
    answers = {"smokes": "no", "mood": "low", "seen_on": "2025-06-01"}
    elder = run(sample, answers, birth_date=date(1950, 1, 1), facts={"is_disabled": True})
    assert [f.code for f in elder.flags] == ["elder_low_mood", "disabled_low_mood"]
    assert [f.severity for f in elder.flags] == ["high", "urgent"]
    young = run(sample, answers, birth_date=date(1990, 1, 1), facts={"is_disabled": False})
    assert young.flags == ()


def test_follow_up_first_matching_rule_wins(sample: Instrument) -> None:
    worry = run(sample, {"smokes": "no", "mood": "low", "seen_on": "2025-06-01"}, birth_date=date(2024, 1, 10))
    assert worry.due_on == date(2025, 7, 15)
    child = run(sample, {"smokes": "no", "mood": "good"}, birth_date=date(2024, 1, 10))  # 17 months old
    assert child.due_on == date(2025, 7, 10)  # 18 months
    adult = run(sample, {"smokes": "no", "mood": "good"}, birth_date=date(1990, 1, 1))
    assert adult.due_on == date(2026, 6, 15)
    unknown_age = run(sample, {"smokes": "no", "mood": "good"})
    assert unknown_age.due_on == date(2026, 6, 15)


def test_answers_must_be_a_mapping(sample: Instrument) -> None:
    assert set(refused(sample, ["smokes"])) == {"__all__"}  # type: ignore[arg-type]


@pytest.mark.parametrize(("day", "months", "expected"), [
    (date(2024, 1, 31), 1, date(2024, 2, 29)), (date(2024, 1, 10), 18, date(2025, 7, 10)),
    (date(2023, 11, 30), 3, date(2024, 2, 29)),
])
def test_add_months_keeps_the_day_or_the_month_end(day: date, months: int, expected: date) -> None:
    assert add_months(day, months) == expected
