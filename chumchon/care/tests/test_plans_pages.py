"""Care plan and referral pages: open a plan with proposed problems, the plan page with before/after,
state buttons, the agency queue, the person page section; outsiders get 404 and see nothing."""

from __future__ import annotations

from datetime import timedelta

import pytest

from chumchon.care.models import CarePlan, PlanStatus, Referral, ReferralStatus
from chumchon.care.services import plans as svc
from chumchon.care.services import referrals as ref_svc
from chumchon.care.tests.plan_fixtures import *  # noqa: F403
from chumchon.care.tests.plan_fixtures import login, record_barthel
from chumchon.people.validation import today


@pytest.fixture
def assessed(volunteer, person_a):
    record_barthel(volunteer, person_a, "low", today() - timedelta(days=3))
    return person_a


def test_open_a_plan_from_proposed_problems(volunteer, assessed):
    client = login(volunteer)
    page = client.get(f"/people/{assessed.pk}/plans/new/")
    assert page.status_code == 200
    html = page.content.decode()
    assert 'value="barthel_adl:bed_bound"' in html and 'value="right:id_card"' in html
    response = client.post(f"/people/{assessed.pk}/plans/new/", {
        "kind": "ltc", "proposal": ["barthel_adl:bed_bound", "right:id_card"]})
    plan = CarePlan.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/care/plans/{plan.pk}/"
    assert sorted(plan.goals.values_list("source_code", flat=True)) == ["barthel_adl:bed_bound", "right:id_card"]
    detail = client.get(f"/care/plans/{plan.pk}/").content.decode()
    assert "ติดเตียง" in detail and "รพ.สต" not in detail  # no service yet: none in fixtures


def test_plan_page_offers_matching_services_and_runs_the_states(volunteer, care_manager, assessed, home_care):
    plan = svc.plan_open(actor=volunteer, person_id=assessed.pk)
    goal = svc.goal_add(actor=volunteer, plan_id=plan.pk, problem="ติดเตียง", description="ADL ≥ 9",
                        measure="score", instrument_code="barthel_adl", comparison=">=", target_score=9,
                        support_kind="care_at_home")
    client = login(volunteer)
    html = client.get(f"/care/plans/{plan.pk}/").content.decode()
    assert f'value="{home_care.pk}"' in html
    assert client.post(f"/care/goals/{goal.pk}/actions/", {"description": "เยี่ยมบ้าน", "service_id": home_care.pk,
                                                           "due_on": "31/12/2573"}).status_code == 302
    due = goal.actions.get().due_on
    assert due is not None and due.year == 2030
    client.post(f"/care/plans/{plan.pk}/submit/")
    own = client.post(f"/care/plans/{plan.pk}/approve/", follow=True)
    assert CarePlan.objects.get(pk=plan.pk).status == PlanStatus.SUBMITTED
    assert "msg-error" in own.content.decode()
    login(care_manager).post(f"/care/plans/{plan.pk}/approve/")
    assert CarePlan.objects.get(pk=plan.pk).status == PlanStatus.APPROVED
    client.post(f"/care/plans/{plan.pk}/reviews/", {"note": "ลุกนั่งได้"})
    assert CarePlan.objects.get(pk=plan.pk).status == PlanStatus.UNDER_REVIEW


def test_person_page_shows_plans_and_referral_answers(volunteer, assessed, home_care, agency_staff):
    plan = svc.plan_open(actor=volunteer, person_id=assessed.pk)
    svc.goal_add(actor=volunteer, plan_id=plan.pk, problem="ติดเตียง", description="ADL อย่างน้อย 9",
                 measure="score", instrument_code="barthel_adl", comparison=">=", target_score=9)
    referral = ref_svc.referral_create(actor=volunteer, person_id=assessed.pk, service_id=home_care.pk, reason="r")
    ref_svc.referral_decline(actor=agency_staff, referral_id=referral.pk, reason="ไม่มีพยาบาลว่าง")
    html = login(volunteer).get(f"/people/{assessed.pk}/").content.decode()
    assert 'id="care-plans"' in html and "ADL อย่างน้อย 9" in html and "ไม่มีพยาบาลว่าง" in html


