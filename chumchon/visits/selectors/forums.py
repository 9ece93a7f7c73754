"""Reads for village forums: forums in reach, the people of a forum's village with their marks,
and verification progress per village. Always scoped to the acting user."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Count, Q, QuerySet
from django.http import Http404

from chumchon.accounts.roles import Capability
from chumchon.accounts.scoping import scope_q, within_q
from chumchon.areas.models import Area
from chumchon.areas.selectors import local_areas
from chumchon.core.review import ReviewStatus
from chumchon.people.models import Person, PersonStatus
from chumchon.visits.models import Assessment, Forum, ForumEntry

NAMES = Capability.VIEW_NAMES
# The states the progress table counts, in the order a record moves through them.
PROGRESS_STATES: tuple[str, ...] = (ReviewStatus.SUBMITTED, ReviewStatus.CORRECTION, ReviewStatus.VERIFIED,
                                    ReviewStatus.ACCEPTED, ReviewStatus.DISPUTED)


def forum_list(*, user: Any, area_code: str = "") -> QuerySet[Forum]:
    """Forums of the villages whose people the user may see by name."""
    qs = Forum.objects.filter(scope_q(user, NAMES)).select_related("area", "area__parent")
    if area_code:
        qs = qs.filter(within_q(area_code))
    return qs.annotate(entry_count=Count("entries")).order_by("-held_on", "-pk")


def forum_get(*, user: Any, forum_id: int) -> Forum:
    forum = (Forum.objects.filter(scope_q(user, NAMES)).select_related("area", "area__parent", "created_by")
             .filter(pk=forum_id).first())
    if forum is None:
        raise Http404("not found")
    return forum


def _house_key(house_no: str) -> tuple[Any, ...]:
    """House numbers in the order a village walks them: 2 before 10, 12/3 after 12/1."""
    parts = re.split(r"(\d+)", house_no or "")
    return (house_no == "", *[(0, int(part), "") if part.isdigit() else (1, 0, part) for part in parts if part])


@dataclass
class ForumRow:
    person: Person
    entry: ForumEntry | None = None
    extra: dict[str, Any] = field(default_factory=dict)


def forum_people(*, user: Any, forum: Forum) -> list[ForumRow]:
    """The people who live in the forum's village (and anyone marked at this forum), by house
    number and Thai name order, each with this forum's mark."""
    entries = {entry.person_id: entry for entry in ForumEntry.objects.filter(forum=forum)}
    people = (Person.objects.filter(scope_q(user, NAMES), area_id=forum.area_id)
              .filter(Q(status=PersonStatus.ACTIVE) | Q(pk__in=list(entries)))
              .select_related("household"))
    rows = [ForumRow(person=person, entry=entries.get(person.pk)) for person in people]
    rows.sort(key=lambda row: (_house_key(row.person.household.house_no if row.person.household else ""),
                               row.person.sort_key, row.person.pk))
    return rows


@dataclass(frozen=True)
class VillageProgress:
    area: Area
    people: dict[str, int]
    assessments: dict[str, int]

    @property
    def people_in_order(self) -> list[int]:
        return [self.people[state] for state in PROGRESS_STATES]

    @property
    def assessments_in_order(self) -> list[int]:
        return [self.assessments[state] for state in PROGRESS_STATES]

    @property
    def people_total(self) -> int:
        return sum(self.people.values())

    @property
    def assessments_total(self) -> int:
        return sum(self.assessments.values())


def _counts(qs: QuerySet[Any]) -> dict[str, dict[str, int]]:
    aggregates = {state: Count("id", filter=Q(review_status=state)) for state in PROGRESS_STATES}
    rows: Any = qs.values("area_id").annotate(**aggregates).order_by("area_id")
    return {row["area_id"]: {state: row[state] for state in PROGRESS_STATES} for row in rows}


def village_progress(*, user: Any, area_code: str = "") -> list[VillageProgress]:
    """Per village the user may see by name (within ``area_code``, e.g. a tambon): how many
    people and assessments are submitted, sent back, verified, accepted, disputed."""
    villages = list(local_areas(user=user, capability=NAMES, within=area_code))
    if not villages:
        return []
    people = Person.objects.filter(scope_q(user, NAMES), status=PersonStatus.ACTIVE)
    assessments = Assessment.objects.filter(scope_q(user, Capability.VIEW_HEALTH))
    if area_code:
        people = people.filter(within_q(area_code))
        assessments = assessments.filter(within_q(area_code))
    people_counts, assessment_counts = _counts(people), _counts(assessments)
    zero = dict.fromkeys(PROGRESS_STATES, 0)
    return [VillageProgress(area=village, people=people_counts.get(village.code, dict(zero)),
                            assessments=assessment_counts.get(village.code, dict(zero)))
            for village in villages]
