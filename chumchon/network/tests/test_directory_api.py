"""API /organisations, /services, /relations, /terms: scoped reads (404 outside), writes through
the services (422 naming fields, duplicate names flagged), outsider sees nothing."""

from __future__ import annotations

from typing import Any

import pytest

from chumchon.accounts.roles import Role
from chumchon.api.testing import api_client
from chumchon.conftest import make_user
from chumchon.network.models import Organisation, Relation, Service
from chumchon.network.services.directory import organisation_create, relation_create, service_create


@pytest.fixture
def admin(tambon: Any) -> Any:
    return make_user("admin", Role.ADMINISTRATOR, "93")


@pytest.fixture
def network(officer: Any, admin: Any, village_a: Any) -> dict[str, Any]:
    sao = organisation_create(actor=officer, name="อบต.ลำสินธุ์", kind_code="sao", area_code="931104",
                              covered_area_codes=["931104"])
    office = organisation_create(actor=admin, name="พมจ.พัทลุง", kind_code="provincial_office", area_code="93",
                                 covered_area_codes=["93"])
    service = service_create(actor=officer, organisation=sao, name="เบี้ยยังชีพผู้สูงอายุ",
                             target_group_codes=["elders"], support_kind_codes=["money"], area_codes=["931104"])
    relation = relation_create(actor=officer, source=sao, target=office, kind="reports_to")
    return {"sao": sao, "office": office, "service": service, "relation": relation}


def ids(response: Any) -> set[int]:
    assert response.status_code == 200, response.content
    return {row["id"] for row in response.json()["items"]}


def test_officer_lists_and_reads_organisations(officer: Any, network: dict[str, Any]) -> None:
    client = api_client(officer)
    assert ids(client.api_get("/organisations")) == {network["sao"].pk, network["office"].pk}
    assert ids(client.api_get("/organisations", kind="sao")) == {network["sao"].pk}
    assert ids(client.api_get("/organisations", target_group="elders", support_kind="money")) == {network["sao"].pk}
    body = client.api_get(f"/organisations/{network['sao'].pk}").json()
    assert body["kind"] == "sao" and body["covered_area_codes"] == ["931104"] and body["version"] == 1


def test_outsider_sees_provincial_office_but_not_our_sao(outsider: Any, network: dict[str, Any]) -> None:
    client = api_client(outsider)
    assert ids(client.api_get("/organisations")) == {network["office"].pk}
    assert client.api_get(f"/organisations/{network['sao'].pk}").status_code == 404
    assert client.api_get(f"/services/{network['service'].pk}").status_code == 404
    assert ids(client.api_get("/services")) == set()
    assert ids(client.api_get("/relations")) == set()
    assert client.api_get(f"/relations/{network['relation'].pk}").status_code == 404
    response = client.api_patch(f"/organisations/{network['sao'].pk}", {"phone": "1"})
    assert response.status_code == 404


def test_create_organisation_and_duplicate_answers_422(officer: Any, network: dict[str, Any]) -> None:
    client = api_client(officer)
    response = client.api_post("/organisations", {"name": "อบต.ลำสินธุ์", "kind_code": "sao", "area_code": "931104"})
    assert response.status_code == 422
    fields = {tuple(item["loc"]) for item in response.json()["detail"]}
    assert ("body", "name") in fields and ("body", "confirm_new") in fields
    assert f"#{network['sao'].pk}" in response.json()["detail"][0]["msg"]
    response = client.api_post("/organisations", {
        "name": "กลุ่มออมทรัพย์บ้านลำสินธุ์", "kind_code": "savings_group", "area_code": "931104",
        "parent_id": network["sao"].pk, "contacts": [{"name": "นางสมใจ", "phone": "0812345678"}]})
    assert response.status_code == 201, response.content
    assert response.json()["parent_id"] == network["sao"].pk


