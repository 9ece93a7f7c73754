"""The review queue, merge history, linkage runs and source records, as each user may see them."""

from __future__ import annotations

from typing import Any

from django.db.models import Q, QuerySet
from django.http import Http404

from chumchon.accounts.roles import Capability
from chumchon.accounts.scoping import scope_q
from chumchon.linkage.models import CandidateStatus, LinkageRun, MatchCandidate, MergeEvent, SourceRecord
from chumchon.people.models import Person, PersonStatus

LINK = Capability.LINK_RECORDS
NAMES = Capability.VIEW_NAMES


def _both(user: Any, one: str, two: str) -> Q:
    return scope_q(user, LINK, path=f"{one}__area__code") & scope_q(user, LINK, path=f"{two}__area__code")


def candidate_list(*, user: Any, status: str = CandidateStatus.PENDING,
                   area_code: str = "") -> QuerySet[MatchCandidate]:
    """Pairs in the user's reach, most likely first. Pending pairs where one person has since
    been merged into someone else are left out (they come back if that merge is undone)."""
    qs = MatchCandidate.objects.filter(_both(user, "person_a", "person_b")).select_related(
        "person_a", "person_b", "person_a__area", "person_b__area", "person_a__household", "person_b__household")
    if status:
        qs = qs.filter(status=status)
    if status == CandidateStatus.PENDING:
        qs = qs.exclude(person_a__status=PersonStatus.MERGED).exclude(person_b__status=PersonStatus.MERGED)
    if area_code:
        from chumchon.accounts.scoping import within_q

        qs = qs.filter(within_q(area_code, "person_a__area__code") | within_q(area_code, "person_b__area__code"))
    return qs.order_by("-score", "pk")


def candidate_get(*, user: Any, candidate_id: int) -> MatchCandidate:
    candidate = candidate_list(user=user, status="").filter(pk=candidate_id).first()
    if candidate is None:
        raise Http404("not found")
    return candidate


def merge_list(*, user: Any) -> QuerySet[MergeEvent]:
    return (MergeEvent.objects.filter(_both(user, "kept", "merged"))
            .select_related("kept", "merged", "kept__area", "merged__area", "actor", "undone_by")
            .order_by("-created_at", "-pk"))


def merge_get(*, user: Any, merge_id: int) -> MergeEvent:
    event = merge_list(user=user).filter(pk=merge_id).first()
    if event is None:
        raise Http404("not found")
    return event


def source_record_get(*, user: Any, record_id: int) -> SourceRecord:
    record = (SourceRecord.objects.filter(scope_q(user, NAMES)).select_related("source", "area", "person")
              .filter(pk=record_id).first())
    if record is None:
        raise Http404("not found")
    return record


def source_records_for(*, user: Any, person: Person) -> list[SourceRecord]:
    """The source records linked to a person, those the user may see by name."""
    return list(SourceRecord.objects.filter(scope_q(user, NAMES), person=person)
                .select_related("source", "area", "person").order_by("source__name", "source_key"))


def run_get(*, user: Any, run_id: int) -> LinkageRun:
    run = LinkageRun.objects.filter(scope_q(user, LINK), pk=run_id).first()
    if run is None:
        raise Http404("not found")
    return run


def run_latest(*, user: Any) -> LinkageRun | None:
    return LinkageRun.objects.filter(scope_q(user, LINK)).order_by("-created_at", "-pk").first()
