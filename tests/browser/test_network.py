"""The network on a phone: the tambon officer opens the graph of ลำสินธุ์, taps an organisation and
reads its services; the who-does-what matrix has the organisation in the right cell."""

from __future__ import annotations

from typing import Any

import pytest

from chumchon.conftest import PASSWORD
from chumchon.network.models import Relation
from chumchon.network.tests.test_analysis_selectors import org, service
from tests.browser.conftest import log_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


def test_officer_sees_the_network_graph_and_the_matrix(phone: Any, officer: Any) -> None:
    sao = org("อบต.ลำสินธุ์", "sao", "931104")
    hph = org("รพ.สต.ลำสินธุ์", "health_promoting_hospital", "93110401")
    office = org("พมจ.พัทลุง", "provincial_office", "93")
    service(sao, "เบี้ยยังชีพผู้สูงอายุ", ["elders"], ["money"], ["931104"])
    service(hph, "เยี่ยมบ้านผู้ป่วยติดเตียง", ["patients"], ["care_at_home"], ["93110401"], capacity=40)
    Relation.objects.create(source=office, target=sao, kind="funds")
    Relation.objects.create(source=sao, target=hph, kind="supports")

    page = phone
    log_in(page, officer.username, PASSWORD)
    page.goto("/network/graph/?area=931104")
    page.wait_for_selector("#network-graph canvas")
    page.wait_for_function("window.chumchonGraph && window.chumchonGraph.nodes().length === 3")
    assert page.evaluate("window.chumchonGraph.edges().length") == 2
    assert page.locator("#network-legend li").count() == 3
    page.evaluate(f"window.chumchonGraph.getElementById('o{hph.pk}').emit('tap')")
    panel = page.locator("#network-panel")
    panel.get_by_text("เยี่ยมบ้านผู้ป่วยติดเตียง").wait_for()
    assert "รพ.สต.ลำสินธุ์" in panel.inner_text()

    page.select_option("#id_support_kind", "money")
    page.wait_for_url(lambda url: "support_kind=money" in url)
    page.wait_for_function("window.chumchonGraph && window.chumchonGraph.nodes().length === 1")
    assert page.evaluate("window.chumchonGraph.nodes()[0].data('label')") == "อบต.ลำสินธุ์"

    page.goto("/network/matrix/?area=931104")
    headers = page.locator("#network-matrix thead th").evaluate_all("cells => cells.map(c => c.dataset.kind || '')")
    column = headers.index("money")
    cell = page.locator("#network-matrix tr[data-group=elders] > *").nth(column)
    assert cell.inner_text().strip() == "อบต.ลำสินธุ์"
    empty = page.locator("#network-matrix tr[data-group=youth] > *").nth(column)
    assert "empty" in (empty.get_attribute("class") or "")
