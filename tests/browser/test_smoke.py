from __future__ import annotations

import pytest

from chumchon.conftest import PASSWORD
from tests.browser.conftest import log_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


def test_officer_logs_in_and_sees_the_thai_overview(page, officer):
    log_in(page, "officer", PASSWORD)
    assert page.locator("html").get_attribute("lang") == "th"
    assert page.locator("a.brand").inner_text().startswith("ชุมชน")
