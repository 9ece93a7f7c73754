"""Villages and communities pages: listing within reach, creating and editing by the tambon officer."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from chumchon.accounts.models import User
from chumchon.areas.models import Area, AreaLevel
from chumchon.conftest import OTHER_TAMBON, TAMBON
from chumchon.core.models import AuditEntry
from chumchon.people.models import Person


def login(client: Client, user: User) -> Client:
    client.force_login(user)
    return client


def listed_codes(response: Any) -> set[str]:
    return {area.code for section in response.context["sections"] for area, _count in section["rows"]}


@pytest.fixture
def other_person(other_village: Area) -> Person:
    return Person.objects.create(area=other_village, first_name="มานะ", no_id_reason="unknown")


# ---------------------------------------------------------------------------
# List
# ---------------------------------------------------------------------------


def test_officer_lists_villages_with_people_counts(client, officer, person_a, other_person):
    response = login(client, officer).get(reverse("areas:list"))
    assert response.status_code == 200
    assert listed_codes(response) == {f"{TAMBON}01", f"{TAMBON}02"}
    [section] = response.context["sections"]
    assert section["code"] == TAMBON and section["can_manage"] is True
    counts = {area.code: count for area, count in section["rows"]}
    assert counts == {f"{TAMBON}01": 1, f"{TAMBON}02": 0}
    html = response.content.decode()
    assert "หมู่ 1 บ้านลำสินธุ์" in html and "บ้านชุมพล" not in html
    assert reverse("areas:village_new", args=[TAMBON]) in html
    assert reverse("areas:community_new", args=[TAMBON]) in html
    assert reverse("areas:edit", args=[f"{TAMBON}01"]) in html


def test_volunteer_lists_their_village_without_management_links(client, volunteer, person_a):
    response = login(client, volunteer).get(reverse("areas:list"))
    assert response.status_code == 200
    assert listed_codes(response) == {f"{TAMBON}01"}
    html = response.content.decode()
    assert reverse("areas:village_new", args=[TAMBON]) not in html
    assert reverse("areas:edit", args=[f"{TAMBON}01"]) not in html


def test_outsider_sees_none_of_our_villages(client, outsider, village_a, village_b, person_a):
    response = login(client, outsider).get(reverse("areas:list"))
    assert response.status_code == 200
    assert listed_codes(response) == {f"{OTHER_TAMBON}01"}
    html = response.content.decode()
    assert "บ้านลำสินธุ์" not in html and "บ้านโหล๊ะหาร" not in html


def test_officer_of_a_tambon_without_villages_can_start_adding(client, db):
    from chumchon.conftest import make_user

    newcomer = make_user("new_officer", "tambon_officer", OTHER_TAMBON)
    response = login(client, newcomer).get(reverse("areas:list"))
    [section] = response.context["sections"]
    assert (section["code"], section["rows"], section["can_manage"]) == (OTHER_TAMBON, [], True)
    assert reverse("areas:village_new", args=[OTHER_TAMBON]) in response.content.decode()


# ---------------------------------------------------------------------------
# Create a village or community
# ---------------------------------------------------------------------------


def test_officer_creates_a_village_typed_with_thai_digits(client, officer):
    url = reverse("areas:village_new", args=[TAMBON])
    client = login(client, officer)
    assert client.get(url).status_code == 200
    response = client.post(url, {"moo": "๓", "name_th": "บ้านควน", "name_en": "Ban Khuan"})
    assert response.status_code == 302
    village = Area.objects.get(code=f"{TAMBON}03")
    assert (village.level, village.number, village.name_th, village.parent_id) == (
        AreaLevel.VILLAGE, 3, "บ้านควน", TAMBON)
    assert AuditEntry.objects.filter(verb="area.village_create", area_code=village.code, actor=officer).exists()
    listed = client.get(response["Location"])
    assert "หมู่ 3 บ้านควน" in listed.content.decode()


def test_duplicate_moo_shows_the_thai_error_at_the_field(client, officer, village_a):
    response = login(client, officer).post(reverse("areas:village_new", args=[TAMBON]),
                                           {"moo": "1", "name_th": "บ้านซ้ำ"})
    assert response.status_code == 200
    assert response.context["form"].errors["moo"] == ["หมู่ที่ 1 ของต.ลำสินธุ์ มีอยู่แล้ว"]
    assert "หมู่ที่ 1 ของต.ลำสินธุ์ มีอยู่แล้ว" in response.content.decode()
    assert Area.objects.get(code=village_a.code).name_th == "บ้านลำสินธุ์"


def test_moo_that_is_not_a_number_is_refused_at_the_field(client, officer):
    response = login(client, officer).post(reverse("areas:village_new", args=[TAMBON]), {"moo": "หนึ่ง"})
    assert response.status_code == 200
    assert response.context["form"].errors["moo"] == ["ต้องเป็นตัวเลข"]
    assert Area.objects.filter(parent_id=TAMBON).count() == 2  # village_a and village_b only


@pytest.mark.parametrize("who", ["volunteer", "outsider", "coordinator"])
def test_only_the_tambon_officer_may_create_villages(client, request, who, tambon):
    login(client, request.getfixturevalue(who))
    for name in ("areas:village_new", "areas:community_new"):
        url = reverse(name, args=[TAMBON])
        assert client.get(url).status_code == 404
        assert client.post(url, {"moo": "9", "number": "9", "name_th": "บ้านแอบ"}).status_code == 404
    assert not Area.objects.filter(parent_id=TAMBON, number=9).exists()


def test_officer_cannot_create_in_another_tambon_or_a_non_tambon(client, officer, other_village):
    client = login(client, officer)
    assert client.post(reverse("areas:village_new", args=[OTHER_TAMBON]), {"moo": "9"}).status_code == 404
    assert client.get(reverse("areas:village_new", args=["999999"])).status_code == 404
    assert client.get(reverse("areas:village_new", args=[f"{TAMBON}01"])).status_code == 404
    assert not Area.objects.filter(code=f"{OTHER_TAMBON}09").exists()


def test_officer_creates_a_community(client, officer):
    response = login(client, officer).post(reverse("areas:community_new", args=[TAMBON]),
                                           {"number": "๒", "name_th": "ตลาดเก่า", "official_code": "93990002"})
    assert response.status_code == 302
    community = Area.objects.get(code=f"{TAMBON}C002")
    assert (community.level, community.label, community.official_code) == (
        AreaLevel.COMMUNITY, "ชุมชนตลาดเก่า", "93990002")


def test_bad_community_code_is_shown_at_the_field(client, officer):
    response = login(client, officer).post(reverse("areas:community_new", args=[TAMBON]),
                                           {"number": "1", "name_th": "ตลาดเก่า", "official_code": "123"})
    assert response.status_code == 200
    assert response.context["form"].errors["official_code"] == ["รหัสชุมชนต้องเป็นตัวเลข 8 หลัก"]
    assert not Area.objects.filter(code=f"{TAMBON}C001").exists()


# ---------------------------------------------------------------------------
# Edit
# ---------------------------------------------------------------------------


def test_officer_renames_a_village_and_it_is_audited(client, officer, village_a):
    url = reverse("areas:edit", args=[village_a.code])
    client = login(client, officer)
    form = client.get(url)
    assert form.status_code == 200
    assert form.context["form"].initial["name_th"] == "บ้านลำสินธุ์"
    response = client.post(url, {"name_th": "บ้านลำสินธุ์ใต้", "name_en": "", "is_active": "on"})
    assert response.status_code == 302
    village_a.refresh_from_db()
    assert (village_a.name_th, village_a.is_active) == ("บ้านลำสินธุ์ใต้", True)
    entry = AuditEntry.objects.get(verb="area.update", area_code=village_a.code)
    assert entry.data["changes"]["name_th"] == {"before": "บ้านลำสินธุ์", "after": "บ้านลำสินธุ์ใต้"}


def test_closed_village_leaves_the_list_but_can_be_reopened(client, officer, village_b):
    client = login(client, officer)
    url = reverse("areas:edit", args=[village_b.code])
    client.post(url, {"name_th": village_b.name_th})  # "in use" unticked
    village_b.refresh_from_db()
    assert village_b.is_active is False
    listing = client.get(reverse("areas:list"))
    assert village_b.code not in listed_codes(listing)
    [section] = listing.context["sections"]
    assert [area.code for area in section["closed"]] == [village_b.code]
    client.post(url, {"name_th": village_b.name_th, "is_active": "on"})
    village_b.refresh_from_db()
    assert village_b.is_active is True


@pytest.mark.parametrize("who", ["volunteer", "outsider", "coordinator"])
def test_only_the_tambon_officer_may_edit_our_village(client, request, who, village_a):
    login(client, request.getfixturevalue(who))
    url = reverse("areas:edit", args=[village_a.code])
    assert client.get(url).status_code == 404
    assert client.post(url, {"name_th": "ถูกแก้", "is_active": "on"}).status_code == 404
    village_a.refresh_from_db()
    assert village_a.name_th == "บ้านลำสินธุ์"


def test_officer_cannot_edit_another_tambons_village_or_a_tambon(client, officer, other_village):
    client = login(client, officer)
    assert client.get(reverse("areas:edit", args=[other_village.code])).status_code == 404
    assert client.get(reverse("areas:edit", args=[TAMBON])).status_code == 404


def test_area_pages_ask_anonymous_visitors_to_log_in(client, tambon):
    response = client.get(reverse("areas:village_new", args=[TAMBON]))
    assert response.status_code == 302 and response["Location"].startswith(reverse("login"))
