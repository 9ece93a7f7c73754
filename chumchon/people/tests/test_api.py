"""/api/v1/households and /api/v1/persons: scoped reads, audited writes, masked IDs, one error format."""

from __future__ import annotations

from typing import Any

import pytest

from chumchon.api.testing import api_client
from chumchon.core.models import AuditEntry
from chumchon.people.models import Household, Person, PersonMove
from chumchon.people.selectors import Group
from chumchon.people.services import household_create, person_create

FULL_ID = "3501100001239"
MASKED_ID = "3-5011-xxxxx-xx-9"
# 1-1012-00012-34-5 has a valid check digit; ...46 does not.
NEW_ID = "1101200012345"
BAD_ID = "1101200012346"


def locs(response: Any) -> list[list[Any]]:
    assert response.status_code == 422, response.content
    return [item["loc"] for item in response.json()["detail"]]


def items(response: Any) -> list[dict[str, Any]]:
    assert response.status_code == 200, response.content
    return response.json()["items"]


@pytest.fixture
def household_b(officer, village_b):
    return household_create(actor=officer, area_code=village_b.code, house_no="5")


@pytest.fixture
def outsider_household(outsider, other_village):
    return household_create(actor=outsider, area_code=other_village.code, house_no="1")


@pytest.fixture
def outsider_person(outsider, outsider_household):
    return person_create(actor=outsider, household=outsider_household, first_name="ชุมพล",
                         national_id=NEW_ID)


# ---------------------------------------------------------------------------
# Households
# ---------------------------------------------------------------------------


def test_household_list_counts_members_and_filters(volunteer, person_a, household_a):
    client = api_client(volunteer)
    listed = items(client.api_get("/households"))
    assert [(h["id"], h["house_no"], h["member_count"]) for h in listed] == [(household_a.pk, "12/3", 1)]
    assert listed[0]["area_label"] == "หมู่ 1 บ้านลำสินธุ์"
    assert items(client.api_get("/households", q="12")) == listed
    assert items(client.api_get("/households", q="99")) == []


def test_household_detail_lists_members_with_masked_ids(officer, person_a, household_a):
    response = api_client(officer).api_get(f"/households/{household_a.pk}")
    assert response.status_code == 200
    body = response.json()
    assert body["address_line"] == "บ้านเลขที่ 12/3 ถ.เพชรเกษม"
    assert body["member_count"] == 1
    assert [(m["id"], m["national_id"]) for m in body["members"]] == [(person_a.pk, MASKED_ID)]
    assert FULL_ID not in response.content.decode()


def test_household_create_accepts_thai_digits_and_is_audited(volunteer, village_a):
    response = api_client(volunteer).api_post("/households", {
        "area_code": village_a.code, "house_no": "๔๕", "soi": "ร่วมใจ", "house_code": "๙๓๑๑๐๑๒๓๔๕๖",
        "latitude": "๗.๕", "longitude": 100.1,
    })
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["house_no"] == "45"
    assert body["house_code"] == "93110123456"
    assert body["latitude"] == 7.5 and body["longitude"] == 100.1
    assert body["version"] == 1
    assert AuditEntry.objects.filter(verb="household.create", object_id=str(body["id"]), actor=volunteer).exists()


def test_household_create_errors_name_the_fields_the_client_sent(officer, village_a, household_a):
    client = api_client(officer)
    assert locs(client.api_post("/households", {"area_code": "99999999"})) == [["body", "area_code"]]
    assert locs(client.api_post("/households", {"area_code": village_a.code, "house_no": "12/3"})) == [
        ["body", "house_no"]]
    bad = client.api_post("/households", {"area_code": village_a.code, "house_code": "12", "latitude": 50})
    assert sorted(locs(bad)) == [["body", "house_code"], ["body", "latitude"]]
    assert Household.objects.count() == 1


