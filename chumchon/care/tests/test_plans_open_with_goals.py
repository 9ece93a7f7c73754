"""Opening a plan with its proposed goals is all or nothing: a refused goal leaves no half-made draft
behind, and a kind of support that was switched off is no longer proposed."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError

from chumchon.api.testing import api_client
from chumchon.care.models import CarePlan, Goal
from chumchon.care.plan_selectors import plan_proposals
from chumchon.care.services import plans as svc
from chumchon.care.tests.plan_fixtures import *  # noqa: F403
from chumchon.care.tests.plan_fixtures import login, record_barthel
from chumchon.network.models import Term, Vocabulary
from chumchon.people.validation import today

BED_BOUND = "barthel_adl:bed_bound"


@pytest.fixture
def assessed(volunteer, person_a):
    record_barthel(volunteer, person_a, "low", today() - timedelta(days=3))
    return person_a


def _deactivate_kind_of(user, person, source_code):
    proposal = next(p for p in plan_proposals(user=user, person_id=person.pk) if p.source_code == source_code)
    assert proposal.support_kind, "the fixture proposal should carry a kind of support"
    Term.objects.filter(vocabulary=Vocabulary.SUPPORT_KIND, code=proposal.support_kind).update(is_active=False)
    return proposal.support_kind


def test_switched_off_kind_of_support_is_not_proposed(volunteer, assessed):
    code = _deactivate_kind_of(volunteer, assessed, BED_BOUND)
    kinds = {term.code for p in plan_proposals(user=volunteer, person_id=assessed.pk) for term in p.support_kinds}
    assert code not in kinds


def test_opening_a_plan_with_a_switched_off_kind_leaves_no_half_made_plan(volunteer, assessed):
    _deactivate_kind_of(volunteer, assessed, BED_BOUND)
    client = login(volunteer)
    response = client.post(f"/people/{assessed.pk}/plans/new/", {"kind": "ltc", "proposal": [BED_BOUND]})
    plan = CarePlan.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/care/plans/{plan.pk}/"
    assert list(plan.goals.values_list("source_code", flat=True)) == [BED_BOUND]


def test_a_refused_goal_leaves_no_draft_plan_and_a_retry_works(volunteer, assessed, monkeypatch):
    real_goal_add = svc.goal_add

    def refusing(**kwargs):
        if kwargs["source_code"] == "right:id_card":
            raise ValidationError({"support_kind": "refused"})
        return real_goal_add(**kwargs)

    monkeypatch.setattr(svc, "goal_add", refusing)
    client = login(volunteer)
    page = client.post(f"/people/{assessed.pk}/plans/new/", {"kind": "ltc", "proposal": [BED_BOUND, "right:id_card"]})
    assert page.status_code == 200 and "msg-error" in page.content.decode()
    assert not CarePlan.objects.exists() and not Goal.objects.exists()
    monkeypatch.setattr(svc, "goal_add", real_goal_add)
    retry = client.post(f"/people/{assessed.pk}/plans/new/", {"kind": "ltc", "proposal": [BED_BOUND, "right:id_card"]})
    plan = CarePlan.objects.get()
    assert retry.status_code == 302
    assert sorted(plan.goals.values_list("source_code", flat=True)) == [BED_BOUND, "right:id_card"]


def test_a_chosen_problem_no_longer_proposed_is_refused_without_a_plan(volunteer, assessed):
    with pytest.raises(ValidationError) as refused:
        svc.plan_open_with_goals(actor=volunteer, person_id=assessed.pk, kind="ltc", proposals=["nothing:such"])
    assert "proposals" in refused.value.message_dict
    assert not CarePlan.objects.exists()


def test_api_opens_a_plan_with_its_goals_all_or_nothing(volunteer, assessed, monkeypatch):
    client = api_client(volunteer)
    refused = client.api_post("/plans", {"person_id": assessed.pk, "kind": "ltc", "proposals": ["nothing:such"]})
    assert refused.status_code == 422 and refused.json()["detail"][0]["loc"] == ["body", "proposals"]
    assert not CarePlan.objects.exists()
    opened = client.api_post("/plans", {"person_id": assessed.pk, "kind": "ltc", "proposals": [BED_BOUND]})
    assert opened.status_code == 201, opened.content
    assert [goal["source_code"] for goal in opened.json()["goals"]] == [BED_BOUND]


def test_outsider_gets_404_opening_a_plan_with_goals(outsider, assessed):
    response = api_client(outsider).api_post("/plans", {"person_id": assessed.pk, "proposals": [BED_BOUND]})
    assert response.status_code == 404
    assert login(outsider).post(f"/people/{assessed.pk}/plans/new/", {"proposal": [BED_BOUND]}).status_code == 404
    assert not CarePlan.objects.exists()
