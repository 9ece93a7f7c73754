"""The care loop end to end: a bed-bound elder with no caregiver is assessed → the alert reaches the
officer's inbox → the officer acknowledges, opens a care plan from the problems found and refers her
to the health-promoting hospital's home care → the hospital's nurse sees it in her queue, accepts
and records what was done → the volunteer sees the answer on her phone → a re-assessment with a
better score → the goal shows as met, before and after side by side.

Field steps run on a phone viewport, office steps on a laptop viewport."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from chumchon.accounts.roles import Role
from chumchon.care.models import CarePlan, Goal, Outcome, Referral, ReferralStatus
from chumchon.conftest import PASSWORD, TAMBON, make_user
from chumchon.network.models import OrganisationStaff
from chumchon.people.validation import today
from chumchon.visits.services.assessments import assessment_record
from chumchon.visits.tests.test_api_assessments import barthel
from tests.browser.conftest import log_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


@pytest.fixture
def laptop(phone: Any, live_server: Any) -> Iterator[Any]:
    """A second browser context in the same Chromium: an office laptop."""
    context = phone.context.browser.new_context(base_url=live_server.url, locale="th-TH",
                                                viewport={"width": 1366, "height": 800})
    context.set_default_timeout(10_000)
    errors: list[str] = []
    page = context.new_page()
    page.on("pageerror", lambda error: errors.append(str(error)))
    yield page
    context.close()
    assert errors == [], f"JavaScript errors on the laptop: {errors}"


def log_out(page: Any) -> None:
    page.context.clear_cookies()


def test_flagged_assessment_to_goal_met(phone, laptop, volunteer, officer, person_a):
    from chumchon.care.tests.plan_fixtures import make_service

    home_care = make_service("รพ.สต.ลำสินธุ์", TAMBON)
    nurse = make_user("nurse", Role.AGENCY_STAFF, TAMBON, display_name="พยาบาล รพ.สต.")
    OrganisationStaff.objects.create(organisation=home_care.organisation, user=nurse)

    # Field: the volunteer's assessment finds a bed-bound elder with no caregiver (ADL 2).
    assessment_record(actor=volunteer, instrument_code="barthel_adl", answers=barthel(2, "none"),
                      assessed_on=today(), person_id=person_a.pk)

    # Office: the alert is in the officer's inbox; she acknowledges it.
    log_in(laptop, "officer", PASSWORD)
    laptop.goto("/alerts/")
    row = laptop.locator(".alert-list li.alert", has_text="สมศรี")
    assert "ติดเตียงและไม่มีผู้ดูแล" in row.inner_text()
    row.locator("form[action$='/acknowledge/'] button").click()
    laptop.locator(".alert-list li.alert", has_text="สมศรี").locator(
        "form[action$='/acknowledge/']").wait_for(state="detached")

    # She opens a long-term care plan from the problems the assessment found.
    laptop.goto(f"/people/{person_a.pk}/")
    laptop.locator(f"#care-plans a[href='/people/{person_a.pk}/plans/new/']").click()
    laptop.select_option("#id_kind", "ltc")
    for box in laptop.locator("input[name=proposal]").all():
        if box.get_attribute("value") != "barthel_adl:bed_bound":
            box.uncheck()
    laptop.locator("form button[type=submit].primary").click()
    laptop.wait_for_url("**/care/plans/*/")
    plan = CarePlan.objects.get(person=person_a)
    goal = Goal.objects.get(plan=plan)
    assert goal.baseline_classification == "bed_bound" and goal.outcome == Outcome.PENDING

    # She refers her to the hospital's home care, chosen from the services that match.
    laptop.locator(f"a[href='/people/{person_a.pk}/referrals/new/']").first.click()
    laptop.select_option("#id_need", "care_at_home")
    laptop.locator("form[method=get] button[type=submit]").click()
    assert laptop.locator(f"#svc-{home_care.pk}").is_checked()
    laptop.fill("#id_reason", "ติดเตียง ไม่มีผู้ดูแล ขอพยาบาลเยี่ยมบ้านและจัดหาผู้ดูแล")
    laptop.locator("form[method=post] button[type=submit].primary").click()
    laptop.wait_for_url("**/care/referrals/*/")
    referral = Referral.objects.get(person=person_a)
    assert referral.organisation == home_care.organisation
    log_out(laptop)

    # The nurse sees it in her organisation's queue, accepts it and records what was done.
    log_in(laptop, "nurse", PASSWORD)
    laptop.locator("a.referral-queue-link").click()
    laptop.locator(f"#referral-{referral.pk} a").click()
    laptop.locator("form[action$='/accept/'] button").click()
    laptop.locator("#referral-status").wait_for()
    laptop.fill("#outcome-note", "จัดผู้ดูแล (CG) เยี่ยมสัปดาห์ละ 2 ครั้ง ทำกายภาพที่บ้าน")
    laptop.locator("form[action$='/complete/'] button").click()
    laptop.locator("#referral-outcome").wait_for()
    assert Referral.objects.get(pk=referral.pk).status == ReferralStatus.COMPLETED

    # Field: the volunteer sees the answer on the person page, on her phone.
    log_in(phone, "vol_a", PASSWORD)
    phone.goto(f"/people/{person_a.pk}/")
    section = phone.locator("#care-plans")
    assert "จัดผู้ดูแล (CG) เยี่ยมสัปดาห์ละ 2 ครั้ง" in section.inner_text()

    # Months later, a re-assessment with a better score (ADL 15, a family caregiver).
    assessment_record(actor=volunteer, instrument_code="barthel_adl", answers=barthel(15, "family"),
                      assessed_on=today(), person_id=person_a.pk)
    phone.reload()
    assert phone.locator("#care-plans .outcome-met").count() == 1
    before_after = phone.locator("#care-plans .before-after").first.inner_text()
    assert "ติดเตียง" in before_after and "ติดสังคม" in before_after  # bed-bound (2) → social-bound (15)
    assert Goal.objects.get(pk=goal.pk).outcome == Outcome.MET