def test_household_patch_changes_only_what_is_sent_and_bumps_the_version(officer, household_a):
    client = api_client(officer)
    response = client.api_patch(f"/households/{household_a.pk}", {"version": 1, "soi": "สุขใจ"})
    assert response.status_code == 200, response.content
    assert response.json()["soi"] == "สุขใจ"
    assert response.json()["road"] == "เพชรเกษม"
    assert response.json()["version"] == 2
    household_a.refresh_from_db()
    assert (household_a.soi, household_a.road, household_a.version) == ("สุขใจ", "เพชรเกษม", 2)


def test_stale_household_patch_answers_409_and_changes_nothing(officer, household_a):
    client = api_client(officer)
    assert client.api_patch(f"/households/{household_a.pk}", {"version": 1, "soi": "หนึ่ง"}).status_code == 200
    stale = client.api_patch(f"/households/{household_a.pk}", {"version": 1, "soi": "สอง"})
    assert stale.status_code == 409
    assert stale.json()["detail"]
    household_a.refresh_from_db()
    assert (household_a.soi, household_a.version) == ("หนึ่ง", 2)


def test_household_patch_needs_a_version(officer, household_a):
    response = api_client(officer).api_patch(f"/households/{household_a.pk}", {"soi": "x"})
    assert locs(response) == [["body", "version"]]


def test_outsider_gets_404_for_our_household_and_an_empty_list(outsider, household_a, person_a):
    client = api_client(outsider)
    assert items(client.api_get("/households")) == []
    assert items(client.api_get("/households", area="931104")) == []
    assert client.api_get(f"/households/{household_a.pk}").status_code == 404
    patch = client.api_patch(f"/households/{household_a.pk}", {"version": 1, "soi": "ของฉัน"})
    assert patch.status_code == 404
    assert patch.json() == {"detail": "Not found"}
    household_a.refresh_from_db()
    assert household_a.soi == "" and household_a.version == 1
    # Registering in our village is refused the same way.
    create = client.api_post("/households", {"area_code": household_a.area_id, "house_no": "77"})
    assert create.status_code == 404
    assert not Household.objects.filter(house_no="77").exists()


# ---------------------------------------------------------------------------
# Persons: reading
# ---------------------------------------------------------------------------


def test_person_list_masks_national_ids_even_for_officers(officer, person_a):
    response = api_client(officer).api_get("/persons")
    listed = items(response)
    assert [(p["id"], p["national_id"]) for p in listed] == [(person_a.pk, MASKED_ID)]
    assert FULL_ID not in response.content.decode()


def test_person_output_has_ce_and_be_dates_groups_and_version(volunteer, person_a):
    [item] = items(api_client(volunteer).api_get("/persons"))
    assert item["birth_date"] == "1947-04-12"
    assert item["birth_date_be"] == "12 เม.ย. 2490"
    assert item["groups"] == [Group.ELDER]
    assert item["version"] == 1
    assert item["full_name"] == "นางสมศรี ใจดี"


def test_person_list_filters(officer, person_a, household_b):
    client = api_client(officer)
    child = person_create(actor=officer, household=household_b, first_name="น้องฝน", no_id_reason="unknown",
                          birth_date="2567", is_bedbound=True)
    every = items(client.api_get("/persons"))
    assert {p["id"] for p in every} == {person_a.pk, child.pk}
    assert [p["id"] for p in items(client.api_get("/persons", group="elder"))] == [person_a.pk]
    assert [p["id"] for p in items(client.api_get("/persons", group="bedbound"))] == [child.pk]
    assert [p["id"] for p in items(client.api_get("/persons", q="ฝน"))] == [child.pk]
    assert [p["id"] for p in items(client.api_get("/persons", area="93110402"))] == [child.pk]
    assert [p["id"] for p in items(client.api_get("/persons", household=person_a.household_id))] == [person_a.pk]
    assert items(client.api_get("/persons", status="deceased")) == []
    assert locs(client.api_get("/persons", group="rich")) == [["query", "group"]]


