"""/api/v1/areas: the tree a caller may see, and new villages and communities."""

from __future__ import annotations

from chumchon.api.testing import api_client
from chumchon.areas.models import Area, AreaLevel
from chumchon.conftest import OTHER_TAMBON, TAMBON
from chumchon.core.models import AuditEntry


def codes(response) -> list[str]:
    assert response.status_code == 200, response.content
    return [item["code"] for item in response.json()["items"]]


def test_volunteer_sees_their_village_and_the_tree_above_it(volunteer, village_a, village_b):
    client = api_client(volunteer)
    assert codes(client.api_get("/areas", level="village")) == [village_a.code]
    assert codes(client.api_get("/areas", parent=TAMBON)) == [village_a.code]
    assert TAMBON in codes(client.api_get("/areas", level="subdistrict"))
    detail = client.api_get(f"/areas/{village_a.code}")
    assert detail.status_code == 200
    assert detail.json() == {
        "code": "93110401", "level": "village", "parent_code": TAMBON, "name_th": "บ้านลำสินธุ์",
        "name_en": "", "label": "หมู่ 1 บ้านลำสินธุ์", "number": 1, "official_code": "93110401",
        "postcodes": "", "is_active": True,
    }


def test_search_by_name_and_code(officer):
    client = api_client(officer)
    assert codes(client.api_get("/areas", q="โหล๊ะ")) == ["93110402"]
    assert codes(client.api_get("/areas", q="931104", level="village")) == ["93110401", "93110402"]


def test_outsider_sees_none_of_our_areas(outsider, village_a, village_b):
    client = api_client(outsider)
    assert codes(client.api_get("/areas", parent=TAMBON)) == []
    assert TAMBON not in codes(client.api_get("/areas", q="ลำสินธุ์"))
    for code in (TAMBON, village_a.code, village_b.code, "nonexistent"):
        response = client.api_get(f"/areas/{code}")
        assert response.status_code == 404, code
        assert response.json() == {"detail": "Not found"}
    # Their own tambon is there.
    assert codes(client.api_get("/areas", parent=OTHER_TAMBON)) == [f"{OTHER_TAMBON}01"]


def test_officer_creates_a_village_with_thai_digits_and_it_is_audited(officer):
    response = api_client(officer).api_post(
        "/areas/villages", {"tambon_code": TAMBON, "moo": "๕", "name_th": "บ้านใหม่", "name_en": "Ban Mai"})
    assert response.status_code == 201, response.content
    assert response.json()["code"] == "93110405"
    assert response.json()["label"] == "หมู่ 5 บ้านใหม่"
    village = Area.objects.get(code="93110405")
    assert village.level == AreaLevel.VILLAGE and village.parent_id == TAMBON
    assert AuditEntry.objects.filter(verb="area.village_create", object_id="93110405", actor=officer).exists()


def test_duplicate_moo_answers_422_naming_the_field(officer, village_a):
    response = api_client(officer).api_post("/areas/villages", {"tambon_code": TAMBON, "moo": 1, "name_th": "ซ้ำ"})
    assert response.status_code == 422
    detail = response.json()["detail"]
    assert detail[0]["loc"] == ["body", "moo"]
    assert "มีอยู่แล้ว" in detail[0]["msg"]
    assert Area.objects.get(code=village_a.code).name_th == "บ้านลำสินธุ์"


def test_unknown_tambon_and_oversize_name_answer_422(officer):
    client = api_client(officer)
    unknown = client.api_post("/areas/villages", {"tambon_code": "999999", "moo": 3})
    assert unknown.status_code == 422
    assert unknown.json()["detail"][0]["loc"] == ["body", "tambon_code"]
    long_name = client.api_post("/areas/villages", {"tambon_code": TAMBON, "moo": 3, "name_th": "ก" * 121})
    assert long_name.status_code == 422
    assert long_name.json()["detail"][0]["loc"] == ["body", "name_th"]
    assert not Area.objects.filter(code="93110403").exists()


def test_volunteer_and_outsider_cannot_create_villages_here(volunteer, outsider):
    for user in (volunteer, outsider):
        response = api_client(user).api_post("/areas/villages", {"tambon_code": TAMBON, "moo": 9})
        assert response.status_code == 404
    assert not Area.objects.filter(code="93110409").exists()


def test_officer_creates_a_community(officer):
    response = api_client(officer).api_post("/areas/communities", {
        "tambon_code": TAMBON, "number": 2, "name_th": "ตลาดเก่า", "official_code": "๙๓๐๑๐๐๖๓"})
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["code"] == f"{TAMBON}C002"
    assert body["level"] == "community"
    assert body["official_code"] == "93010063"


def test_community_needs_a_name(officer):
    response = api_client(officer).api_post("/areas/communities", {"tambon_code": TAMBON, "number": 1})
    assert response.status_code == 422
    assert response.json()["detail"][0]["loc"] == ["body", "name_th"]


def test_outsider_cannot_create_a_community_here(outsider):
    response = api_client(outsider).api_post("/areas/communities",
                                             {"tambon_code": TAMBON, "number": 1, "name_th": "ตลาด"})
    assert response.status_code == 404
    assert not Area.objects.filter(code=f"{TAMBON}C001").exists()
