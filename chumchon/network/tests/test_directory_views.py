"""Directory pages: list with filters, detail, register (duplicate warning and "register anyway"),
edit, services, relations, staff, terms. Outsiders of another tambon get 404 for our tambon's
organisations and do not see them in lists, but do see a provincial office."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

from chumchon.accounts.roles import Role
from chumchon.conftest import PASSWORD, make_user
from chumchon.network.models import Organisation, Relation, Service, Term
from chumchon.network.services.directory import organisation_create, relation_create, service_create


def login(user: Any) -> Client:
    client = Client()
    assert client.login(username=user.username, password=PASSWORD)
    return client


@pytest.fixture
def admin(tambon: Any) -> Any:
    return make_user("admin", Role.ADMINISTRATOR, "93")


@pytest.fixture
def net(officer: Any, admin: Any) -> dict[str, Organisation]:
    sao = organisation_create(actor=officer, name="อบต.ลำสินธุ์", kind_code="sao", area_code="931104",
                              covered_area_codes=["931104"])
    group = organisation_create(actor=officer, name="กลุ่มออมทรัพย์บ้านลำสินธุ์", kind_code="savings_group",
                                area_code="931104", parent_id=sao.pk)
    office = organisation_create(actor=admin, name="สำนักงานพัฒนาสังคมจังหวัดพัทลุง", kind_code="provincial_office",
                                 area_code="93", covered_area_codes=["93"])
    service_create(actor=officer, organisation=sao, name="เบี้ยยังชีพผู้สูงอายุ", target_group_codes=["elders"],
                   support_kind_codes=["money"], area_codes=["931104"])
    relation_create(actor=officer, source=sao, target=office, kind="reports_to")
    relation_create(actor=officer, source=group, target=sao, kind="member_of")
    return {"sao": sao, "group": group, "office": office}


def test_list_filters_by_kind_search_and_service(officer: Any, net: dict[str, Organisation]) -> None:
    client = login(officer)
    page = client.get("/network/organisations/").content.decode()
    assert all(org.name in page for org in net.values())
    page = client.get("/network/organisations/", {"kind": "savings_group"}).content.decode()
    assert net["group"].name in page and net["sao"].name not in page
    page = client.get("/network/organisations/", {"q": "ออมทรัพย์"}).content.decode()
    assert net["group"].name in page and net["office"].name not in page
    page = client.get("/network/organisations/", {"target_group": "elders", "support_kind": "money"}).content.decode()
    assert net["sao"].name in page and net["group"].name not in page


def test_detail_shows_services_relations_both_ways_and_children(officer: Any, net: dict[str, Organisation]) -> None:
    page = login(officer).get(f"/network/organisations/{net['sao'].pk}/").content.decode()
    assert "เบี้ยยังชีพผู้สูงอายุ" in page
    assert net["office"].name in page  # relation out
    assert page.count(net["group"].name) >= 2  # relation in and child
    assert f"/network/organisations/{net['sao'].pk}/edit/" in page


def test_outsider_gets_404_and_sees_only_the_provincial_office(outsider: Any, net: dict[str, Organisation]) -> None:
    client = login(outsider)
    page = client.get("/network/organisations/").content.decode()
    assert net["office"].name in page
    assert net["sao"].name not in page and net["group"].name not in page
    assert client.get(f"/network/organisations/{net['sao'].pk}/").status_code == 404
    assert client.get(f"/network/organisations/{net['sao'].pk}/edit/").status_code == 404
    assert client.get(f"/network/organisations/{net['sao'].pk}/services/new/").status_code == 404
    assert client.get(f"/network/organisations/{net['sao'].pk}/relations/new/").status_code == 404
    service = Service.objects.get()
    assert client.get(f"/network/services/{service.pk}/edit/").status_code == 404
    relation = Relation.objects.filter(source=net["sao"]).get()
    assert client.post(f"/network/relations/{relation.pk}/delete/").status_code == 404
    page = client.get(f"/network/organisations/{net['office'].pk}/").content.decode()
    assert net["office"].name in page and net["sao"].name not in page  # relation whose other end is hidden
    assert client.get("/network/organisations/new/").status_code == 404


def test_volunteer_reads_but_cannot_edit(volunteer: Any, net: dict[str, Organisation]) -> None:
    client = login(volunteer)
    page = client.get(f"/network/organisations/{net['sao'].pk}/").content.decode()
    assert net["sao"].name in page and "/edit/" not in page
    assert client.get(f"/network/organisations/{net['sao'].pk}/edit/").status_code == 404


def test_register_warns_on_duplicate_then_registers_anyway(officer: Any, net: dict[str, Organisation]) -> None:
    client = login(officer)
    form = {"name": "อบต. ลำสินธุ์".replace(" ", ""), "kind_code": "sao", "area_code": "931104"}
    response = client.post("/network/organisations/new/", form)
    assert response.status_code == 200
    page = response.content.decode()
    assert 'id="duplicate-orgs"' in page and f"/network/organisations/{net['sao'].pk}/" in page
    assert 'name="confirm_new"' in page
    assert Organisation.objects.filter(name="อบต.ลำสินธุ์").count() == 1
    response = client.post("/network/organisations/new/", {**form, "confirm_new": "1"})
    assert response.status_code == 302
    assert Organisation.objects.filter(name="อบต.ลำสินธุ์").count() == 2


def test_edit_refuses_cycle_with_field_error(officer: Any, net: dict[str, Organisation]) -> None:
    client = login(officer)
    form = {"name": net["sao"].name, "kind_code": "sao", "area_code": "931104", "parent_id": str(net["group"].pk),
            "version": "1", "is_active": "1"}
    response = client.post(f"/network/organisations/{net['sao'].pk}/edit/", form)
    assert response.status_code == 200 and "has-error" in response.content.decode()
    net["sao"].refresh_from_db()
    assert net["sao"].parent_id is None
    response = client.post(f"/network/organisations/{net['sao'].pk}/edit/", {**form, "parent_id": "",
                                                                              "phone": "074-123456"})
    assert response.status_code == 302
    net["sao"].refresh_from_db()
    assert net["sao"].phone == "074-123456" and net["sao"].version == 2


def test_add_service_refuses_no_area_then_saves(officer: Any, net: dict[str, Organisation]) -> None:
    client = login(officer)
    url = f"/network/organisations/{net['group'].pk}/services/new/"
    assert client.get(url).status_code == 200
    form = {"name": "สินเชื่อเพื่ออาชีพ", "target_group_codes": ["poor_households"], "support_kind_codes": ["occupation"]}
    response = client.post(url, form)
    assert response.status_code == 200 and "has-error" in response.content.decode()
    response = client.post(url, {**form, "area_codes": ["931104"], "capacity": "30"})
    assert response.status_code == 302
    service = Service.objects.get(name="สินเชื่อเพื่ออาชีพ")
    response = client.post(f"/network/services/{service.pk}/edit/", {**form, "area_codes": ["931104"],
                                                                      "capacity": "40", "is_active": "1"})
    assert response.status_code == 302
    service.refresh_from_db()
    assert service.capacity == 40


def test_add_relation_and_remove(officer: Any, net: dict[str, Organisation]) -> None:
    client = login(officer)
    url = f"/network/organisations/{net['sao'].pk}/relations/new/"
    response = client.post(url, {"kind": "funds", "target_id": str(net["group"].pk), "started_on": "1/10/2568",
                                 "ended_on": "1/1/2568"})
    assert response.status_code == 200 and "has-error" in response.content.decode()
    response = client.post(url, {"kind": "funds", "target_id": str(net["group"].pk), "started_on": "1/10/2568"})
    assert response.status_code == 302
    relation = Relation.objects.get(kind="funds")
    assert client.post(f"/network/relations/{relation.pk}/delete/").status_code == 302
    assert not Relation.objects.filter(kind="funds").exists()


def test_staff_add_and_remove(officer: Any, volunteer: Any, net: dict[str, Organisation]) -> None:
    client = login(officer)
    url = f"/network/organisations/{net['sao'].pk}/staff/"
    assert client.post(url, {"user_id": str(volunteer.pk), "position": "ผู้ช่วย"}).status_code == 302
    staff = net["sao"].staff.get()
    page = client.get(f"/network/organisations/{net['sao'].pk}/").content.decode()
    assert "ผู้ช่วย" in page
    assert client.post(f"{url}{staff.pk}/remove/").status_code == 302
    assert not net["sao"].staff.exists()


def test_terms_page_lists_and_administrator_adds(officer: Any, admin: Any) -> None:
    page = login(officer).get("/network/terms/").content.decode()
    assert "elders" in page and 'name="label_th"' not in page
    assert login(officer).post("/network/terms/", {"vocabulary": "target_group", "code": "x1",
                                                  "label_th": "x"}).status_code == 404
    response = login(admin).post("/network/terms/", {"vocabulary": "target_group", "code": "migrants",
                                                     "label_th": "แรงงานข้ามชาติ"})
    assert response.status_code == 302
    assert Term.objects.filter(vocabulary="target_group", code="migrants").exists()


def test_outsider_of_no_role_gets_404_on_list(db: Any) -> None:
    from chumchon.accounts.models import User

    User.objects.create_user(username="nobody", password=PASSWORD)
    client = Client()
    client.login(username="nobody", password=PASSWORD)
    assert client.get("/network/organisations/").status_code == 404
