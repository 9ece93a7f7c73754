"""Referrals: refused to an organisation that does not offer the service or a service that does not
cover the person's village; answered only by the receiving organisation's staff; state machine
transition by transition; overdue listing; nobody else sees them."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.http import Http404

from chumchon.care import plan_selectors as sel
from chumchon.care.models import Referral, ReferralStatus
from chumchon.care.services import plans as plan_svc
from chumchon.care.services import referrals as svc
from chumchon.care.tests.plan_fixtures import *  # noqa: F403
from chumchon.people.validation import today


@pytest.fixture
def referral(volunteer, person_a, home_care, agency_staff):
    return svc.referral_create(actor=volunteer, person_id=person_a.pk, service_id=home_care.pk,
                               reason="ติดเตียง ไม่มีผู้ดูแล ต้องการเยี่ยมบ้าน")


def test_referral_to_a_service_the_organisation_does_not_offer_is_refused(volunteer, person_a, home_care, far_service):
    with pytest.raises(ValidationError) as error:
        svc.referral_create(actor=volunteer, person_id=person_a.pk, service_id=home_care.pk,
                            organisation_id=far_service.organisation_id, reason="x")
    assert "service_id" in error.value.message_dict
    assert not Referral.objects.exists()


def test_referral_to_a_service_not_covering_the_village_is_refused(volunteer, person_a, far_service):
    with pytest.raises(ValidationError) as error:
        svc.referral_create(actor=volunteer, person_id=person_a.pk, service_id=far_service.pk, reason="x")
    assert "service_id" in error.value.message_dict


def test_referral_needs_a_reason_and_a_known_service(volunteer, person_a, home_care):
    with pytest.raises(ValidationError) as error:
        svc.referral_create(actor=volunteer, person_id=person_a.pk, service_id=home_care.pk, reason=" ")
    assert "reason" in error.value.message_dict
    with pytest.raises(ValidationError) as error:
        svc.referral_create(actor=volunteer, person_id=person_a.pk, service_id=999999, reason="x")
    assert "service_id" in error.value.message_dict


def test_outsider_cannot_refer_our_person(outsider, person_a, home_care):
    with pytest.raises(Http404):
        svc.referral_create(actor=outsider, person_id=person_a.pk, service_id=home_care.pk, reason="x")


def test_referral_answer_due_date_defaults_to_the_setting(referral, settings, volunteer, person_a, home_care):
    assert referral.answer_due_on == today() + timedelta(days=7)
    assert referral.status == ReferralStatus.SENT
    settings.REFERRAL_ANSWER_DAYS = 3
    other = svc.referral_create(actor=volunteer, person_id=person_a.pk, service_id=home_care.pk, reason="r")
    assert other.answer_due_on == today() + timedelta(days=3)


def test_accept_then_complete(referral, agency_staff):
    accepted = svc.referral_accept(actor=agency_staff, referral_id=referral.pk)
    assert accepted.status == ReferralStatus.ACCEPTED and accepted.answered_by == agency_staff
    with pytest.raises(ValidationError):  # accepted twice
        svc.referral_accept(actor=agency_staff, referral_id=referral.pk)
    with pytest.raises(ValidationError):  # declining an accepted referral
        svc.referral_decline(actor=agency_staff, referral_id=referral.pk, reason="x")
    with pytest.raises(ValidationError) as error:
        svc.referral_complete(actor=agency_staff, referral_id=referral.pk, outcome_note="")
    assert "outcome_note" in error.value.message_dict
    done = svc.referral_complete(actor=agency_staff, referral_id=referral.pk, outcome_note="จัด CG เยี่ยมสัปดาห์ละ 2 ครั้ง")
    assert done.status == ReferralStatus.COMPLETED and done.completed_by == agency_staff
    for move in (lambda: svc.referral_complete(actor=agency_staff, referral_id=referral.pk, outcome_note="x"),
                 lambda: svc.referral_accept(actor=agency_staff, referral_id=referral.pk)):
        with pytest.raises(ValidationError):
            move()


def test_decline_needs_a_reason_and_is_final(referral, agency_staff):
    with pytest.raises(ValidationError) as error:
        svc.referral_decline(actor=agency_staff, referral_id=referral.pk, reason="")
    assert "reason" in error.value.message_dict
    declined = svc.referral_decline(actor=agency_staff, referral_id=referral.pk, reason="เกินศักยภาพ ส่งต่อ รพ.")
    assert declined.status == ReferralStatus.DECLINED and declined.decline_reason
    with pytest.raises(ValidationError):
        svc.referral_accept(actor=agency_staff, referral_id=referral.pk)
    with pytest.raises(ValidationError):
        svc.referral_complete(actor=agency_staff, referral_id=referral.pk, outcome_note="x")


def test_a_completed_referral_cannot_be_completed_before_it_is_accepted(referral, agency_staff):
    with pytest.raises(ValidationError):
        svc.referral_complete(actor=agency_staff, referral_id=referral.pk, outcome_note="x")


def test_withdraw_by_the_area(referral, volunteer, agency_staff):
    with pytest.raises(ValidationError):
        svc.referral_withdraw(actor=volunteer, referral_id=referral.pk, reason="")
    assert svc.referral_withdraw(actor=volunteer, referral_id=referral.pk, reason="ย้ายไปอยู่กับลูก").status == \
        ReferralStatus.CANCELLED
    with pytest.raises(ValidationError):
        svc.referral_accept(actor=agency_staff, referral_id=referral.pk)


def test_only_the_receiving_organisation_answers(referral, volunteer, other_staff, outsider):
    with pytest.raises(ValidationError):  # the referrer's area sees it but cannot answer for the agency
        svc.referral_accept(actor=volunteer, referral_id=referral.pk)
    for user in (other_staff, outsider):
        with pytest.raises(Http404):
            svc.referral_accept(actor=user, referral_id=referral.pk)
        with pytest.raises(Http404):
            sel.referral_get(user=user, referral_id=referral.pk)
        assert not sel.referral_list(user=user).exists()


def test_agency_queue_and_referrer_see_it(referral, volunteer, agency_staff, officer, coordinator):
    assert list(sel.referral_list(user=agency_staff, queue=True)) == [referral]
    assert list(sel.referral_list(user=volunteer, referred_by=volunteer)) == [referral]
    assert sel.referral_get(user=officer, referral_id=referral.pk) == referral
    with pytest.raises(Http404):
        sel.referral_get(user=coordinator, referral_id=referral.pk)


def test_overdue_referrals_are_listed_until_answered(referral, volunteer, agency_staff):
    Referral.objects.filter(pk=referral.pk).update(answer_due_on=today() - timedelta(days=1))
    assert list(sel.referral_list(user=volunteer, overdue=True)) == [referral]
    svc.referral_accept(actor=agency_staff, referral_id=referral.pk)
    assert not sel.referral_list(user=volunteer, overdue=True).exists()


def test_an_action_links_to_its_referral(volunteer, person_a, home_care, agency_staff):
    plan = plan_svc.plan_open(actor=volunteer, person_id=person_a.pk)
    goal = plan_svc.goal_add(actor=volunteer, plan_id=plan.pk, problem="p", description="d", measure="evidence")
    action = plan_svc.action_add(actor=volunteer, goal_id=goal.pk, description="ส่งต่อ รพ.สต.")
    referral = svc.referral_create(actor=volunteer, person_id=person_a.pk, service_id=home_care.pk, reason="r",
                                   action_id=action.pk)
    action.refresh_from_db()
    assert action.referral == referral and action.organisation == home_care.organisation


def test_agency_reads_of_a_referral_are_logged_in_the_persons_area(referral, agency_staff, person_a):
    from chumchon.care.tests.plan_fixtures import login
    from chumchon.core.models import AuditEntry

    client = login(agency_staff)
    assert client.get("/care/referrals/queue/").status_code == 200
    assert client.get(f"/care/referrals/{referral.pk}/").status_code == 200
    verbs = set(AuditEntry.objects.filter(actor=agency_staff, area_code=person_a.area_id)
                .values_list("verb", flat=True))
    assert verbs == {"referral.list", "referral.view"}