def test_person_detail_shows_the_full_id_only_to_roles_that_may_see_it(officer, volunteer, person_a):
    full = api_client(officer).api_get(f"/persons/{person_a.pk}")
    assert full.status_code == 200
    assert full.json()["national_id"] == FULL_ID
    assert full.json()["national_id_masked"] is False

    masked = api_client(volunteer).api_get(f"/persons/{person_a.pk}")
    assert masked.status_code == 200
    assert masked.json()["national_id"] == MASKED_ID
    assert masked.json()["national_id_masked"] is True
    assert FULL_ID not in masked.content.decode()
    assert masked.json()["household_address"] == "บ้านเลขที่ 12/3 ถ.เพชรเกษม"


def test_reading_a_person_is_logged(volunteer, person_a):
    assert not AuditEntry.objects.filter(verb="person.view").exists()
    api_client(volunteer).api_get(f"/persons/{person_a.pk}")
    entry = AuditEntry.objects.get(verb="person.view")
    assert entry.actor == volunteer
    assert entry.object_id == str(person_a.pk)


def test_outsider_gets_404_on_every_person_endpoint_and_sees_nothing(outsider, person_a, household_a):
    client = api_client(outsider)
    before = Person.objects.values().get(pk=person_a.pk)
    assert client.api_get(f"/persons/{person_a.pk}").status_code == 404
    assert client.api_patch(f"/persons/{person_a.pk}", {"version": 1, "nickname": "x"}).status_code == 404
    move = client.api_post(f"/persons/{person_a.pk}/move", {"version": 1, "to_area_code": "93110101"})
    assert move.status_code == 404
    assert Person.objects.values().get(pk=person_a.pk) == before
    assert not PersonMove.objects.exists()
    assert not AuditEntry.objects.filter(verb="person.view").exists()

    assert items(client.api_get("/persons")) == []
    assert items(client.api_get("/persons", area="931104", status="")) == []
    counts = client.api_get("/persons/counts", area="931104").json()
    assert counts == {"total": 0, "groups": dict.fromkeys(Group.ALL, 0), "areas": []}
    dupes = client.api_get("/persons/duplicates", area="93110401", national_id=FULL_ID,
                           first_name="สมศรี", last_name="ใจดี", birth_year="2490")
    assert dupes.status_code == 200 and dupes.json() == []


def test_coordinator_gets_counts_but_no_names(coordinator, person_a, household_a, village_b):
    client = api_client(coordinator)
    counts = client.api_get("/persons/counts")
    assert counts.status_code == 200
    # One elder in a village could be anyone's grandmother: counts of 1–4 are hidden (null) from a
    # role that may not see names there.
    assert counts.json() == {
        "total": None,
        "groups": {**dict.fromkeys(Group.ALL, 0), "elder": None},
        "areas": [{"area_code": "93110401", "total": None,
                   "groups": {**dict.fromkeys(Group.ALL, 0), "elder": None}}],
    }
    assert "สมศรี" not in counts.content.decode()
    assert client.api_get("/persons/counts", area="93110402").json()["total"] == 0

    assert items(client.api_get("/persons")) == []
    assert items(client.api_get("/households")) == []
    assert client.api_get(f"/persons/{person_a.pk}").status_code == 404
    assert client.api_get(f"/households/{household_a.pk}").status_code == 404
    assert client.api_patch(f"/persons/{person_a.pk}", {"version": 1, "nickname": "x"}).status_code == 404
    assert client.api_get("/persons/duplicates", area="93110401", national_id=FULL_ID).json() == []
    create = client.api_post("/persons", {"area_code": "93110402", "first_name": "ใหม่", "no_id_reason": "unknown"})
    assert create.status_code == 404
    assert Person.objects.count() == 1


# ---------------------------------------------------------------------------
# Persons: registering
# ---------------------------------------------------------------------------


