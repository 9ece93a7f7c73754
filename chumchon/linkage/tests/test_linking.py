"""linkage_run on a small set with known truth: exact ID, ID repair, Thai spelling variants,
creation of persons, automatic merges, review candidates, idempotence, scope, and the CLI."""

from __future__ import annotations

import csv
import json
from collections import defaultdict
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from django.core.management import call_command

from chumchon.areas.models import Area
from chumchon.core.models import AuditEntry
from chumchon.linkage.models import CandidateStatus, MatchCandidate, MergeEvent, Source, SourceRecord
from chumchon.linkage.services.linking import linkage_run
from chumchon.linkage.tests.helpers import make_candidate, make_person
from chumchon.people.models import Person, PersonStatus

VALID_ID = "3501100001239"
OTHER_ID = "1930100012345"  # valid as well


def record(area: Area, source: str, key: str, truth: str, **fields: Any) -> SourceRecord:
    tambon = Area.objects.get(code=area.code[:6])
    src, _ = Source.objects.get_or_create(area=tambon, name=source)
    return SourceRecord.objects.create(source=src, source_key=key, raw=json.dumps({"truth": truth}), row_hash=key,
                                       area=area, **fields)


def groups_by_person() -> dict[int | None, set[str]]:
    out: dict[int | None, set[str]] = defaultdict(set)
    for rec in SourceRecord.objects.all():
        out[rec.person_id].add(json.loads(rec.raw)["truth"])
    return out


@pytest.fixture
def lists(village_a: Area, village_b: Area) -> dict[str, Any]:
    """Four people in three lists, spelled and dated the way the lists really differ."""
    somsri = make_person(village_a, "สมศรี", "ใจดี", title="นาง", sex="female", birth_date=date(1950, 3, 12),
                         national_id=VALID_ID)
    recs = [
        # สมศรี: exact ID, a mistyped ID (one digit), no ID with the title glued and a 1 January date.
        record(village_a, "ทะเบียนผู้สูงอายุ", "E1", "somsri", national_id=VALID_ID, title="นาง",
               first_name="สมศรี", last_name="ใจดี", sex="หญิง", birth_date=date(1950, 3, 12), house_no="12"),
        record(village_a, "เบี้ยยังชีพ", "A1", "somsri", national_id=VALID_ID[:6] + "9" + VALID_ID[7:], title="นาง",
               first_name="สมศรี", last_name="ใจดี", birth_date=date(1950, 1, 1)),
        record(village_a, "อสม.", "V1", "somsri", first_name="นางสมศรี", last_name="ไจดี", sex="หญิง",
               birth_date=date(1950, 1, 1), birth_year_only=True, house_no="12"),
        # สมศักดิ์: nobody in the registry yet; two spellings, the title as น.ส.-style abbreviations.
        record(village_b, "ทะเบียนผู้สูงอายุ", "E2", "somsak", title="นาย", first_name="สมศักดิ์",
               last_name="ทองแก้ว", sex="ชาย", birth_date=date(1948, 7, 2), house_no="5", phone="0812345678"),
        record(village_b, "อสม.", "V2", "somsak", first_name="สมสัก", last_name="ทองแก้ว", sex="ชาย",
               birth_date=date(1948, 7, 2), house_no="5"),
        record(village_b, "เบี้ยยังชีพ", "A2", "somsak", title="นาย", first_name="สมศักด์", last_name="ทองเเก้ว",
               birth_date=date(1948, 1, 1), birth_year_only=True, house_no="5", phone="0812345678"),
        # สมชาย: same house and family name as สมศักดิ์, another person (his son).
        record(village_b, "อสม.", "V3", "somchai", first_name="สมชาย", last_name="ทองแก้ว", sex="ชาย",
               birth_date=date(1975, 2, 20), house_no="5"),
        record(village_b, "กองทุนสวัสดิการ", "F3", "somchai", national_id=OTHER_ID, title="นาย", first_name="สมชาย",
               last_name="ทองแก้ว", birth_date=date(1975, 2, 20), house_no="5"),
        # มาลี: in one list only.
        record(village_a, "กองทุนสวัสดิการ", "F4", "malee", title="น.ส.", first_name="มาลี", last_name="ศรีสุข",
               birth_date=date(1990, 5, 5)),
    ]
    return {"somsri": somsri, "records": recs}


def test_every_record_is_linked_to_the_right_person(officer: Any, lists: dict[str, Any]) -> None:
    summary = linkage_run(actor=officer)
    groups = groups_by_person()
    assert None not in groups
    assert sorted(sorted(group) for group in groups.values()) == [["malee"], ["somchai"], ["somsak"], ["somsri"]]
    assert groups[lists["somsri"].pk] == {"somsri"}
    assert summary.records == 9
    assert summary.persons_created == 3
    assert Person.objects.count() == 4


