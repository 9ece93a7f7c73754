"""The demo tambon's network as the officer sees it: the graph of ลำสินธุ์ with its SAO, health
centre and welfare fund, the who-does-what matrix, and the gaps the demo leaves on purpose."""

from __future__ import annotations

from typing import Any

import pytest

from chumchon.conftest import PASSWORD
from chumchon.network.demo import load_demo_network
from chumchon.network.models import Organisation
from tests.browser.conftest import log_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


def test_officer_opens_the_demo_network_graph_and_matrix(phone: Any, officer: Any) -> None:
    load_demo_network(tambon_code="931104")
    visible = Organisation.objects.filter(is_active=True).count()
    assert visible >= 9

    page = phone
    log_in(page, officer.username, PASSWORD)
    page.goto("/network/graph/?area=931104")
    page.wait_for_selector("#network-graph canvas")
    page.wait_for_function("window.chumchonGraph && window.chumchonGraph.nodes().length >= 9")
    labels = page.evaluate("window.chumchonGraph.nodes().map(n => n.data('label'))")
    assert any("อบต.ลำสินธุ์" in label for label in labels)
    assert any("รพ.สต." in label for label in labels)
    assert page.evaluate("window.chumchonGraph.edges().length") >= 5

    page.goto("/network/matrix/?area=931104")
    matrix = page.locator("#network-matrix")
    matrix.wait_for()
    text = matrix.inner_text()
    assert "อบต.ลำสินธุ์" in text and "ผู้สูงอายุ" in text
    # Nobody in the demo repairs houses: the whole housing-repair column is empty.
    headers = page.locator("#network-matrix thead th").evaluate_all("cells => cells.map(c => c.dataset.kind || '')")
    column = headers.index("housing_repair")
    cells = page.locator("#network-matrix tbody tr").evaluate_all(
        f"rows => rows.map(r => r.children[{column}].innerText.trim())")
    assert cells and all(cell == "" for cell in cells)
