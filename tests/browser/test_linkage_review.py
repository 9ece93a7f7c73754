"""The officer's review of possible duplicates, on a phone-sized screen: the queue shows the two
records side by side with where each came from, "same person" merges them, the merge appears in
the history, and Undo separates them again."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest

from chumchon.conftest import PASSWORD
from chumchon.linkage.models import CandidateStatus, MatchCandidate, MergeEvent
from chumchon.linkage.tests.helpers import make_candidate, make_person, make_record
from chumchon.people.models import Person, PersonStatus
from tests.browser.conftest import log_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


def test_officer_merges_a_pair_from_the_queue_and_undoes_it(phone: Any, officer: Any, person_a: Person,
                                                              village_b: Any) -> None:
    twin = make_person(village_b, "สมสี", "ใจดี", birth_date=date(1947, 1, 1), birth_year_only=True,
                       phone="0812345678")
    make_record(twin, source_name="เบี้ยยังชีพผู้สูงอายุ", key="E-0042")
    candidate = make_candidate(person_a, twin, score=0.87)

    log_in(phone, officer.username, PASSWORD)
    phone.goto("/linkage/review/")
    pair = phone.locator(f"#pair-{candidate.pk}")
    sides = pair.locator(".person-side")
    assert sides.count() == 2
    assert "สมศรี ใจดี" in sides.nth(0).inner_text()
    assert "สมสี ใจดี" in sides.nth(1).inner_text()
    assert "เบี้ยยังชีพผู้สูงอายุ" in sides.nth(1).inner_text()
    assert "87%" in pair.inner_text()

    pair.locator(f"input[name=keep_id][value='{person_a.pk}']").check()
    pair.locator("button[value=same]").click()
    phone.wait_for_url("**/linkage/review/")
    assert phone.locator(f"#pair-{candidate.pk}").count() == 0
    assert Person.objects.get(pk=twin.pk).status == PersonStatus.MERGED
    assert MatchCandidate.objects.get(pk=candidate.pk).status == CandidateStatus.SAME

    phone.goto("/linkage/merges/")
    event = MergeEvent.objects.get()
    row = phone.locator(f"#merge-{event.pk}")
    assert "สมสี ใจดี" in row.inner_text() and "สมศรี ใจดี" in row.inner_text()
    row.locator("button[type=submit]").click()
    phone.wait_for_url("**/linkage/merges/")
    assert phone.locator(f"#merge-{event.pk} form").count() == 0  # undone: no Undo button any more
    assert Person.objects.get(pk=twin.pk).status == PersonStatus.ACTIVE
    assert Person.objects.get(pk=twin.pk).source_records.get().source_key == "E-0042"

    phone.goto("/linkage/review/")  # the pair is back in the queue for a fresh decision
    assert phone.locator(f"#pair-{candidate.pk}").count() == 1


def test_officer_links_records_with_the_button_and_watches_it_finish(phone: Any, officer: Any,
                                                                      village_a: Any) -> None:
    from django.core.management import call_command

    from chumchon.linkage.models import LinkageRun, RunStatus, SourceRecord

    make_record(None, source_name="ทะเบียนผู้สูงอายุ", key="R1", area=village_a, first_name="บุญมา",
                last_name="ทองคำ", national_id="3501100001239", birth_date=date(1950, 5, 1))
    make_record(None, source_name="เบี้ยยังชีพผู้สูงอายุ", key="E7", area=village_a, first_name="บุญมา",
                last_name="ทองคํา", national_id="3501100001239", birth_date=date(1950, 5, 1))

    log_in(phone, officer.username, PASSWORD)
    phone.goto("/linkage/review/")
    phone.locator("#linkage-run button[type=submit]").click()
    phone.wait_for_selector("#linkage-run[hx-trigger]")  # queued: the box polls for progress
    run = LinkageRun.objects.get()
    assert run.status == RunStatus.PENDING

    call_command("worker", "--once")
    run.refresh_from_db()
    assert run.status == RunStatus.DONE, run.message
    phone.wait_for_selector("#linkage-run:not([hx-trigger])", timeout=15_000)  # the poll saw it finish
    assert "Link records now" in phone.locator("#linkage-run").inner_text() or \
        "เชื่อมโยงรายชื่อตอนนี้" in phone.locator("#linkage-run").inner_text()
    people = set(SourceRecord.objects.values_list("person_id", flat=True))
    assert len(people) == 1 and None not in people