def test_link_methods_say_how_each_record_was_linked(officer: Any, lists: dict[str, Any]) -> None:
    linkage_run(actor=officer)
    method = {r.source_key: r.link_method for r in SourceRecord.objects.all()}
    assert method["E1"] == "national_id"
    assert method["A1"] == "id_repaired"
    assert method["V1"] == "probabilistic"
    assert method["V2"] == "probabilistic"
    assert method["F4"] == "created"
    assert all(r.linked_at is not None for r in SourceRecord.objects.all())


def test_a_repaired_id_needs_the_name_and_birth_year_to_agree(officer: Any, village_a: Area,
                                                              lists: dict[str, Any]) -> None:
    stranger = record(village_a, "เบี้ยยังชีพ", "A9", "stranger", national_id=VALID_ID[:6] + "9" + VALID_ID[7:],
                      title="นาย", first_name="ประยูร", last_name="มีสุข", birth_date=date(1980, 6, 6))
    linkage_run(actor=officer)
    stranger.refresh_from_db()
    assert stranger.person_id != lists["somsri"].pk
    assert stranger.link_method == "created"


def test_a_repaired_id_links_even_when_the_first_name_is_misspelled(officer: Any, village_a: Area,
                                                                     lists: dict[str, Any]) -> None:
    swapped = VALID_ID[:9] + VALID_ID[10] + VALID_ID[9] + VALID_ID[11:]
    rec = record(village_a, "กองทุนสวัสดิการ", "F9", "somsri", national_id=swapped, first_name="ศรีสม",
                 last_name="ใจดี", birth_date=date(1950, 1, 1), birth_year_only=True)
    linkage_run(actor=officer)
    rec.refresh_from_db()
    assert (rec.person_id, rec.link_method) == (lists["somsri"].pk, "id_repaired")


def test_created_persons_carry_the_derived_fields_the_registry_needs(officer: Any, lists: dict[str, Any]) -> None:
    linkage_run(actor=officer)
    somsak = SourceRecord.objects.get(source_key="E2").person
    assert somsak is not None
    assert (somsak.title, somsak.first_name, somsak.last_name, somsak.sex) == ("นาย", "สมศักดิ์", "ทองแก้ว", "male")
    assert somsak.birth_date == date(1948, 7, 2) and not somsak.birth_year_only
    assert somsak.sort_key and "สมศักดิ์" in somsak.search_text
    assert somsak.no_id_reason == "unknown" and somsak.national_id is None
    somchai = SourceRecord.objects.get(source_key="F3").person
    assert somchai is not None and somchai.national_id == OTHER_ID
    assert AuditEntry.objects.filter(verb="person.create", object_id=str(somsak.pk)).exists()
    assert AuditEntry.objects.filter(verb="linkage.run").count() == 1


def test_running_twice_changes_nothing(officer: Any, lists: dict[str, Any]) -> None:
    linkage_run(actor=officer)
    before = list(SourceRecord.objects.order_by("pk").values_list("pk", "person_id", "link_method", "linked_at"))
    persons = list(Person.objects.order_by("pk").values_list("pk", "status", "version"))
    candidates = MatchCandidate.objects.count()
    again = linkage_run(actor=officer)
    assert (again.linked, again.persons_created, again.merged, again.candidates) == (0, 0, 0, 0)
    assert list(SourceRecord.objects.order_by("pk").values_list("pk", "person_id", "link_method",
                                                                "linked_at")) == before
    assert list(Person.objects.order_by("pk").values_list("pk", "status", "version")) == persons
    assert MatchCandidate.objects.count() == candidates


def test_new_records_join_the_persons_of_an_earlier_run(officer: Any, village_b: Area, lists: dict[str, Any]) -> None:
    linkage_run(actor=officer)
    somsak = SourceRecord.objects.get(source_key="E2").person_id
    late = record(village_b, "จปฐ.", "B2", "somsak", first_name="นายสมศักดิ์", last_name="ทองแก้ว",
                  birth_date=date(1948, 7, 2), house_no="5", phone="0812345678")
    summary = linkage_run(actor=officer)
    late.refresh_from_db()
    assert late.person_id == somsak
    assert (summary.linked, summary.persons_created) == (1, 0)


def test_two_registry_persons_clearly_one_are_merged_automatically(officer: Any, village_a: Area) -> None:
    one = make_person(village_a, "บุญมา", "แก้วทอง", sex="female", birth_date=date(1944, 4, 4), phone="0899999999",
                      national_id=VALID_ID)
    two = make_person(village_a, "บุญมา", "แก้วทอง", sex="female", birth_date=date(1944, 4, 4), phone="0899999999")
    rec = record(village_a, "อสม.", "V1", "boonma", first_name="บุญมา", last_name="แก้วทอง",
                 birth_date=date(1944, 4, 4), phone="0899999999", person=two, link_method="created")
    summary = linkage_run(actor=officer)
    assert summary.merged == 1
    two.refresh_from_db()
    rec.refresh_from_db()
    assert two.status == PersonStatus.MERGED and two.merged_into_id == one.pk
    assert rec.person_id == one.pk
    event = MergeEvent.objects.get()
    assert event.automatic and (event.kept_id, event.merged_id) == (one.pk, two.pk)