def test_create_person_with_thai_digits_in_id_and_be_birth_date(volunteer, household_a):
    response = api_client(volunteer).api_post("/persons", {
        "household_id": household_a.pk, "title": "นาย", "first_name": "มานะ", "last_name": "ใจดี",
        "sex": "male", "birth_date": "๑๒/๐๔/๒๕๑๐", "national_id": "๑-๑๐๑๒-๐๐๐๑๒-๓๔-๕",
        "relation_to_head": "child", "disability_types": [3], "allowances": ["disability"],
        "phone": "081-234-5678",
    })
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["birth_date"] == "1967-04-12"
    assert body["birth_date_be"] == "12 เม.ย. 2510"
    assert body["national_id"] == "1-1012-xxxxx-xx-5"  # a volunteer may not see full IDs
    assert body["area_code"] == household_a.area_id
    assert body["is_disabled"] is True and Group.DISABLED in body["groups"]
    person = Person.objects.get(pk=body["id"])
    assert person.national_id == NEW_ID
    assert person.phone == "0812345678"
    assert AuditEntry.objects.filter(verb="person.create", object_id=str(person.pk), actor=volunteer).exists()


def test_create_person_with_year_only_birth_date_in_a_village(officer, village_b):
    response = api_client(officer).api_post("/persons", {
        "area_code": village_b.code, "first_name": "ยายแดง", "birth_date": "2480", "no_id_reason": "stateless"})
    assert response.status_code == 201, response.content
    body = response.json()
    assert (body["birth_date"], body["birth_year_only"], body["birth_date_be"]) == ("1937-01-01", True, "2480")
    assert body["household_id"] is None
    assert body["national_id"] is None


def test_bad_check_digit_answers_422_naming_national_id(officer, household_a):
    response = api_client(officer).api_post("/persons", {
        "household_id": household_a.pk, "first_name": "มานะ", "national_id": BAD_ID})
    assert locs(response) == [["body", "national_id"]]
    assert "หลักตรวจสอบ" in response.json()["detail"][0]["msg"]
    assert not Person.objects.filter(first_name="มานะ").exists()


def test_future_birth_date_answers_422(officer, household_a):
    response = api_client(officer).api_post("/persons", {
        "household_id": household_a.pk, "first_name": "มานะ", "no_id_reason": "unknown",
        "birth_date": "01/01/2600"})
    assert locs(response) == [["body", "birth_date"]]
    assert "อนาคต" in response.json()["detail"][0]["msg"]
    assert not Person.objects.filter(first_name="มานะ").exists()


def test_oversize_text_answers_422_naming_the_field(officer, household_a):
    response = api_client(officer).api_post("/persons", {
        "household_id": household_a.pk, "first_name": "ม" * 101, "nickname": "น" * 51,
        "no_id_reason": "unknown"})
    assert sorted(locs(response)) == [["body", "first_name"], ["body", "nickname"]]


def test_missing_name_and_missing_id_are_reported_in_thai(officer, household_a):
    client = api_client(officer)
    assert locs(client.api_post("/persons", {"household_id": household_a.pk, "no_id_reason": "unknown"})) == [
        ["body", "first_name"]]
    no_id = client.api_post("/persons", {"household_id": household_a.pk, "first_name": "มานะ"})
    assert locs(no_id) == [["body", "national_id"]]
    assert "เหตุผล" in no_id.json()["detail"][0]["msg"]


def test_registered_national_id_is_refused_without_saying_where(officer, outsider_person, household_a):
    response = api_client(officer).api_post("/persons", {
        "household_id": household_a.pk, "first_name": "ซ้ำ", "national_id": NEW_ID})
    assert locs(response) == [["body", "national_id"]]
    assert "ชุมพล" not in response.content.decode()


def test_body_references_out_of_reach_answer_422_naming_the_field(officer, outsider_household, village_a):
    client = api_client(officer)
    foreign = client.api_post("/persons", {"household_id": outsider_household.pk, "first_name": "ก",
                                           "no_id_reason": "unknown"})
    assert locs(foreign) == [["body", "household_id"]]
    unknown = client.api_post("/persons", {"area_code": "00000000", "first_name": "ก", "no_id_reason": "unknown"})
    assert locs(unknown) == [["body", "area_code"]]
    assert locs(client.api_post("/persons", {"household_id": "หนึ่ง"})) == [["body", "household_id"]]
    assert not Person.objects.filter(first_name="ก").exists()


# ---------------------------------------------------------------------------
# Persons: editing and moving
# ---------------------------------------------------------------------------