def test_person_page_has_no_care_section_without_health_access(assessed, volunteer, tambon):
    from chumchon.accounts.roles import Role
    from chumchon.conftest import make_user

    fund = make_user("fund", Role.FUND_COMMITTEE, tambon.code)
    svc.plan_open(actor=volunteer, person_id=assessed.pk)
    html = login(fund).get(f"/people/{assessed.pk}/").content.decode()
    assert 'id="care-plans"' not in html


def test_agency_queue_accept_and_done_and_referrer_sees_answer(volunteer, assessed, home_care, agency_staff):
    client = login(volunteer)
    response = client.post(f"/people/{assessed.pk}/referrals/new/", {
        "need": "care_at_home", "service_id": home_care.pk, "reason": "ไม่มีผู้ดูแล"})
    referral = Referral.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/care/referrals/{referral.pk}/"
    agency = login(agency_staff)
    queue = agency.get("/care/referrals/queue/").content.decode()
    assert f'id="referral-{referral.pk}"' in queue
    assert agency.get("/care/referrals/").status_code == 302  # no health access: sent to the queue
    agency.post(f"/care/referrals/{referral.pk}/accept/")
    agency.post(f"/care/referrals/{referral.pk}/complete/", {"outcome_note": "CG เยี่ยมสัปดาห์ละ 2 ครั้ง"})
    assert Referral.objects.get().status == ReferralStatus.COMPLETED
    mine = client.get("/care/referrals/?tab=mine").content.decode()
    assert f'id="referral-{referral.pk}"' in mine
    assert "CG เยี่ยมสัปดาห์ละ 2 ครั้ง" in client.get(f"/care/referrals/{referral.pk}/").content.decode()


def test_overdue_tab_lists_unanswered_referrals(volunteer, assessed, home_care):
    referral = ref_svc.referral_create(actor=volunteer, person_id=assessed.pk, service_id=home_care.pk, reason="r")
    Referral.objects.filter(pk=referral.pk).update(answer_due_on=today() - timedelta(days=2))
    html = login(volunteer).get("/care/referrals/?tab=overdue").content.decode()
    assert f'id="referral-{referral.pk}"' in html and "flag-urgent" in html


def test_outsider_gets_404_on_plan_and_referral_pages(volunteer, outsider, coordinator, other_staff, assessed,
                                                      home_care):
    plan = svc.plan_open(actor=volunteer, person_id=assessed.pk)
    goal = svc.goal_add(actor=volunteer, plan_id=plan.pk, problem="p", description="d", measure="evidence")
    referral = ref_svc.referral_create(actor=volunteer, person_id=assessed.pk, service_id=home_care.pk, reason="r")
    for user in (outsider, coordinator, other_staff):
        client = login(user)
        for url in (f"/care/plans/{plan.pk}/", f"/people/{assessed.pk}/plans/new/", f"/care/referrals/{referral.pk}/",
                    f"/people/{assessed.pk}/referrals/new/"):
            assert client.get(url).status_code == 404, (user, url)
        for url in (f"/care/plans/{plan.pk}/submit/", f"/care/plans/{plan.pk}/goals/",
                    f"/care/goals/{goal.pk}/actions/", f"/care/referrals/{referral.pk}/accept/"):
            assert client.post(url, {"description": "x", "problem": "x", "measure": "evidence"}).status_code == 404
    for user in (outsider,):
        client = login(user)
        assert plan.pk not in [p.pk for p in client.get("/care/plans/").context["page"].object_list]
        assert not list(client.get("/care/referrals/?tab=all").context["page"].object_list)
    assert login(other_staff).get("/care/referrals/queue/").context["page"].object_list == [] or not list(
        login(other_staff).get("/care/referrals/queue/").context["page"].object_list)
    assert CarePlan.objects.get().status == PlanStatus.DRAFT and Referral.objects.get().status == "sent"
