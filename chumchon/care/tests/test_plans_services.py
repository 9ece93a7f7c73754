"""Care plan writes: opening within one's area, goals with structured targets and baselines,
actions, and the plan's state machine transition by transition, with its refusals."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.http import Http404

from chumchon.care.models import ActionStatus, CarePlan, GoalMeasure, Outcome, PlanStatus
from chumchon.care.services import plans as svc
from chumchon.care.tests.plan_fixtures import *  # noqa: F403
from chumchon.care.tests.plan_fixtures import record_barthel
from chumchon.core.models import AuditEntry
from chumchon.people.validation import today


@pytest.fixture
def plan(volunteer, person_a):
    return svc.plan_open(actor=volunteer, person_id=person_a.pk)


def adl_goal(actor, plan, target="9"):
    return svc.goal_add(actor=actor, plan_id=plan.pk, problem="ติดเตียง", description="ADL ≥ 9",
                        measure=GoalMeasure.SCORE, instrument_code="barthel_adl", comparison=">=",
                        target_score=target, support_kind="care_at_home")


def test_volunteer_opens_a_draft_plan_for_a_person_of_their_village(volunteer, person_a):
    plan = svc.plan_open(actor=volunteer, person_id=person_a.pk)
    assert plan.status == PlanStatus.DRAFT and plan.author == volunteer
    assert AuditEntry.objects.filter(verb="plan.open", object_id=str(plan.pk), area_code=person_a.area_id).exists()


def test_outsider_and_coordinator_cannot_open_a_plan(outsider, coordinator, person_a):
    for user in (outsider, coordinator):
        with pytest.raises(Http404):
            svc.plan_open(actor=user, person_id=person_a.pk)
    assert not CarePlan.objects.exists()


def test_a_second_open_plan_of_the_same_kind_is_refused(volunteer, plan, person_a):
    with pytest.raises(ValidationError) as error:
        svc.plan_open(actor=volunteer, person_id=person_a.pk)
    assert "kind" in error.value.message_dict
    assert svc.plan_open(actor=volunteer, person_id=person_a.pk, kind="ltc").kind == "ltc"


def test_score_goal_stores_the_baseline_from_the_current_assessment(volunteer, plan, person_a):
    record_barthel(volunteer, person_a, "low", today() - timedelta(days=10))
    goal = adl_goal(volunteer, plan)
    assert goal.baseline_score == 2 and goal.baseline_classification == "bed_bound"
    assert goal.outcome == Outcome.PENDING


def test_goal_target_must_be_judgeable(volunteer, plan):
    cases: list[tuple[dict[str, Any], str]] = [
        ({"measure": "score", "instrument_code": "barthel_adl", "comparison": ">="}, "target_score"),
        ({"measure": "score", "instrument_code": "no_such", "comparison": ">=", "target_score": 9}, "instrument_code"),
        ({"measure": "score", "instrument_code": "barthel_adl", "comparison": "==", "target_score": 9}, "comparison"),
        ({"measure": "classification", "instrument_code": "barthel_adl", "target_classification": "x"},
         "target_classification"),
        ({"measure": "flag_cleared", "instrument_code": "barthel_adl", "flag_code": "x"}, "flag_code"),
        ({"measure": "right", "right_code": "x"}, "right_code"),
        ({"measure": "weird"}, "measure"),
        ({"measure": "evidence", "support_kind": "nope"}, "support_kind"),
    ]
    for extra, field in cases:
        with pytest.raises(ValidationError) as error:
            svc.goal_add(actor=volunteer, plan_id=plan.pk, problem="p", description="d", **extra)
        assert field in error.value.message_dict, (extra, error.value.message_dict)


def test_right_goal_is_refused_when_the_registry_already_shows_it(volunteer, plan, person_a):
    person_a.has_id_card = True
    person_a.save()
    with pytest.raises(ValidationError) as error:
        svc.goal_add(actor=volunteer, plan_id=plan.pk, problem="p", description="d", measure="right",
                     right_code="id_card")
    assert "right_code" in error.value.message_dict


def test_plan_state_machine_transition_by_transition(volunteer, care_manager, officer, plan):
    with pytest.raises(ValidationError) as error:  # draft without goals cannot be submitted
        svc.plan_submit(actor=volunteer, plan_id=plan.pk)
    assert "goals" in error.value.message_dict
    adl_goal(volunteer, plan)
    with pytest.raises(ValidationError):  # a draft cannot be approved
        svc.plan_approve(actor=care_manager, plan_id=plan.pk)
    with pytest.raises(ValidationError):  # nor reviewed
        svc.plan_review_record(actor=volunteer, plan_id=plan.pk, note="n")
    assert svc.plan_submit(actor=volunteer, plan_id=plan.pk).status == PlanStatus.SUBMITTED
    with pytest.raises(ValidationError):  # submitted twice
        svc.plan_submit(actor=volunteer, plan_id=plan.pk)
    with pytest.raises(ValidationError) as error:  # goals only while a draft
        adl_goal(volunteer, plan, target="12")
    assert "status" in error.value.message_dict
    with pytest.raises(ValidationError) as error:  # returning needs a reason
        svc.plan_return(actor=care_manager, plan_id=plan.pk, reason=" ")
    assert "reason" in error.value.message_dict
    returned = svc.plan_return(actor=care_manager, plan_id=plan.pk, reason="เพิ่มผู้รับผิดชอบ")
    assert returned.status == PlanStatus.DRAFT and returned.returned_reason == "เพิ่มผู้รับผิดชอบ"
    svc.plan_submit(actor=volunteer, plan_id=plan.pk)
    approved = svc.plan_approve(actor=care_manager, plan_id=plan.pk)
    assert approved.status == PlanStatus.APPROVED and approved.approved_by == care_manager
    with pytest.raises(ValidationError):  # approved twice
        svc.plan_approve(actor=officer, plan_id=plan.pk)
    svc.plan_review_record(actor=volunteer, plan_id=plan.pk, note="เยี่ยมครั้งที่ 2", reviewed_on=today())
    assert CarePlan.objects.get(pk=plan.pk).status == PlanStatus.UNDER_REVIEW
    svc.plan_review_record(actor=officer, plan_id=plan.pk, note="เยี่ยมครั้งที่ 3")
    assert CarePlan.objects.get(pk=plan.pk).reviews.count() == 2
    with pytest.raises(ValidationError) as error:
        svc.plan_close(actor=officer, plan_id=plan.pk, reason="")
    assert "reason" in error.value.message_dict
    closed = svc.plan_close(actor=officer, plan_id=plan.pk, reason="บรรลุเป้าหมาย")
    assert closed.status == PlanStatus.CLOSED
    for move in (lambda: svc.plan_submit(actor=volunteer, plan_id=plan.pk),
                 lambda: svc.plan_close(actor=officer, plan_id=plan.pk, reason="x"),
                 lambda: svc.plan_review_record(actor=volunteer, plan_id=plan.pk, note="n")):
        with pytest.raises(ValidationError):
            move()
    verbs = list(AuditEntry.objects.filter(object_id=str(plan.pk), verb__startswith="plan.")
                 .values_list("verb", flat=True).order_by("pk"))
    assert verbs == ["plan.open", "plan.submit", "plan.return", "plan.submit", "plan.approve", "plan.review_start",
                     "plan.review", "plan.review", "plan.close"]


def test_approving_ones_own_plan_is_refused_with_a_reason(officer, person_a):
    plan = svc.plan_open(actor=officer, person_id=person_a.pk)
    adl_goal(officer, plan)
    svc.plan_submit(actor=officer, plan_id=plan.pk)
    with pytest.raises(ValidationError) as error:
        svc.plan_approve(actor=officer, plan_id=plan.pk)
    assert "อนุมัติเองไม่ได้" in str(error.value.message_dict["status"])  # "you wrote this plan…"
    assert CarePlan.objects.get(pk=plan.pk).status == PlanStatus.SUBMITTED


def test_a_volunteer_cannot_approve_and_an_outsider_gets_404(volunteer, officer, outsider, person_a):
    plan = svc.plan_open(actor=officer, person_id=person_a.pk)
    adl_goal(officer, plan)
    svc.plan_submit(actor=officer, plan_id=plan.pk)
    with pytest.raises(ValidationError):
        svc.plan_approve(actor=volunteer, plan_id=plan.pk)
    with pytest.raises(Http404):
        svc.plan_approve(actor=outsider, plan_id=plan.pk)


def test_actions_take_a_covering_service_and_move_through_their_states(volunteer, plan, home_care, far_service):
    goal = adl_goal(volunteer, plan)
    with pytest.raises(ValidationError) as error:
        svc.action_add(actor=volunteer, goal_id=goal.pk, description="เยี่ยมบ้าน", service_id=far_service.pk)
    assert "service_id" in error.value.message_dict
    action = svc.action_add(actor=volunteer, goal_id=goal.pk, description="เยี่ยมบ้านทุกสัปดาห์",
                            service_id=home_care.pk, responsible_name="นางพยาบาล", fund_source="กองทุน LTC",
                            due_on=date(2030, 1, 31))
    assert action.organisation == home_care.organisation and action.status == ActionStatus.PLANNED
    assert svc.action_set_status(actor=volunteer, action_id=action.pk, status="in_progress").status == "in_progress"
    with pytest.raises(ValidationError):
        svc.action_set_status(actor=volunteer, action_id=action.pk, status="planned")
    assert svc.action_set_status(actor=volunteer, action_id=action.pk, status="done").status == "done"
    with pytest.raises(ValidationError):
        svc.action_set_status(actor=volunteer, action_id=action.pk, status="cancelled")


def test_cancelled_action_is_final(volunteer, plan):
    goal = adl_goal(volunteer, plan)
    action = svc.action_add(actor=volunteer, goal_id=goal.pk, description="x")
    svc.action_set_status(actor=volunteer, action_id=action.pk, status="cancelled")
    with pytest.raises(ValidationError):
        svc.action_set_status(actor=volunteer, action_id=action.pk, status="done")