def test_patch_changes_only_what_is_sent(volunteer, person_a):
    response = api_client(volunteer).api_patch(f"/persons/{person_a.pk}", {
        "version": 1, "nickname": "ยายศรี", "is_bedbound": True, "birth_date": "๒๔๙๐"})
    assert response.status_code == 200, response.content
    body = response.json()
    assert body["nickname"] == "ยายศรี"
    assert body["version"] == 2
    assert body["groups"] == [Group.ELDER, Group.BEDBOUND]
    assert body["birth_date_be"] == "2490"
    person_a.refresh_from_db()
    assert (person_a.nickname, person_a.first_name, person_a.national_id) == ("ยายศรี", "สมศรี", FULL_ID)
    entry = AuditEntry.objects.get(verb="person.update", object_id=str(person_a.pk))
    assert set(entry.data["changes"]) == {"nickname", "is_bedbound", "birth_date", "birth_year_only"}


def test_stale_patch_answers_409_and_changes_nothing(officer, volunteer, person_a):
    assert api_client(officer).api_patch(f"/persons/{person_a.pk}",
                                         {"version": 1, "nickname": "จาก อบต."}).status_code == 200
    stale = api_client(volunteer).api_patch(f"/persons/{person_a.pk}",
                                            {"version": 1, "nickname": "จากภาคสนาม", "phone": "0811111111"})
    assert stale.status_code == 409
    assert "detail" in stale.json() and isinstance(stale.json()["detail"], str)
    person_a.refresh_from_db()
    assert (person_a.nickname, person_a.phone, person_a.version) == ("จาก อบต.", "", 2)
    assert AuditEntry.objects.filter(verb="person.update").count() == 1


def test_patch_errors_name_the_field_and_keep_the_record(officer, person_a):
    client = api_client(officer)
    assert locs(client.api_patch(f"/persons/{person_a.pk}", {"nickname": "x"})) == [["body", "version"]]
    bad = client.api_patch(f"/persons/{person_a.pk}", {"version": 1, "national_id": BAD_ID, "sex": "x"})
    assert sorted(locs(bad)) == [["body", "national_id"], ["body", "sex"]]
    person_a.refresh_from_db()
    assert (person_a.national_id, person_a.sex, person_a.version) == (FULL_ID, "female", 1)


def test_move_to_a_household_in_another_village(volunteer, officer, person_a, household_b):
    response = api_client(officer).api_post(f"/persons/{person_a.pk}/move", {
        "version": 1, "to_household_id": household_b.pk, "relation_to_head": "parent",
        "moved_on": "๑/๓/๒๕๖๘", "note": "ย้ายไปอยู่กับลูก"})
    assert response.status_code == 200, response.content
    body = response.json()
    assert body["move"]["from_area_code"] == "93110401"
    assert body["move"]["to_area_code"] == "93110402"
    assert body["move"]["moved_on"] == "2025-03-01"
    assert body["person"]["household_id"] == household_b.pk
    assert body["person"]["version"] == 2
    person_a.refresh_from_db()
    assert (person_a.area_id, person_a.relation_to_head) == ("93110402", "parent")
    # The volunteer of village A no longer sees them.
    assert api_client(volunteer).api_get(f"/persons/{person_a.pk}").status_code == 404


def test_move_out_of_the_callers_reach_returns_no_person(volunteer, person_a, other_village):
    response = api_client(volunteer).api_post(f"/persons/{person_a.pk}/move",
                                              {"version": 1, "to_area_code": other_village.code})
    assert response.status_code == 200, response.content
    assert response.json()["person"] is None
    assert response.json()["move"]["to_area_code"] == other_village.code
    person_a.refresh_from_db()
    assert person_a.area_id == other_village.code and person_a.household_id is None


