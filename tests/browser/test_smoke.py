"""The overview in Thai on a phone: the table and a chart that actually draws."""

from __future__ import annotations

import pytest

from chumchon.conftest import PASSWORD
from tests.browser.conftest import log_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


def test_officer_logs_in_and_sees_the_thai_overview_with_a_chart(phone, officer, person_a):
    log_in(phone, "officer", PASSWORD)
    assert phone.locator("html").get_attribute("lang") == "th"
    assert phone.locator("a.brand").inner_text().startswith("ชุมชน")
    assert "หมู่ 1 บ้านลำสินธุ์" in phone.locator("main").inner_text()
    canvas = phone.locator("canvas").first
    canvas.wait_for()
    # Chart.js has drawn when the canvas holds non-transparent pixels.
    drawn = phone.evaluate("""() => {
        const c = document.querySelector('canvas');
        const data = c.getContext('2d').getImageData(0, 0, c.width, c.height).data;
        for (let i = 3; i < data.length; i += 4) { if (data[i] !== 0) return true; }
        return false; }""")
    assert drawn


def test_outsider_sees_no_name_of_ours_on_any_page_they_open(phone, outsider, person_a):
    log_in(phone, "outsider", PASSWORD)
    for path in ["/", "/people/?q=ใจดี", f"/people/{person_a.pk}/", f"/households/{person_a.household_id}/"]:
        phone.goto(path)
        assert "สมศรี" not in phone.content(), path
