"""/care/outcomes/: per target group, people with a plan and goals met; who waited longest. Names only
to those who may see them; 1–4 reads "<5" to others; outsiders get 404."""

from __future__ import annotations

from datetime import timedelta

import pytest

from chumchon.care.outcome_selectors import DEPENDENT, tambon_outcomes
from chumchon.care.services import plans as svc
from chumchon.care.services import referrals as ref_svc
from chumchon.care.tests.plan_fixtures import *  # noqa: F403
from chumchon.care.tests.plan_fixtures import login, record_barthel
from chumchon.people.selectors import Group
from chumchon.people.validation import today


@pytest.fixture
def planned(volunteer, care_manager, person_a, home_care):
    record_barthel(volunteer, person_a, "low", today() - timedelta(days=20))
    plan = svc.plan_open(actor=volunteer, person_id=person_a.pk)
    svc.goal_add(actor=volunteer, plan_id=plan.pk, problem="ADL", description="ADL ≥ 9", measure="score",
                 instrument_code="barthel_adl", comparison=">=", target_score=9)
    svc.goal_add(actor=volunteer, plan_id=plan.pk, problem="บ้าน", description="ซ่อมหลังคา", measure="evidence")
    svc.plan_submit(actor=volunteer, plan_id=plan.pk)
    svc.plan_approve(actor=care_manager, plan_id=plan.pk)
    record_barthel(volunteer, person_a, "better", today())
    return plan


def test_officer_sees_counts_per_group_and_the_person_waiting(officer, planned, person_a):
    result = tambon_outcomes(user=officer, area_code="931104")
    groups = {g.code: g for g in result.groups}
    assert groups[Group.ELDER].people == 1 and groups[Group.ELDER].with_plan == 1
    assert (groups[Group.ELDER].goals_met, groups[Group.ELDER].goals_total) == (1, 2)
    assert groups[DEPENDENT].people == 0  # no longer dependent after the better re-assessment
    assert [w.name for w in result.waiting] == [person_a.full_name]
    assert result.waiting[0].what == "ซ่อมหลังคา"


def test_unanswered_referral_counts_as_waiting(officer, volunteer, person_a, home_care):
    ref_svc.referral_create(actor=volunteer, person_id=person_a.pk, service_id=home_care.pk, reason="r")
    waiting = tambon_outcomes(user=officer, area_code="931104").waiting
    assert waiting[0].kind == "referral" and waiting[0].what == home_care.name


def test_coordinator_sees_small_counts_as_hidden_and_no_waiting_list(coordinator, planned):
    result = tambon_outcomes(user=coordinator, area_code="931104")
    elders = next(g for g in result.groups if g.code == Group.ELDER)
    assert elders.people is None and elders.with_plan is None
    assert result.waiting == [] and not result.waiting_shown
    html = login(coordinator).get("/care/outcomes/?area=931104").content.decode()
    assert "&lt;5" in html and "สมศรี" not in html
    assert 'id="waiting"' not in html and 'id="waited-longest"' not in html and "ซ่อมหลังคา" not in html


def test_coordinator_gets_no_waiting_list_for_their_whole_province(coordinator, planned):
    result = tambon_outcomes(user=coordinator)
    assert result.waiting == [] and not result.waiting_shown


def test_volunteer_sees_only_the_people_of_their_own_village_waiting(volunteer, planned, person_a, officer,
                                                                     village_b):
    from chumchon.people.services import household_create, person_create

    house = household_create(actor=officer, area_code=village_b.code, house_no="7", road="สายกลาง")
    other = person_create(actor=officer, household=house, title="นาย", first_name="สมชาย", last_name="มีสุข",
                          sex="male", birth_date="01/01/2490", national_id="3100100001231", relation_to_head="head")
    other_plan = svc.plan_open(actor=officer, person_id=other.pk)
    svc.goal_add(actor=officer, plan_id=other_plan.pk, problem="บ้าน", description="ทำทางลาด", measure="evidence")
    officer_sees = {w.person_id for w in tambon_outcomes(user=officer, area_code="931104").waiting}
    assert officer_sees == {person_a.pk, other.pk}
    result = tambon_outcomes(user=volunteer, area_code="931104")
    assert result.waiting_shown and [w.person_id for w in result.waiting] == [person_a.pk]


def test_outsider_gets_404_for_our_tambon_and_sees_nothing_of_it(outsider, planned):
    assert login(outsider).get("/care/outcomes/?area=931104").status_code == 404
    own = tambon_outcomes(user=outsider)
    assert all(not g.people and not g.with_plan for g in own.groups) and own.waiting == []
