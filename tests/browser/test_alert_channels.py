"""On a phone: the officer adds a LINE id on "my alert channels"; an alert raised in the village
goes out through the worker to the fake LINE server; the alert page shows it sent; the officer
acknowledges it, and the time shows on the alert times page."""

from __future__ import annotations

from typing import Any

import pytest
from django.core.management import call_command

from chumchon.care import services
from chumchon.care.models import AlertChannel
from chumchon.care.tests.fakes import LINE_TOKEN, fake_http
from chumchon.conftest import PASSWORD
from tests.browser.conftest import log_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]
LINE_ID = "U" + "c" * 32


def test_officer_sets_line_receives_the_alert_and_acknowledges_it(phone: Any, settings: Any, volunteer: Any,
                                                                 officer: Any, village_a: Any, person_a: Any) -> None:
    with fake_http(line=True) as line:
        settings.LINE_CHANNEL_TOKEN, settings.LINE_API_BASE = LINE_TOKEN, line.url
        log_in(phone, "officer", PASSWORD)
        phone.goto("/alerts/")
        phone.locator("a[href='/alerts/channels/']").click()
        phone.wait_for_url("**/alerts/channels/")
        phone.fill("#id_line_id", "somchai.line")  # a LINE name, not an id: refused with a reason
        phone.click("button[type=submit].primary")
        phone.locator(".has-error #id_line_id").wait_for()  # the page comes back with the reason
        assert phone.locator(".has-error #id_line_id").count() == 1
        phone.fill("#id_line_id", LINE_ID)
        with phone.expect_navigation():  # wait for the saved page, not the one still on screen
            phone.click("button[type=submit].primary")
        assert phone.locator(".has-error #id_line_id").count() == 0
        assert phone.input_value("#id_line_id") == LINE_ID
        assert AlertChannel.objects.filter(user=officer, kind="line", target=LINE_ID).exists()

        alert = services.alert_raise(actor=volunteer, person_id=person_a.pk, title="ผู้สูงอายุล้ม ไม่มีคนดูแล",
                                     severity="urgent")
        phone.goto(f"/alerts/{alert.pk}/")
        assert "รอส่ง" in phone.locator("#deliveries").inner_text()  # planned, not sent yet
        call_command("worker", "--once")
        assert [r.body["to"] for r in line.received] == [LINE_ID] and line.problems == []

        phone.reload()
        assert "ส่งแล้ว" in phone.locator("#deliveries").inner_text()
        phone.locator("form[action$='/acknowledge/'] button").first.click()
        phone.locator(".alert-status", has_text="รับทราบแล้ว").first.wait_for()

        phone.goto("/alerts/")
        phone.locator("a[href='/alerts/stats/']").click()
        phone.wait_for_url("**/alerts/stats/")
        row = phone.locator(f"#stats-villages tr[data-area='{village_a.code}']")
        cells = row.locator("td").all_inner_texts()
        assert cells[:2] == ["1", "1"] and "นาที" in cells[2]  # raised, acknowledged, minutes to acknowledge
