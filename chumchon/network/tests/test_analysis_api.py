"""The network analysis API (/api/v1/network/…, /api/v1/services/match) and pages (/network/…)
on the hand-built network of test_analysis_selectors."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

from chumchon.network.tests.test_analysis_selectors import build_network


@pytest.fixture
def net(officer: Any, outsider: Any, household_a: Any, village_b: Any, other_village: Any) -> Any:
    return build_network(officer, outsider, household_a, village_b, other_village)


def client_for(user: Any) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_api_needs_a_caller(db: Any) -> None:
    for path in ("/api/v1/network/graph", "/api/v1/network/matrix", "/api/v1/network/gaps",
                 "/api/v1/services/match?person=1&need=money"):
        assert Client().get(path).status_code == 401


def test_api_graph_lists_nodes_and_edges(net: Any, officer: Any) -> None:
    response = client_for(officer).get("/api/v1/network/graph?area=931104&support_kind=rehabilitation")
    assert response.status_code == 200
    body = response.json()
    assert body["area"] == "931104"
    assert [node["label"] for node in body["nodes"]] == ["โรงพยาบาลศรีนครินทร์"]
    assert body["nodes"][0]["services"][0]["name"] == "กายภาพบำบัด"


def test_api_graph_defaults_to_the_callers_tambon(net: Any, officer: Any) -> None:
    body = client_for(officer).get("/api/v1/network/graph").json()
    assert body["area"] == "931104"
    assert {edge["kind"] for edge in body["edges"]} == {"funds", "reports_to"}


def test_api_matrix_gives_the_cells_with_organisations(net: Any, officer: Any) -> None:
    body = client_for(officer).get("/api/v1/network/matrix?area=931104").json()
    cells = {(cell["target_group"], cell["support_kind"]): cell["organisations"] for cell in body["cells"]}
    assert cells[("elders", "money")] == ["อบต.ลำสินธุ์"]
    assert body["target_groups"][0] == {"code": "young_children", "label": "เด็กปฐมวัย"}


def test_api_gaps_count_people_and_hide_small_counts_without_names(net: Any, officer: Any,
                                                                   coordinator: Any) -> None:
    body = client_for(officer).get("/api/v1/network/gaps?area=931104").json()
    assert body["gaps"][0]["target_group"]["code"] == "elders"
    assert body["gaps"][0]["support_kind"]["code"] == "rehabilitation"
    assert body["gaps"][0]["people"] == 2
    assert body["duplication"][0]["organisations"] == ["พมจ.พัทลุง", "รพ.สต.ลำสินธุ์", "โรงพยาบาลศรีนครินทร์"]
    hidden = client_for(coordinator).get("/api/v1/network/gaps?area=931104").json()
    assert {gap["people"] for gap in hidden["gaps"]} == {None}


def test_api_match_ranks_services_best_first(net: Any, officer: Any) -> None:
    response = client_for(officer).get(f"/api/v1/services/match?person={net.bedbound.pk}&need=care_at_home")
    assert response.status_code == 200
    body = response.json()
    assert [row["service_id"] for row in body] == [net.home_visit.pk, net.hospital_visit.pk, net.office_care.pk,
                                                   net.ngo_care.pk]
    assert body[0]["rank"] == 1
    assert body[0]["organisation"] == "รพ.สต.ลำสินธุ์"
    assert body[0]["exact_target_group"] is True
    assert body[-1]["exact_target_group"] is False


def test_api_match_refuses_an_unknown_need_with_422(net: Any, officer: Any) -> None:
    response = client_for(officer).get(f"/api/v1/services/match?person={net.bedbound.pk}&need=magic")
    assert response.status_code == 422
    assert response.json()["detail"][0]["loc"] == ["query", "need"]


def test_api_outsider_gets_404(net: Any, outsider: Any) -> None:
    client = client_for(outsider)
    assert client.get(f"/api/v1/services/match?person={net.bedbound.pk}&need=care_at_home").status_code == 404
    for path in ("/api/v1/network/graph?area=931104", "/api/v1/network/matrix?area=931104",
                 "/api/v1/network/gaps?area=931104"):
        assert client.get(path).status_code == 404
    own = client.get("/api/v1/network/graph?area=931101").json()
    assert "อบต.ลำสินธุ์" not in {node["label"] for node in own["nodes"]}


# --- pages ------------------------------------------------------------------


def test_graph_page_carries_the_graph_data_and_the_vendored_script(net: Any, officer: Any) -> None:
    response = client_for(officer).get("/network/graph/?area=931104")
    assert response.status_code == 200
    html = response.content.decode()
    assert 'id="network-data"' in html
    assert "vendor/cytoscape/cytoscape.min.js" in html
    assert "อบต.ลำสินธุ์" in html
    assert "<script>" not in html.replace('<script src=', '')


def test_graph_page_filters_by_kind_of_support(net: Any, officer: Any) -> None:
    response = client_for(officer).get("/network/graph/?area=931104&support_kind=rehabilitation")
    graph = response.context["graph"]
    assert [node["label"] for node in graph["nodes"]] == ["โรงพยาบาลศรีนครินทร์"]


def test_matrix_page_shades_empty_cells(net: Any, officer: Any) -> None:
    html = client_for(officer).get("/network/matrix/").content.decode()
    assert 'class="empty"' in html
    assert "อบต.ลำสินธุ์" in html
    assert "อบต.ชุมพล" not in html


def test_gaps_page_shows_counts_and_duplication(net: Any, officer: Any, coordinator: Any) -> None:
    html = client_for(officer).get("/network/gaps/?area=931104").content.decode()
    assert "<meter" in html
    assert "โรงพยาบาลศรีนครินทร์" in html
    hidden = client_for(coordinator).get("/network/gaps/?area=931104").content.decode()
    assert "&lt;5" in hidden


def test_pages_are_404_outside_reach(net: Any, outsider: Any) -> None:
    client = client_for(outsider)
    for path in ("/network/graph/?area=931104", "/network/matrix/?area=931104", "/network/gaps/?area=931104"):
        assert client.get(path).status_code == 404
    html = client.get("/network/matrix/").content.decode()
    assert "อบต.ลำสินธุ์" not in html
    assert "อบต.ชุมพล" in html


def test_pages_need_a_login(db: Any) -> None:
    response = Client().get("/network/graph/")
    assert response.status_code == 302
