"""Judging goals: from re-assessment (the score or result when the goal was set against the
latest), from the registry (a right received), or from evidence a user recorded.

Goals judged from assessments and the registry are refreshed whenever the person's current
assessment result or registry record is saved (care/plan_signals.py), so
lists and counts read stored outcomes."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from decimal import Decimal
from typing import Any

from django.utils.translation import gettext_lazy as _

from chumchon.care.models import Comparison, Goal, GoalMeasure, Outcome, OutcomeSource, PlanStatus
from chumchon.core.audit import log_action
from chumchon.people.models import Allowance, HealthCoverage, Person
from chumchon.people.validation import today

AUTO_MEASURES = (GoalMeasure.SCORE, GoalMeasure.CLASSIFICATION, GoalMeasure.FLAG_CLEARED)


def _has_coverage(person: Person) -> bool:
    return person.health_coverage not in (HealthCoverage.NONE, HealthCoverage.UNKNOWN, "")


# right code → (label, support kind code, does the person have it?)
RIGHTS: dict[str, tuple[Any, str, Callable[[Person], bool]]] = {
    "id_card": (_("has an ID card"), "legal_rights", lambda p: bool(p.has_id_card)),
    "welfare_card": (_("has a state welfare card"), "legal_rights", lambda p: bool(p.has_welfare_card)),
    "disability_card": (_("has a disability card"), "legal_rights", lambda p: bool(p.has_disability_card)),
    "health_coverage": (_("has health coverage"), "legal_rights", _has_coverage),
    "allowance_elderly": (_("receives the elderly allowance"), "money",
                          lambda p: Allowance.ELDERLY in (p.allowances or [])),
    "allowance_disability": (_("receives the disability allowance"), "money",
                             lambda p: Allowance.DISABILITY in (p.allowances or [])),
    "allowance_child_support": (_("receives the child support grant"), "money",
                                lambda p: Allowance.CHILD_SUPPORT in (p.allowances or [])),
}


def right_label(code: str) -> str:
    return str(RIGHTS[code][0]) if code in RIGHTS else code


def _compare(value: Decimal, comparison: str, target: Decimal) -> bool:
    return value >= target if comparison == Comparison.AT_LEAST else value <= target


def judge_assessment_goal(goal: Goal, *, score: Decimal | None, classification: str, flags: list[str],
                          assessed_on: date | None, assessment_id: int | None) -> str:
    """The outcome of a goal measured by assessment, given the latest result under its instrument.
    Pending until an assessment newer than the baseline exists."""
    if assessment_id is None or assessment_id == goal.baseline_assessment_id or (
            goal.baseline_on and assessed_on and assessed_on < goal.baseline_on):
        return Outcome.PENDING
    if goal.measure == GoalMeasure.SCORE:
        if score is None or goal.target_score is None:
            return Outcome.PENDING
        if _compare(score, goal.comparison, goal.target_score):
            return Outcome.MET
        base = goal.baseline_score
        if base is not None and (score > base if goal.comparison == Comparison.AT_LEAST else score < base):
            return Outcome.PARTLY_MET
        return Outcome.NOT_MET
    if goal.measure == GoalMeasure.CLASSIFICATION:
        same = classification == goal.target_classification
        ok = same if goal.comparison != Comparison.NOT_EQUALS else not same
        return Outcome.MET if ok else Outcome.NOT_MET
    if goal.measure == GoalMeasure.FLAG_CLEARED:
        return Outcome.NOT_MET if goal.flag_code in (flags or []) else Outcome.MET
    return goal.outcome


def _store(goal: Goal, outcome: str, source: str, on: date) -> bool:
    """Save a changed outcome; True when it changed."""
    if goal.outcome == outcome:
        return False
    before = goal.outcome
    goal.outcome = outcome
    goal.outcome_source = source if outcome != Outcome.PENDING else ""
    goal.outcome_on = on if outcome != Outcome.PENDING else None
    if outcome == Outcome.MET and goal.met_on is None:
        goal.met_on = on
    elif outcome != Outcome.MET:
        goal.met_on = None
    goal.save(update_fields=["outcome", "outcome_source", "outcome_on", "met_on", "latest_assessment",
                             "latest_score", "latest_classification", "latest_on"])
    log_action(actor=None, verb="goal.judge", obj=goal, data={"from": before, "to": outcome, "source": source})
    return True


def _judgeable(person_id: int | None = None, household_id: int | None = None) -> Any:
    if person_id:
        goals = Goal.objects.filter(plan__person_id=person_id)
    else:
        goals = Goal.objects.filter(plan__person__household_id=household_id or 0)
    return goals.exclude(plan__status=PlanStatus.CLOSED).select_related("plan", "plan__person")


def goals_refresh_from_status(status: Any) -> int:
    """A current result under an instrument changed: re-judge the goals measured by it — the
    person's, or for a household instrument (house safety, basic needs) those of its members."""
    if not status.person_id and not status.household_id:
        return 0
    changed = 0
    goals = _judgeable(status.person_id, None if status.person_id else status.household_id)
    for goal in goals.filter(measure__in=AUTO_MEASURES, instrument_code=status.instrument_code):
        outcome = judge_assessment_goal(goal, score=status.score, classification=status.classification,
                                        flags=list(status.flags or []), assessed_on=status.assessed_on,
                                        assessment_id=status.assessment_id)
        goal.latest_assessment_id = status.assessment_id
        goal.latest_score, goal.latest_classification = status.score, status.classification
        goal.latest_on = status.assessed_on
        if not _store(goal, outcome, OutcomeSource.ASSESSMENT, status.assessed_on or today()):
            goal.save(update_fields=["latest_assessment", "latest_score", "latest_classification", "latest_on"])
        else:
            changed += 1
    return changed


def goals_refresh_from_person(person: Person) -> int:
    """The registry record changed: right goals are met when the registry shows the right."""
    changed = 0
    for goal in _judgeable(person_id=person.pk).filter(measure=GoalMeasure.RIGHT):
        if goal.outcome_source == OutcomeSource.EVIDENCE:
            continue  # a user's judgement stands
        check = RIGHTS.get(goal.right_code)
        if check is None:
            continue
        outcome = Outcome.MET if check[2](person) else Outcome.PENDING
        changed += int(_store(goal, outcome, OutcomeSource.REGISTRY, today()))
    return changed
