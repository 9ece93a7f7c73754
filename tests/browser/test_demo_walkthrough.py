"""The demo as its users meet it, on a phone: the health centre's nurse (agency_staff) finds the
overdue referral in her queue and accepts it; the tambon officer finds the pairs the imported lists
left for review, each showing which list its record came from."""

from __future__ import annotations

from io import StringIO
from typing import Any

import pytest
from django.core.management import call_command

from chumchon.care.models import Referral, ReferralStatus
from chumchon.core.management.commands.demo import LOGINS
from chumchon.linkage.demo import ALLOWANCE_LIST, ELDER_REGISTER
from chumchon.linkage.models import CandidateStatus, MatchCandidate
from chumchon.people.validation import today
from tests.browser.conftest import log_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

PASSWORDS = {login.username: login.password for login in LOGINS}


@pytest.fixture
def demo(settings: Any) -> None:
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    call_command("demo", "--people", "600", "--seed", "7", stdout=StringIO(), stderr=StringIO())


def test_nurse_accepts_the_overdue_referral_from_her_queue(demo: None, phone: Any) -> None:
    overdue = Referral.objects.get(status=ReferralStatus.SENT, answer_due_on__lt=today())
    log_in(phone, "agency_staff", PASSWORDS["agency_staff"])
    phone.goto("/care/referrals/queue/")
    row = phone.locator(f"#referral-{overdue.pk}")
    assert "เกินกำหนด" in row.inner_text()
    assert phone.locator("li.result-row").count() >= 2  # to do: the overdue one and an accepted one
    row.locator("a").click()
    phone.locator("form[action$='/accept/'] button").click()
    phone.wait_for_url(f"**/care/referrals/{overdue.pk}/")
    assert phone.locator("#referral-status").inner_text() == "รับเรื่องแล้ว"
    assert Referral.objects.get(pk=overdue.pk).status == ReferralStatus.ACCEPTED


def test_officer_sees_the_imported_lists_pairs_waiting_for_review(demo: None, phone: Any) -> None:
    pending = MatchCandidate.objects.filter(status=CandidateStatus.PENDING)
    assert pending.exists()
    log_in(phone, "tambon_officer", PASSWORDS["tambon_officer"])
    phone.goto("/linkage/review/")
    pair = phone.locator(f"#pair-{pending.order_by('-score', 'pk').first().pk}")  # type: ignore[union-attr]
    assert pair.locator(".person-side").count() == 2
    text = pair.inner_text()
    assert ELDER_REGISTER in text or ALLOWANCE_LIST in text
    phone.goto("/imports/")
    page = phone.locator("main").inner_text()
    assert ELDER_REGISTER in page and ALLOWANCE_LIST in page
