"""The review queue, merge history and linkage run pages: what an officer sees and does, and that
everyone else gets 404 and sees nothing."""

from __future__ import annotations

from datetime import date
from typing import Any
from unittest import mock

import pytest
from django.test import Client
from django.urls import reverse

from chumchon.accounts.roles import Role
from chumchon.conftest import OTHER_TAMBON, PASSWORD, make_user
from chumchon.core.models import AuditEntry
from chumchon.linkage.models import CandidateStatus, LinkageRun, MergeEvent, RunStatus
from chumchon.linkage.services.merge import person_merge
from chumchon.linkage.tests.helpers import make_candidate, make_person, make_record
from chumchon.people.models import Person, PersonStatus

pytestmark = pytest.mark.django_db


def _client(user: Any) -> Client:
    client = Client()
    assert client.login(username=user.username, password=PASSWORD)
    return client


@pytest.fixture
def candidate(person_a: Person, village_b: Any) -> Any:
    twin = make_person(village_b, "สมสี", "ใจดี", birth_date=date(1947, 1, 1), birth_year_only=True)
    make_record(twin, source_name="เบี้ยยังชีพผู้สูงอายุ", key="E-0042")
    return make_candidate(person_a, twin, score=0.83)


def test_officer_sees_the_two_records_side_by_side_with_sources_and_evidence(officer: Any, candidate: Any) -> None:
    response = _client(officer).get(reverse("linkage:review"))
    assert response.status_code == 200
    html = response.content.decode()
    assert "สมศรี ใจดี" in html and "สมสี ใจดี" in html
    assert "เบี้ยยังชีพผู้สูงอายุ" in html and "E-0042" in html
    assert "83%" in html
    assert "3-5011-00001-23-9" in html  # an officer may see the full ID
    assert AuditEntry.objects.filter(verb="linkage.queue_view").exists()


def test_deciding_same_merges_and_shows_in_history(officer: Any, candidate: Any) -> None:
    client = _client(officer)
    response = client.post(reverse("linkage:decide", args=[candidate.pk]),
                           {"decision": "same", "keep_id": candidate.person_a_id})
    assert response.status_code == 302
    candidate.refresh_from_db()
    assert candidate.status == CandidateStatus.SAME
    assert Person.objects.get(pk=candidate.person_b_id).status == PersonStatus.MERGED
    history = client.get(reverse("linkage:merges")).content.decode()
    assert "สมสี ใจดี" in history


def test_deciding_different_records_it_and_empties_the_queue(officer: Any, candidate: Any) -> None:
    client = _client(officer)
    client.post(reverse("linkage:decide", args=[candidate.pk]), {"decision": "different"})
    candidate.refresh_from_db()
    assert candidate.status == CandidateStatus.DIFFERENT and candidate.decided_by == officer
    assert "สมสี ใจดี" not in client.get(reverse("linkage:review")).content.decode()
    assert not MergeEvent.objects.exists()


def test_deciding_twice_is_refused_with_a_message(officer: Any, candidate: Any) -> None:
    client = _client(officer)
    client.post(reverse("linkage:decide", args=[candidate.pk]), {"decision": "different"})
    response = client.post(reverse("linkage:decide", args=[candidate.pk]), {"decision": "same"}, follow=True)
    assert "ตัดสินแล้ว" in response.content.decode() or "already decided" in response.content.decode()
    assert not MergeEvent.objects.exists()


def test_undo_from_history_separates_the_records_again(officer: Any, candidate: Any) -> None:
    event = person_merge(actor=officer, keep_id=candidate.person_a_id, merge_id=candidate.person_b_id,
                         candidate=candidate)
    client = _client(officer)
    response = client.post(reverse("linkage:merge_undo", args=[event.pk]))
    assert response.status_code == 302
    assert Person.objects.get(pk=candidate.person_b_id).status == PersonStatus.ACTIVE
    event.refresh_from_db()
    assert event.undone_at is not None


