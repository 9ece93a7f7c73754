"""A plan is approved by a second pair of eyes: not by its author, and not by an approver who added
goals to the draft; another approver of the area may approve it. The page offers "Approve" only to
those who may."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError

from chumchon.care.models import CarePlan, PlanStatus
from chumchon.care.services import plans as svc
from chumchon.care.tests.plan_fixtures import *  # noqa: F403
from chumchon.care.tests.plan_fixtures import login


@pytest.fixture
def helped_plan(volunteer, care_manager, person_a):
    """Written by the volunteer; the care manager added a goal to the draft; then sent for approval."""
    plan = svc.plan_open(actor=volunteer, person_id=person_a.pk)
    svc.goal_add(actor=care_manager, plan_id=plan.pk, problem="บ้าน", description="ซ่อมหลังคา", measure="evidence")
    svc.plan_submit(actor=volunteer, plan_id=plan.pk)
    return plan


def _approve_button(user, plan):
    html = login(user).get(f"/care/plans/{plan.pk}/").content.decode()
    return f'/care/plans/{plan.pk}/approve/"' in html


def test_approver_who_added_goals_cannot_approve(helped_plan, care_manager):
    with pytest.raises(ValidationError) as refused:
        svc.plan_approve(actor=care_manager, plan_id=helped_plan.pk)
    assert "status" in refused.value.message_dict
    assert CarePlan.objects.get(pk=helped_plan.pk).status == PlanStatus.SUBMITTED


def test_another_approver_may_approve_the_helped_plan(helped_plan, officer):
    svc.plan_approve(actor=officer, plan_id=helped_plan.pk)
    plan = CarePlan.objects.get(pk=helped_plan.pk)
    assert plan.status == PlanStatus.APPROVED and plan.approved_by == officer


def test_author_still_cannot_approve(volunteer, officer, person_a):
    plan = svc.plan_open(actor=officer, person_id=person_a.pk)
    svc.goal_add(actor=volunteer, plan_id=plan.pk, problem="บ้าน", description="ซ่อมหลังคา", measure="evidence")
    svc.plan_submit(actor=officer, plan_id=plan.pk)
    with pytest.raises(ValidationError):
        svc.plan_approve(actor=officer, plan_id=plan.pk)


def test_page_offers_approve_only_to_a_second_pair_of_eyes(helped_plan, care_manager, officer, volunteer):
    assert not _approve_button(care_manager, helped_plan)
    assert not _approve_button(volunteer, helped_plan)
    assert _approve_button(officer, helped_plan)
    refused = login(care_manager).post(f"/care/plans/{helped_plan.pk}/approve/", follow=True)
    assert "msg-error" in refused.content.decode()
    assert CarePlan.objects.get(pk=helped_plan.pk).status == PlanStatus.SUBMITTED


def test_approver_who_added_goals_may_still_return_the_plan(helped_plan, care_manager):
    svc.plan_return(actor=care_manager, plan_id=helped_plan.pk, reason="ตั้งเป้าหมายให้ชัด")
    assert CarePlan.objects.get(pk=helped_plan.pk).status == PlanStatus.DRAFT


def test_api_refuses_approval_by_an_approver_who_added_goals(helped_plan, care_manager):
    from chumchon.api.testing import api_client

    response = api_client(care_manager).api_post(f"/plans/{helped_plan.pk}/approve")
    assert response.status_code == 422 and response.json()["detail"][0]["loc"] == ["body", "status"]


def test_outsider_gets_404_approving(helped_plan, outsider):
    assert login(outsider).post(f"/care/plans/{helped_plan.pk}/approve/").status_code == 404
    assert CarePlan.objects.get(pk=helped_plan.pk).status == PlanStatus.SUBMITTED