def test_persons_decided_different_are_never_merged_or_proposed_again(officer: Any, village_a: Area) -> None:
    one = make_person(village_a, "บุญมา", "แก้วทอง", sex="female", birth_date=date(1944, 4, 4), phone="0899999999")
    two = make_person(village_a, "บุญมา", "แก้วทอง", sex="female", birth_date=date(1944, 4, 4), phone="0899999999")
    make_candidate(one, two, status=CandidateStatus.DIFFERENT)
    summary = linkage_run(actor=officer)
    assert summary.merged == 0 and summary.candidates == 0
    assert not MergeEvent.objects.exists()
    assert MatchCandidate.objects.filter(status=CandidateStatus.PENDING).count() == 0


def test_a_record_an_officer_linked_keeps_its_person(officer: Any, village_a: Area) -> None:
    one = make_person(village_a, "บุญมา", "แก้วทอง", sex="female", birth_date=date(1944, 4, 4))
    two = make_person(village_a, "บุญมา", "แก้วทอง", sex="female", birth_date=date(1944, 4, 4),
                      national_id=VALID_ID)
    make_candidate(one, two, status=CandidateStatus.DIFFERENT)
    # The record carries the second person's ID, but an officer linked it to the first.
    rec = record(village_a, "อสม.", "V1", "boonma", first_name="บุญมา", last_name="แก้วทอง", national_id=VALID_ID,
                 birth_date=date(1944, 4, 4), person=one, link_method="reviewed")
    summary = linkage_run(actor=officer)
    rec.refresh_from_db()
    assert (rec.person_id, rec.link_method) == (one.pk, "reviewed")
    assert summary.linked == 0 and summary.merged == 0


def test_uncertain_pairs_go_to_the_review_queue_with_evidence(officer: Any, village_a: Area,
                                                              village_b: Area) -> None:
    # Same name and birth year, day unknown on one side, different villages: maybe one person.
    one = record(village_a, "อสม.", "V1", "x", first_name="ประไพ", last_name="ชูแก้ว", birth_date=date(1952, 1, 1),
                 birth_year_only=True, sex="หญิง")
    two = record(village_b, "กองทุนสวัสดิการ", "F1", "y", first_name="ประไพ", last_name="ชูเเก้ว",
                 birth_date=date(1952, 8, 9), sex="หญิง")
    summary = linkage_run(actor=officer)
    one.refresh_from_db()
    two.refresh_from_db()
    assert one.person_id != two.person_id
    assert summary.candidates == 1
    candidate = MatchCandidate.objects.get()
    assert {candidate.person_a_id, candidate.person_b_id} == {one.person_id, two.person_id}
    assert candidate.person_a_id < candidate.person_b_id
    assert 0.5 <= candidate.score < 0.98
    assert candidate.evidence["first_name"]["level"] == "same"
    assert candidate.evidence["first_name"]["a"] == "ประไพ"
    assert set(candidate.evidence) >= {"national_id", "first_name", "last_name", "birth", "place"}
    # Proposed once: a second run adds nothing.
    assert linkage_run(actor=officer).candidates == 0


def test_an_officer_links_only_records_of_their_own_tambon(lists: dict[str, Any], other_village: Area) -> None:
    from chumchon.accounts.roles import Role
    from chumchon.conftest import make_user

    theirs = record(other_village, "อสม.", "X1", "them", first_name="สมศรี", last_name="ใจดี",
                    birth_date=date(1950, 3, 12), national_id=VALID_ID)
    other_officer = make_user("officer2", Role.TAMBON_OFFICER, other_village.code[:6])
    somsri_before = Person.objects.filter(pk=lists["somsri"].pk).values().get()
    summary = linkage_run(actor=other_officer)
    assert summary.records == 1 and summary.persons == 0 and summary.persons_created == 0
    # Our tambon's records and persons are untouched.
    assert SourceRecord.objects.filter(area__code__startswith="931104", person__isnull=False).count() == 0
    assert Person.objects.filter(pk=lists["somsri"].pk).values().get() == somsri_before
    # Their record carries the ID of a person who lives outside their reach: the exact ID links
    # it to that person instead of registering the same ID twice.
    theirs.refresh_from_db()
    assert theirs.person_id == lists["somsri"].pk and theirs.link_method == "national_id"


def test_command_runs_the_linkage_and_exports_the_links(lists: dict[str, Any], tmp_path: Path,
                                                        capsys: pytest.CaptureFixture[str]) -> None:
    call_command("linkage", "run")
    assert "persons created 3" in capsys.readouterr().out
    out = tmp_path / "links.csv"
    call_command("linkage", "export", str(out))
    rows = list(csv.reader(out.open(encoding="utf-8")))
    assert rows[0] == ["source", "source_key", "person_id"]
    expected = sorted([r.source.name, r.source_key, str(r.person_id)] for r in SourceRecord.objects.all())
    assert sorted(rows[1:]) == expected
    assert len(rows) == 10