def test_create_refuses_unknown_kind_and_out_of_reach_area(officer: Any) -> None:
    client = api_client(officer)
    response = client.api_post("/organisations", {"name": "x", "kind_code": "ufo", "area_code": "931104"})
    assert response.status_code == 422
    assert response.json()["detail"][0]["loc"] == ["body", "kind_code"]
    response = client.api_post("/organisations", {"name": "x", "kind_code": "sao", "area_code": "931101"})
    assert response.status_code == 404
    assert not Organisation.objects.exists()


def test_patch_with_stale_version_answers_409(officer: Any, network: dict[str, Any]) -> None:
    client = api_client(officer)
    path = f"/organisations/{network['sao'].pk}"
    assert client.api_patch(path, {"phone": "074-111111", "version": 1}).status_code == 200
    assert client.api_patch(path, {"phone": "074-222222", "version": 1}).status_code == 409
    response = client.api_patch(path, {"parent_id": network["sao"].pk})
    assert response.status_code == 422 and response.json()["detail"][0]["loc"] == ["body", "parent_id"]


def test_services_create_patch_and_refuse_empty_area(officer: Any, network: dict[str, Any]) -> None:
    client = api_client(officer)
    base = {"organisation_id": network["sao"].pk, "name": "ซ่อมบ้าน", "target_group_codes": ["poor_households"],
            "support_kind_codes": ["housing_repair"], "area_codes": []}
    response = client.api_post("/services", base)
    assert response.status_code == 422 and response.json()["detail"][0]["loc"] == ["body", "area_codes"]
    response = client.api_post("/services", {**base, "area_codes": ["931104"], "support_kind_codes": ["rockets"]})
    assert response.status_code == 422 and "rockets" in response.json()["detail"][0]["msg"]
    response = client.api_post("/services", {**base, "area_codes": ["931104"], "capacity": 10})
    assert response.status_code == 201, response.content
    service_id = response.json()["id"]
    response = client.api_patch(f"/services/{service_id}", {"capacity": 12, "eligibility": "บ้านทรุดโทรม"})
    assert response.json()["capacity"] == 12
    assert Service.objects.get(pk=service_id).eligibility == "บ้านทรุดโทรม"


def test_office_service_readable_by_outsider(admin: Any, outsider: Any, network: dict[str, Any]) -> None:
    service_create(actor=admin, organisation=network["office"], name="เงินอุดหนุนเด็กแรกเกิด",
                   target_group_codes=["young_children"], support_kind_codes=["money"], area_codes=["93"])
    client = api_client(outsider)
    assert len(ids(client.api_get("/services"))) == 1


def test_relations_create_and_delete(officer: Any, network: dict[str, Any]) -> None:
    client = api_client(officer)
    body = {"source_id": network["sao"].pk, "target_id": network["office"].pk, "kind": "funds",
            "started_on": "1/10/2568", "ended_on": "1/10/2567"}
    response = client.api_post("/relations", body)
    assert response.status_code == 422 and response.json()["detail"][0]["loc"] == ["body", "ended_on"]
    response = client.api_post("/relations", {**body, "ended_on": None})
    assert response.status_code == 201, response.content
    assert response.json()["started_on"] == "2025-10-01"
    assert Relation.objects.filter(pk=response.json()["id"], kind="funds").exists()


def test_relation_delete_by_officer(officer: Any, network: dict[str, Any]) -> None:
    client = api_client(officer)
    assert client.delete(f"/api/v1/relations/{network['relation'].pk}").status_code == 204
    assert not Relation.objects.exists()


def test_terms_listed_to_all_added_by_administrator(officer: Any, admin: Any) -> None:
    response = api_client(officer).api_get("/terms", vocabulary="target_group")
    assert "elders" in {row["code"] for row in response.json()}
    new = {"vocabulary": "target_group", "code": "migrants", "label_th": "แรงงานข้ามชาติ"}
    assert api_client(officer).api_post("/terms", new).status_code == 404
    assert api_client(admin).api_post("/terms", new).status_code == 201
    response = api_client(admin).api_post("/terms", new)
    assert response.status_code == 422 and response.json()["detail"][0]["loc"] == ["body", "code"]
