"""Goals are judged automatically from re-assessment (before/after) and the registry, or by evidence."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from chumchon.care.models import Goal, GoalMeasure, Outcome, OutcomeSource
from chumchon.care.services import plans as svc
from chumchon.care.tests.plan_fixtures import *  # noqa: F403
from chumchon.care.tests.plan_fixtures import record_barthel
from chumchon.people.validation import today


@pytest.fixture
def approved(volunteer, care_manager, person_a):
    record_barthel(volunteer, person_a, "low", today() - timedelta(days=30))
    plan = svc.plan_open(actor=volunteer, person_id=person_a.pk)
    goals = {
        "score": svc.goal_add(actor=volunteer, plan_id=plan.pk, problem="ADL ต่ำ", description="ADL ≥ 9",
                              measure="score", instrument_code="barthel_adl", comparison=">=", target_score=9),
        "high": svc.goal_add(actor=volunteer, plan_id=plan.pk, problem="ADL ต่ำ", description="ADL ≥ 18",
                             measure="score", instrument_code="barthel_adl", comparison=">=", target_score=18),
        "class": svc.goal_add(actor=volunteer, plan_id=plan.pk, problem="ติดเตียง", description="ไม่ติดเตียง",
                              measure="classification", instrument_code="barthel_adl", comparison="!=",
                              target_classification="bed_bound"),
        "flag": svc.goal_add(actor=volunteer, plan_id=plan.pk, problem="ไม่มีผู้ดูแล", description="มีผู้ดูแล",
                             measure="flag_cleared", instrument_code="barthel_adl", flag_code="bedbound_no_caregiver"),
        "right": svc.goal_add(actor=volunteer, plan_id=plan.pk, problem="ไม่มีบัตร", description="มีบัตรประชาชน",
                              measure="right", right_code="id_card"),
        "roof": svc.goal_add(actor=volunteer, plan_id=plan.pk, problem="หลังคารั่ว", description="ซ่อมหลังคา",
                             measure="evidence"),
    }
    svc.plan_submit(actor=volunteer, plan_id=plan.pk)
    svc.plan_approve(actor=care_manager, plan_id=plan.pk)
    return goals


def fresh(goal):
    return Goal.objects.get(pk=goal.pk)


def test_goals_stay_pending_until_a_re_assessment(approved):
    for key in ("score", "class", "flag", "right", "roof"):
        assert fresh(approved[key]).outcome == Outcome.PENDING


def test_a_better_re_assessment_meets_score_class_and_flag_goals_and_partly_meets_a_high_target(volunteer, approved):
    record_barthel(volunteer, approved["score"].plan.person, "better", today())
    score = fresh(approved["score"])
    assert (score.baseline_score, score.latest_score) == (Decimal("2"), Decimal("15"))
    assert score.outcome == Outcome.MET and score.outcome_source == OutcomeSource.ASSESSMENT and score.met_on == today()
    assert fresh(approved["high"]).outcome == Outcome.PARTLY_MET
    assert fresh(approved["class"]).outcome == Outcome.MET
    assert fresh(approved["flag"]).outcome == Outcome.MET


def test_a_re_assessment_without_improvement_is_not_met(volunteer, approved):
    record_barthel(volunteer, approved["score"].plan.person, "low", today())
    assert fresh(approved["score"]).outcome == Outcome.NOT_MET
    assert fresh(approved["class"]).outcome == Outcome.NOT_MET
    assert fresh(approved["flag"]).outcome == Outcome.NOT_MET


def test_right_goal_is_met_when_the_registry_records_the_right(officer, approved):
    from chumchon.people.services import person_update

    person = approved["right"].plan.person
    person.refresh_from_db()
    person_update(actor=officer, person=person, version=person.version, has_id_card=True)
    goal = fresh(approved["right"])
    assert goal.outcome == Outcome.MET and goal.outcome_source == OutcomeSource.REGISTRY


def test_evidence_goal_is_judged_by_a_user_with_a_note(volunteer, approved):
    with pytest.raises(ValidationError) as error:
        svc.goal_record_evidence(actor=volunteer, goal_id=approved["roof"].pk, outcome="met", note="")
    assert "note" in error.value.message_dict
    with pytest.raises(ValidationError):
        svc.goal_record_evidence(actor=volunteer, goal_id=approved["score"].pk, outcome="met", note="ok")
    goal = svc.goal_record_evidence(actor=volunteer, goal_id=approved["roof"].pk, outcome="partly_met",
                                    note="เปลี่ยนสังกะสีแล้วครึ่งหลัง")
    assert goal.outcome == Outcome.PARTLY_MET and goal.outcome_source == OutcomeSource.EVIDENCE
    assert svc.goal_record_evidence(actor=volunteer, goal_id=approved["roof"].pk, outcome="met",
                                    note="เสร็จ").met_on == today()


def test_goal_measures_cover_every_kind(approved):
    assert {goal.measure for goal in approved.values()} == set(GoalMeasure.values)


def _house(roof: str) -> dict[str, str]:
    answers = {code: "ok" for code in ("roof", "walls", "floor", "toilet", "electricity", "water", "slippery",
                                       "handrails")}
    answers["roof"] = roof
    return answers


def test_household_goal_is_judged_from_the_households_re_assessment(volunteer, care_manager, person_a):
    """"House roof repaired": proposed from the household's house-safety result, met when a re-assessment
    of the house no longer finds it unsafe."""
    from chumchon.care import plan_selectors as sel
    from chumchon.visits.services.assessments import assessment_record

    assessment_record(actor=volunteer, instrument_code="house_safety", answers=_house("problem"),
                      assessed_on=today() - timedelta(days=40), household_id=person_a.household_id)
    proposal = next(p for p in sel.plan_proposals(user=volunteer, person_id=person_a.pk)
                    if p.source_code == "house_safety:unsafe")
    assert proposal.support_kind == "housing_repair"
    plan = svc.plan_open(actor=volunteer, person_id=person_a.pk)
    goal = svc.goal_add(actor=volunteer, plan_id=plan.pk, problem=proposal.problem, description="ซ่อมหลังคา",
                        measure=proposal.measure, instrument_code=proposal.instrument_code,
                        comparison=proposal.comparison, target_classification=proposal.target_classification,
                        support_kind=proposal.support_kind)
    assert goal.baseline_classification == "unsafe" and goal.outcome == Outcome.PENDING
    assessment_record(actor=volunteer, instrument_code="house_safety", answers=_house("ok"), assessed_on=today(),
                      household_id=person_a.household_id)
    goal = fresh(goal)
    assert goal.outcome == Outcome.MET and goal.latest_classification == "safe"


def test_a_bed_bound_result_is_proposed_as_a_score_goal_to_the_next_good_band(volunteer, person_a):
    from chumchon.care import plan_selectors as sel

    record_barthel(volunteer, person_a, "low", today())
    proposal = next(p for p in sel.plan_proposals(user=volunteer, person_id=person_a.pk)
                    if p.source_code == "barthel_adl:bed_bound")
    assert (proposal.measure, proposal.comparison, proposal.target_score) == ("score", ">=", Decimal("12"))
    assert proposal.description.endswith("จาก 2 เป็น ≥ 12")
    assert sel.score_target("basic_rights", "missing_rights") == ("<=", Decimal("0"))
    assert sel.score_target("barthel_adl", "social_bound") is None  # already the good band