@pytest.mark.parametrize("who", ["outsider", "volunteer", "officer_other"])
def test_others_get_404_on_every_linkage_page(who: str, request: Any, candidate: Any, officer: Any) -> None:
    user = make_user("officer_other", Role.TAMBON_OFFICER, OTHER_TAMBON) if who == "officer_other" \
        else request.getfixturevalue(who)
    event = person_merge(actor=officer, keep_id=candidate.person_a_id, merge_id=candidate.person_b_id)
    run = LinkageRun.objects.create(area_id="931104", created_by=officer)
    client = _client(user)
    if who == "officer_other":  # may open its own (empty) pages, but nothing of ours is there
        assert "สมศรี" not in client.get(reverse("linkage:review")).content.decode()
        assert "สมศรี" not in client.get(reverse("linkage:merges")).content.decode()
    else:
        assert client.get(reverse("linkage:review")).status_code == 404
        assert client.get(reverse("linkage:merges")).status_code == 404
        assert client.post(reverse("linkage:run_start")).status_code == 404
    assert client.post(reverse("linkage:decide", args=[candidate.pk]), {"decision": "different"}).status_code == 404
    assert client.post(reverse("linkage:merge_undo", args=[event.pk])).status_code == 404
    assert client.get(reverse("linkage:run_status", args=[run.pk])).status_code == 404
    candidate.refresh_from_db()
    assert candidate.status == CandidateStatus.PENDING
    assert MergeEvent.objects.get(pk=event.pk).undone_at is None


def test_link_records_now_queues_one_run_and_shows_progress(officer: Any, tambon: Any,
                                                            django_capture_on_commit_callbacks: Any) -> None:
    from django_tasks_db.models import DBTaskResult

    client = _client(officer)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("linkage:run_start"))
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("linkage:run_start"))  # a second press while waiting: same run
    assert LinkageRun.objects.count() == 1
    assert DBTaskResult.objects.filter(task_path__endswith="linkage_run_task").count() == 1
    run = LinkageRun.objects.get()
    assert run.task_id
    assert run.status == RunStatus.PENDING and run.area_id == "931104"
    html = client.get(reverse("linkage:run_status", args=[run.pk])).content.decode()
    assert 'hx-trigger="every 2s"' in html


def test_the_task_runs_linkage_and_records_the_summary(officer: Any, tambon: Any) -> None:
    from chumchon.linkage.services.linking import LinkSummary
    from chumchon.linkage.tasks import run_linkage

    run = LinkageRun.objects.create(area_id="931104", created_by=officer)

    def fake(*, actor: Any, progress: Any, source_ids: Any = None) -> LinkSummary:
        assert actor == officer
        progress("match", 1, 2)
        return LinkSummary(records=10, linked=8, candidates=1)

    with mock.patch("chumchon.linkage.services.linking.linkage_run", side_effect=fake):
        run_linkage(run.pk)
    run.refresh_from_db()
    assert run.status == RunStatus.DONE
    assert run.summary["linked"] == 8
    html = _client(officer).get(reverse("linkage:run_status", args=[run.pk])).content.decode()
    assert "hx-trigger" not in html


def test_a_failing_run_is_marked_failed_with_a_thai_message(officer: Any, tambon: Any) -> None:
    from chumchon.linkage.tasks import run_linkage

    run = LinkageRun.objects.create(area_id="931104", created_by=officer)
    with mock.patch("chumchon.linkage.services.linking.linkage_run", side_effect=RuntimeError("boom")):
        run_linkage(run.pk)
    run.refresh_from_db()
    assert run.status == RunStatus.FAILED and run.message


def test_the_tambon_officer_sees_a_queue_read_in_their_audit_log(officer: Any, candidate: Any) -> None:
    from chumchon.core.selectors import audit_list

    _client(officer).get(reverse("linkage:review"))
    entries = list(audit_list(user=officer, verb="linkage.queue_view"))
    assert entries
    assert {entry.area_code for entry in entries} == {candidate.person_a.area_code, candidate.person_b.area_code}
    assert all(entry.data["candidates"] == [candidate.pk] for entry in entries)
    outsider = make_user("auditor-elsewhere", Role.TAMBON_OFFICER, OTHER_TAMBON)
    assert not audit_list(user=outsider, verb="linkage.queue_view").exists()
