"""The officer's decisions on possible duplicates, and starting a linkage run from the web."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from chumchon.accounts.roles import Capability
from chumchon.accounts.scoping import area_prefixes, require_area
from chumchon.core.audit import log_action
from chumchon.linkage.models import CandidateStatus, LinkageRun, MatchCandidate, MergeEvent, RunStatus
from chumchon.linkage.services.merge import person_merge
from chumchon.people.models import Person

LINK = Capability.LINK_RECORDS
SAME = "same"
DIFFERENT = "different"


def default_keep(candidate: MatchCandidate) -> Person:
    """Which record to keep when the officer does not say: the one with a national ID, then the
    one with more source records, then the older one."""
    def rank(person: Person) -> tuple[int, int, int]:
        return (1 if person.national_id else 0, person.source_records.count(), -person.pk)

    return max([candidate.person_a, candidate.person_b], key=rank)


@transaction.atomic
def candidate_decide(*, actor: Any, candidate: MatchCandidate, decision: str, keep_id: int | None = None,
                     reason: str = "") -> MatchCandidate:
    """"same" merges the two persons (keeping ``keep_id``, or ``default_keep``); "different"
    records that they are two people, and the pair is never proposed again."""
    candidate = MatchCandidate.objects.select_for_update().select_related("person_a", "person_b").get(pk=candidate.pk)
    require_area(actor, LINK, candidate.person_a.area_code)
    require_area(actor, LINK, candidate.person_b.area_code)
    if decision not in (SAME, DIFFERENT):
        raise ValidationError({"decision": _("Choose “same person” or “different people”.")})
    if candidate.status != CandidateStatus.PENDING:
        raise ValidationError({"decision": _("This pair was already decided.")})
    reason = " ".join(str(reason or "").split())[:300]
    if decision == DIFFERENT:
        candidate.status = CandidateStatus.DIFFERENT
        candidate.decided_by = actor
        candidate.decided_at = timezone.now()
        candidate.save(update_fields=["status", "decided_by", "decided_at"])
        log_action(actor=actor, verb="linkage.different", obj=candidate.person_a, data={
            "candidate": candidate.pk, "persons": [candidate.person_a_id, candidate.person_b_id],
            "score": candidate.score, "reason": reason})
        return candidate
    pair = {candidate.person_a_id: candidate.person_a, candidate.person_b_id: candidate.person_b}
    if keep_id is not None and int(keep_id) not in pair:
        raise ValidationError({"keep_id": _("Keep one of the two records of this pair.")})
    keep = pair[int(keep_id)] if keep_id is not None else default_keep(candidate)
    other = candidate.person_b if keep.pk == candidate.person_a_id else candidate.person_a
    person_merge(actor=actor, keep_id=keep.pk, merge_id=other.pk, reason=reason, candidate=candidate)
    candidate.refresh_from_db()
    return candidate


def queue_view_log(*, actor: Any, candidates: list[MatchCandidate], via: str = "") -> None:
    """Reading pairs side by side is a read of names (PDPA): one audit entry per village of the
    persons shown, listing the pairs that involve it, so each area's officer sees it in their log."""
    by_area: dict[str, list[int]] = {}
    for candidate in candidates:
        for person in (candidate.person_a, candidate.person_b):
            ids = by_area.setdefault(person.area_code, [])
            if candidate.pk not in ids:
                ids.append(candidate.pk)
    for area_code, ids in sorted(by_area.items()):
        log_action(actor=actor, verb="linkage.queue_view", object_type="linkage.matchcandidate",
                   area_code=area_code, data={"candidates": ids, **({"via": via} if via else {})})


def merge_undo(*, actor: Any, event: MergeEvent) -> MergeEvent:
    from chumchon.linkage.services.merge import person_unmerge

    return person_unmerge(actor=actor, merge_id=event.pk)


def _run_area(actor: Any) -> str:
    """The area a run started by this officer belongs to: the widest one they may link in."""
    prefixes = area_prefixes(actor, LINK)
    if not prefixes:
        from django.http import Http404

        raise Http404("not found")
    return sorted(prefixes, key=len)[0]


@transaction.atomic
def linkage_run_start(*, actor: Any) -> LinkageRun:
    """Queue a linkage run of everything in the officer's reach. One run at a time per area: while
    one is waiting or running, starting another returns that one."""
    area_code = _run_area(actor)
    require_area(actor, LINK, area_code)
    running = LinkageRun.objects.select_for_update().filter(
        area_id=area_code, status__in=[RunStatus.PENDING, RunStatus.RUNNING]).first()
    if running is not None:
        return running
    run = LinkageRun.objects.create(area_id=area_code, created_by=actor)
    log_action(actor=actor, verb="linkage.run_start", obj=run, data={"run": run.pk})
    from chumchon.linkage.tasks import linkage_run_task

    def enqueue() -> None:
        result = linkage_run_task.enqueue(run.pk)
        LinkageRun.objects.filter(pk=run.pk).update(task_id=str(result.id)[:64])

    transaction.on_commit(enqueue)
    return run
