"""Reads for verification: what waits for a second visit in the user's reach, one record, and
its history of moves."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from django.http import Http404

from chumchon.accounts.roles import Capability
from chumchon.accounts.scoping import scope_q, within_q
from chumchon.core.review import ReviewStatus
from chumchon.people.models import Person, PersonStatus
from chumchon.visits.models import Assessment, Review

VERIFY = Capability.VERIFY_RECORDS
# Waiting for a verifier, and waiting for the collector to correct and submit again.
QUEUE_STATES = (ReviewStatus.SUBMITTED, ReviewStatus.CORRECTION, ReviewStatus.DRAFT)


def review_people(*, user: Any, status: str = ReviewStatus.SUBMITTED, area_code: str = "") -> QuerySet[Person]:
    qs = (Person.objects.filter(scope_q(user, VERIFY), scope_q(user, Capability.VIEW_NAMES),
                                review_status=status, status=PersonStatus.ACTIVE)
          .select_related("household", "area"))
    if area_code:
        qs = qs.filter(within_q(area_code))
    return qs.order_by("area_id", "sort_key", "pk")


def review_assessments(*, user: Any, status: str = ReviewStatus.SUBMITTED,
                       area_code: str = "") -> QuerySet[Assessment]:
    qs = (Assessment.objects.filter(scope_q(user, VERIFY), scope_q(user, Capability.VIEW_HEALTH),
                                    review_status=status)
          .select_related("person", "household", "area"))
    if area_code:
        qs = qs.filter(within_q(area_code))
    return qs.order_by("area_id", "assessed_on", "pk")


def record_get(*, user: Any, kind: str, record_id: int) -> Person | Assessment:
    """One person or assessment the user may verify; anything else → 404."""
    record: Person | Assessment | None
    if kind == "person":
        record = Person.objects.filter(scope_q(user, VERIFY), scope_q(user, Capability.VIEW_NAMES),
                                       pk=record_id).first()
    elif kind == "assessment":
        record = Assessment.objects.filter(scope_q(user, VERIFY), scope_q(user, Capability.VIEW_HEALTH),
                                           pk=record_id).first()
    else:
        record = None
    if record is None:
        raise Http404("not found")
    return record


def record_reviews(*, user: Any, kind: str, record_id: int) -> QuerySet[Review]:
    """The moves of one record, oldest first (404 when the record is out of reach)."""
    record = record_get(user=user, kind=kind, record_id=record_id)
    qs = Review.objects.filter(**{kind: record}).select_related("actor", "forum", "visit")
    return qs.order_by("created_at", "pk")


def collectors(records: list[Any]) -> dict[str, int | None]:
    """``"person-<id>"`` / ``"assessment-<id>"`` → the user who collected it, in two queries at most
    (people registered before ``registered_by`` was kept are looked up in the audit log)."""
    from chumchon.core.models import AuditEntry

    out: dict[str, int | None] = {}
    unknown: list[int] = []
    for record in records:
        if isinstance(record, Assessment):
            out[f"assessment-{record.pk}"] = record.collector_id
        elif record.registered_by_id:
            out[f"person-{record.pk}"] = record.registered_by_id
        else:
            unknown.append(record.pk)
    if unknown:
        entries = (AuditEntry.objects.filter(verb="person.create", object_type="people.person",
                                             object_id__in=[str(pk) for pk in unknown])
                   .order_by("-at", "-id").values_list("object_id", "actor_id"))
        for object_id, actor_id in entries:
            out[f"person-{object_id}"] = actor_id
    return out