def test_move_errors(officer, person_a, outsider_household):
    client = api_client(officer)
    assert locs(client.api_post(f"/persons/{person_a.pk}/move", {"version": 1})) == [["body", "to_household_id"]]
    foreign = client.api_post(f"/persons/{person_a.pk}/move",
                              {"version": 1, "to_household_id": outsider_household.pk})
    assert locs(foreign) == [["body", "to_household_id"]]
    unknown = client.api_post(f"/persons/{person_a.pk}/move", {"version": 1, "to_area_code": "00000000"})
    assert locs(unknown) == [["body", "to_area_code"]]
    bad_date = client.api_post(f"/persons/{person_a.pk}/move",
                               {"version": 1, "to_area_code": "93110402", "moved_on": "เมื่อวาน"})
    assert locs(bad_date) == [["body", "moved_on"]]
    stale = client.api_post(f"/persons/{person_a.pk}/move", {"version": 7, "to_area_code": "93110402"})
    assert stale.status_code == 409
    person_a.refresh_from_db()
    assert (person_a.area_id, person_a.version) == ("93110401", 1)
    assert not PersonMove.objects.exists()


# ---------------------------------------------------------------------------
# Duplicates and counts
# ---------------------------------------------------------------------------


def test_duplicates_find_the_same_id_typed_with_thai_digits(volunteer, person_a):
    response = api_client(volunteer).api_get("/persons/duplicates", area="93110401",
                                             national_id="๓-๕๐๑๑-๐๐๐๐๑-๒๓-๙")
    assert response.status_code == 200
    assert [(d["person"]["id"], d["reason"], d["score"]) for d in response.json()] == [
        (person_a.pk, "same_national_id", 100)]
    assert response.json()[0]["person"]["national_id"] == MASKED_ID
    assert FULL_ID not in response.content.decode()


def test_duplicates_find_a_similar_name_born_the_same_year(officer, person_a, village_b):
    client = api_client(officer)
    for year in ("2490", "1947", "๒๔๙๐"):
        response = client.api_get("/persons/duplicates", area=village_b.code, first_name="สมสี",
                                  last_name="ใจดี", birth_year=year)
        assert [(d["person"]["id"], d["reason"]) for d in response.json()] == [
            (person_a.pk, "similar_name_same_year")], year
    other_year = client.api_get("/persons/duplicates", area=village_b.code, first_name="สมสี",
                                last_name="ใจดี", birth_year="2500")
    assert other_year.json() == []
    excluded = client.api_get("/persons/duplicates", area=village_b.code, first_name="สมศรี",
                              last_name="ใจดี", birth_year="2490", exclude=person_a.pk)
    assert excluded.json() == []
    assert locs(client.api_get("/persons/duplicates", area=village_b.code, birth_year="ปีนี้")) == [
        ["query", "birth_year"]]


def test_counts_per_village_and_group(officer, person_a, household_b):
    person_create(actor=officer, household=household_b, first_name="น้องฝน", no_id_reason="unknown",
                  birth_date="2567", is_poor=True)
    body = api_client(officer).api_get("/persons/counts", area="931104").json()
    assert body["total"] == 2
    assert body["groups"]["elder"] == 1 and body["groups"]["child"] == 1 and body["groups"]["poor"] == 1
    assert [(row["area_code"], row["total"]) for row in body["areas"]] == [("93110401", 1), ("93110402", 1)]


def test_group_filter_documents_exactly_the_selector_groups():
    from typing import get_args

    from chumchon.people.api import GroupName

    assert set(get_args(GroupName)) == set(Group.ALL)


def test_ids_too_large_for_the_database_answer_422_or_404_never_500(officer, person_a):
    client = api_client(officer)
    huge = 10**20
    assert locs(client.api_get("/persons", household=huge)) == [["query", "household"]]
    assert locs(client.api_post("/persons", {"household_id": huge, "first_name": "ก"})) == [["body", "household_id"]]
    assert locs(client.api_get("/persons", offset=huge)) == [["query", "offset"]]
    assert locs(client.api_get("/persons/duplicates", area="93110401", birth_year=str(huge))) == [
        ["query", "birth_year"]]
    assert client.api_get(f"/persons/{huge}").status_code == 404
    assert client.api_get(f"/households/{huge}").status_code == 404
    assert client.api_patch(f"/persons/{person_a.pk}", {"version": huge, "nickname": "x"}).status_code == 409

