"""/api/v1/plans and /api/v1/referrals: the same services and scoping as the pages, 422 naming the
field and reason, 404 for outsiders with nothing in their lists."""

from __future__ import annotations

from datetime import timedelta

from chumchon.api.testing import api_client
from chumchon.care.models import CarePlan, Referral
from chumchon.care.tests.plan_fixtures import *  # noqa: F403
from chumchon.care.tests.plan_fixtures import record_barthel
from chumchon.people.validation import today


def test_plan_loop_through_the_api(volunteer, care_manager, person_a, home_care):
    record_barthel(volunteer, person_a, "low", today() - timedelta(days=5))
    client = api_client(volunteer)
    proposals = client.api_get("/plans/proposals", person=person_a.pk)
    assert proposals.status_code == 200, proposals.content
    codes = {p["source_code"] for p in proposals.json()}
    assert "barthel_adl:bed_bound" in codes and "barthel_adl:bedbound_no_caregiver" in codes
    assert "right:id_card" in codes
    opened = client.api_post("/plans", {"person_id": person_a.pk, "kind": "ltc"})
    assert opened.status_code == 201, opened.content
    plan_id = opened.json()["id"]
    goal = client.api_post(f"/plans/{plan_id}/goals", {
        "problem": "ติดเตียง", "description": "ADL ≥ 9", "measure": "score", "instrument_code": "barthel_adl",
        "comparison": ">=", "target_score": "9", "support_kind": "care_at_home"})
    assert goal.status_code == 201, goal.content
    assert goal.json()["baseline_score"] == "2.00" or float(goal.json()["baseline_score"]) == 2
    action = client.api_post(f"/plans/goals/{goal.json()['id']}/actions", {
        "description": "เยี่ยมบ้าน", "service_id": home_care.pk, "fund_source": "กองทุน LTC"})
    assert action.status_code == 201 and action.json()["organisation_id"] == home_care.organisation_id
    assert client.api_post(f"/plans/{plan_id}/submit").json()["status"] == "submitted"
    own = client.api_post(f"/plans/{plan_id}/approve")
    assert own.status_code == 422 and own.json()["detail"][0]["loc"] == ["body", "status"]
    approved = api_client(care_manager).api_post(f"/plans/{plan_id}/approve")
    assert approved.status_code == 200 and approved.json()["status"] == "approved"
    review = client.api_post(f"/plans/{plan_id}/reviews", {"note": "ดีขึ้น"})
    assert review.status_code == 201
    detail = client.api_get(f"/plans/{plan_id}").json()
    assert detail["status"] == "under_review" and len(detail["goals"][0]["actions"]) == 1
    assert detail["reviews"][0]["note"] == "ดีขึ้น"
    listed = client.api_get("/plans", person=person_a.pk).json()
    assert [p["id"] for p in listed["items"]] == [plan_id]


def test_bad_goal_answers_422_with_the_field(volunteer, person_a):
    client = api_client(volunteer)
    plan_id = client.api_post("/plans", {"person_id": person_a.pk}).json()["id"]
    response = client.api_post(f"/plans/{plan_id}/goals", {"problem": "x", "description": "y", "measure": "score",
                                                           "instrument_code": "barthel_adl", "comparison": ">="})
    assert response.status_code == 422
    assert response.json()["detail"][0]["loc"] == ["body", "target_score"]


def test_outsider_gets_404_on_plans_and_sees_nothing(volunteer, outsider, coordinator, person_a):
    plan = api_client(volunteer).api_post("/plans", {"person_id": person_a.pk}).json()
    for user in (outsider, coordinator):
        client = api_client(user)
        assert client.api_get(f"/plans/{plan['id']}").status_code == 404
        assert client.api_post(f"/plans/{plan['id']}/submit").status_code == 404
        assert client.api_get("/plans").json()["items"] == []
        assert client.api_get("/plans/proposals", person=person_a.pk).status_code == 404
        assert client.api_post("/plans", {"person_id": person_a.pk, "kind": "ltc"}).status_code == 404
    assert CarePlan.objects.count() == 1


def test_referral_loop_through_the_api(volunteer, person_a, home_care, agency_staff, far_service):
    client = api_client(volunteer)
    wrong = client.api_post("/referrals", {"person_id": person_a.pk, "service_id": far_service.pk, "reason": "x"})
    assert wrong.status_code == 422 and wrong.json()["detail"][0]["loc"] == ["body", "service_id"]
    sent = client.api_post("/referrals", {"person_id": person_a.pk, "service_id": home_care.pk,
                                          "reason": "ต้องการผู้ดูแล"})
    assert sent.status_code == 201, sent.content
    referral_id = sent.json()["id"]
    agency = api_client(agency_staff)
    queue = agency.api_get("/referrals", queue="true").json()["items"]
    assert [r["id"] for r in queue] == [referral_id]
    no_reason = agency.api_post(f"/referrals/{referral_id}/decline", {"reason": ""})
    assert no_reason.status_code == 422 and no_reason.json()["detail"][0]["loc"] == ["body", "reason"]
    assert agency.api_post(f"/referrals/{referral_id}/accept").json()["status"] == "accepted"
    done = agency.api_post(f"/referrals/{referral_id}/complete", {"outcome_note": "จัดผู้ดูแลแล้ว"})
    assert done.status_code == 200 and done.json()["status"] == "completed"
    mine = client.api_get("/referrals", mine="true").json()["items"]
    assert mine[0]["status"] == "completed" and mine[0]["outcome_note"] == "จัดผู้ดูแลแล้ว"


def test_outsider_and_other_agency_get_404_on_referrals(volunteer, person_a, home_care, outsider, other_staff):
    referral = api_client(volunteer).api_post("/referrals", {"person_id": person_a.pk, "service_id": home_care.pk,
                                                             "reason": "r"}).json()
    for user in (outsider, other_staff):
        client = api_client(user)
        assert client.api_get(f"/referrals/{referral['id']}").status_code == 404
        assert client.api_post(f"/referrals/{referral['id']}/accept").status_code == 404
        assert client.api_get("/referrals").json()["items"] == []
        assert client.api_get("/referrals", queue="true").json()["items"] == []
    assert Referral.objects.get().status == "sent"
