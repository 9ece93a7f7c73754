"""The referral page shows each answer button only in the state where it works: accept/decline to the
receiving agency while waiting, "record as done" once accepted, withdraw to the person's area while the
referral is open; nothing once it is declined, done or withdrawn. Outsiders get 404."""

from __future__ import annotations

import pytest

from chumchon.care.models import Referral, ReferralStatus
from chumchon.care.services import referrals as svc
from chumchon.care.tests.plan_fixtures import *  # noqa: F403
from chumchon.care.tests.plan_fixtures import login

ACCEPT, DECLINE, COMPLETE, WITHDRAW = "/accept/", "/decline/", "/complete/", "/withdraw/"
ALL = (ACCEPT, DECLINE, COMPLETE, WITHDRAW)


@pytest.fixture
def referral(volunteer, person_a, home_care):
    return svc.referral_create(actor=volunteer, person_id=person_a.pk, service_id=home_care.pk, reason="ติดเตียง")


def _to(referral, status):
    Referral.objects.filter(pk=referral.pk).update(status=status)


def _page(user, referral):
    response = login(user).get(f"/care/referrals/{referral.pk}/")
    assert response.status_code == 200
    html = response.content.decode()
    return response, {move for move in ALL if f'/care/referrals/{referral.pk}{move}"' in html}


EXPECTED = {
    ReferralStatus.SENT: ({ACCEPT, DECLINE}, {WITHDRAW}),
    ReferralStatus.ACCEPTED: ({COMPLETE}, {WITHDRAW}),
    ReferralStatus.DECLINED: (set(), set()),
    ReferralStatus.COMPLETED: (set(), set()),
    ReferralStatus.CANCELLED: (set(), set()),
}


@pytest.mark.parametrize("status", list(EXPECTED))
def test_each_status_shows_only_the_buttons_that_work(status, referral, agency_staff, volunteer):
    _to(referral, status)
    agency_moves, village_moves = EXPECTED[status]
    agency_response, agency_buttons = _page(agency_staff, referral)
    village_response, village_buttons = _page(volunteer, referral)
    assert agency_buttons == agency_moves
    assert village_buttons == village_moves
    assert village_response.context["may_withdraw"] is (WITHDRAW in village_moves)
    assert agency_response.context["may_accept"] is (ACCEPT in agency_moves)
    assert agency_response.context["may_complete"] is (COMPLETE in agency_moves)


def test_a_closed_referral_offers_the_village_no_withdraw_flag(referral, volunteer):
    _to(referral, ReferralStatus.COMPLETED)
    response, buttons = _page(volunteer, referral)
    assert response.context["may_withdraw"] is False and buttons == set()
    assert response.context["planner"] is True  # still links to the person and the plan


def test_outsider_and_other_agency_get_404_for_the_referral_page(referral, outsider, other_staff):
    for user in (outsider, other_staff):
        assert login(user).get(f"/care/referrals/{referral.pk}/").status_code == 404
