"""/api/v1/linkage and /api/v1/source-records: the review queue, decisions, merge history with
undo and runs through the API; outsiders get 404 on everything and see nothing."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest

from chumchon.accounts.roles import Role
from chumchon.api.testing import api_client
from chumchon.conftest import OTHER_TAMBON, make_user
from chumchon.linkage.models import CandidateStatus, LinkageRun, MergeEvent
from chumchon.linkage.services.merge import person_merge
from chumchon.linkage.tests.helpers import make_candidate, make_person, make_record
from chumchon.people.models import Person, PersonStatus

pytestmark = pytest.mark.django_db


@pytest.fixture
def candidate(person_a: Person, village_b: Any) -> Any:
    twin = make_person(village_b, "สมสี", "ใจดี", birth_date=date(1947, 1, 1), birth_year_only=True)
    make_record(twin, source_name="เบี้ยยังชีพผู้สูงอายุ", key="E-0042", national_id="3501100001239")
    return make_candidate(person_a, twin, score=0.83)


def test_officer_lists_candidates_with_both_persons_and_their_source_records(officer: Any, candidate: Any) -> None:
    body = api_client(officer).api_get("/linkage/candidates").json()
    assert body["count"] == 1
    item = body["items"][0]
    assert item["score"] == pytest.approx(0.83)
    assert item["person_a"]["full_name"] == "นางสมศรี ใจดี"
    assert item["person_a"]["national_id"] == "3501100001239"  # officers may see full IDs
    assert item["person_b"]["source_records"][0]["source_key"] == "E-0042"
    assert item["evidence"]["first_name"]["level"] == "similar"


def test_decide_same_merges_and_the_merge_can_be_undone(officer: Any, candidate: Any) -> None:
    client = api_client(officer)
    response = client.api_post(f"/linkage/candidates/{candidate.pk}/decide",
                               {"decision": "same", "keep_id": candidate.person_a_id, "reason": "คนเดียวกัน"})
    assert response.status_code == 200, response.content
    assert response.json()["status"] == "same"
    merges = client.api_get("/linkage/merges").json()
    assert merges["count"] == 1
    merge = merges["items"][0]
    assert merge["kept_id"] == candidate.person_a_id and merge["moved"]["linkage.sourcerecord.person"] == 1
    undo = client.api_post(f"/linkage/merges/{merge['id']}/undo")
    assert undo.status_code == 200 and undo.json()["undone_at"]
    assert Person.objects.get(pk=candidate.person_b_id).status == PersonStatus.ACTIVE
    again = client.api_post(f"/linkage/merges/{merge['id']}/undo")
    assert again.status_code == 422


def test_decide_different_and_refusals_answer_422_naming_the_field(officer: Any, candidate: Any,
                                                                   village_a: Any) -> None:
    client = api_client(officer)
    stranger = make_person(village_a, "บุญมา", "ทองคำ")
    bad_keep = client.api_post(f"/linkage/candidates/{candidate.pk}/decide",
                               {"decision": "same", "keep_id": stranger.pk})
    assert bad_keep.status_code == 422
    assert bad_keep.json()["detail"][0]["loc"] == ["body", "keep_id"]
    assert client.api_post(f"/linkage/candidates/{candidate.pk}/decide", {"decision": "maybe"}).status_code == 422
    ok = client.api_post(f"/linkage/candidates/{candidate.pk}/decide", {"decision": "different"})
    assert ok.json()["status"] == "different"
    twice = client.api_post(f"/linkage/candidates/{candidate.pk}/decide", {"decision": "same"})
    assert twice.status_code == 422
    assert client.api_get("/linkage/candidates").json()["count"] == 0
    assert client.api_get("/linkage/candidates", status="different").json()["count"] == 1


def test_source_record_by_id_for_a_user_in_reach(volunteer: Any, candidate: Any) -> None:
    record = Person.objects.get(pk=candidate.person_b_id).source_records.get()
    body = api_client(volunteer).api_get(f"/source-records/{record.pk}")
    # the twin lives in village B, outside the volunteer's village A
    assert body.status_code == 404
    officer_view = make_user("officer2", Role.TAMBON_OFFICER, "931104")
    body = api_client(officer_view).api_get(f"/source-records/{record.pk}").json()
    assert body["source"] == "เบี้ยยังชีพผู้สูงอายุ" and body["person_id"] == candidate.person_b_id


@pytest.mark.parametrize("who", ["outsider", "volunteer", "officer_other"])
def test_outsiders_get_404_on_every_linkage_endpoint(who: str, request: Any, officer: Any, candidate: Any) -> None:
    user = make_user("officer_other", Role.TAMBON_OFFICER, OTHER_TAMBON) if who == "officer_other" \
        else request.getfixturevalue(who)
    event = person_merge(actor=officer, keep_id=candidate.person_a_id, merge_id=candidate.person_b_id)
    record = Person.objects.get(pk=candidate.person_a_id).source_records.get()
    run = LinkageRun.objects.create(area_id="931104", created_by=officer)
    client = api_client(user)
    listing = client.api_get("/linkage/candidates", status="")
    if who == "officer_other":
        assert listing.json()["count"] == 0
        assert client.api_get("/linkage/merges").json()["count"] == 0
    else:
        assert listing.status_code == 404
        assert client.api_get("/linkage/merges").status_code == 404
    assert client.api_get(f"/linkage/candidates/{candidate.pk}").status_code == 404
    assert client.api_post(f"/linkage/candidates/{candidate.pk}/decide",
                           {"decision": "different"}).status_code == 404
    assert client.api_get(f"/linkage/merges/{event.pk}").status_code == 404
    assert client.api_post(f"/linkage/merges/{event.pk}/undo").status_code == 404
    assert client.api_get(f"/linkage/runs/{run.pk}").status_code == 404
    if who != "volunteer":
        assert client.api_get(f"/source-records/{record.pk}").status_code == 404
    assert MergeEvent.objects.get(pk=event.pk).undone_at is None
    candidate.refresh_from_db()
    assert candidate.status == CandidateStatus.PENDING


def test_officer_starts_a_run_and_reads_its_progress(officer: Any, tambon: Any) -> None:
    client = api_client(officer)
    started = client.api_post("/linkage/runs")
    assert started.status_code == 200, started.content
    run_id = started.json()["id"]
    body = client.api_get(f"/linkage/runs/{run_id}").json()
    assert body["status"] == "pending" and body["area_code"] == "931104"


def test_volunteer_cannot_start_a_run(volunteer: Any) -> None:
    assert api_client(volunteer).api_post("/linkage/runs").status_code == 404
    assert not LinkageRun.objects.exists()


def test_the_tambon_officer_sees_an_api_queue_read_in_their_audit_log(officer: Any, candidate: Any) -> None:
    from chumchon.core.selectors import audit_list

    client = api_client(officer)
    client.api_get("/linkage/candidates")
    client.api_get(f"/linkage/candidates/{candidate.pk}")
    entries = list(audit_list(user=officer, verb="linkage.queue_view"))
    assert len(entries) == 4  # the list and the single read, once per person's village
    assert {entry.area_code for entry in entries} == {candidate.person_a.area_code, candidate.person_b.area_code}
    assert all(entry.data["via"] == "api" for entry in entries)


def test_a_source_record_linked_across_reach_does_not_reveal_the_persons_id(officer: Any, village_a: Any,
                                                                             other_village: Any,
                                                                             candidate: Any) -> None:
    from chumchon.linkage.models import SourceRecord

    elsewhere = make_person(other_village, "สมปอง", "ที่อื่น")
    record = make_record(elsewhere, key="X-9")
    SourceRecord.objects.filter(pk=record.pk).update(area=village_a)  # a row of this tambon, linked outside
    client = api_client(officer)
    body = client.api_get(f"/source-records/{record.pk}").json()
    assert body["source_key"] == "X-9"
    assert body["person_id"] is None
    items = client.api_get("/linkage/candidates").json()["items"]
    ids = [r["person_id"] for item in items for side in ("person_a", "person_b")
           for r in item[side]["source_records"]]
    assert elsewhere.pk not in ids
    assert ids  # the candidate's own record still shows its person
