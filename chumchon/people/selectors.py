"""Reads of the registry. Every function takes the acting user and filters through scope_q."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from django.db.models import Count, Q, QuerySet
from django.db.models.functions import Collate
from django.http import Http404
from rapidfuzz import fuzz

from chumchon.accounts.roles import Capability
from chumchon.accounts.scoping import can, scope_q, within_q
from chumchon.core.thai import (
    NationalIdError,
    ThaiDateError,
    is_valid_national_id,
    normalize_national_id,
    normalize_text,
    parse_thai_date,
    years_before,
)
from chumchon.people.matchkeys import dup_key, fold_thai_name, typed_dup_keys
from chumchon.people.models import Household, Person, PersonStatus
from chumchon.people.validation import today

NAMES = Capability.VIEW_NAMES
# Counts from 1 to SMALL_CELL_LIMIT - 1 are hidden from roles that may not see names in that area.
SMALL_CELL_LIMIT = 5
COUNTS = Capability.VIEW_AGGREGATES


class Group:
    CHILD = "child"
    ELDER = "elder"
    DISABLED = "disabled"
    REHAB = "rehab"
    BEDBOUND = "bedbound"
    POOR = "poor"

    ALL = ("child", "elder", "disabled", "rehab", "bedbound", "poor")


def group_q(group: str, *, on: date | None = None) -> Q:
    """The vulnerability groups as filters. Child (< 6) and elder (60+) come from the birth date."""
    on = on or today()
    if group == Group.CHILD:
        return Q(birth_date__gt=years_before(on, 6))
    if group == Group.ELDER:
        return Q(birth_date__lte=years_before(on, 60))
    field = {Group.DISABLED: "is_disabled", Group.REHAB: "is_awaiting_rehab",
             Group.BEDBOUND: "is_bedbound", Group.POOR: "is_poor"}.get(group)
    if field is None:
        raise ValueError(f"unknown group {group!r}")
    return Q(**{field: True})


def person_groups(person: Person, *, on: date | None = None) -> list[str]:
    on = on or today()
    groups = []
    if person.birth_date and person.birth_date > years_before(on, 6):
        groups.append(Group.CHILD)
    if person.birth_date and person.birth_date <= years_before(on, 60):
        groups.append(Group.ELDER)
    for group, flag in ((Group.DISABLED, person.is_disabled), (Group.REHAB, person.is_awaiting_rehab),
                        (Group.BEDBOUND, person.is_bedbound), (Group.POOR, person.is_poor)):
        if flag:
            groups.append(group)
    return groups


def thai_order(field: str) -> Any:
    """Order by a stored Thai sort key in code-point order on any database."""
    from django.db import connection

    if connection.vendor == "postgresql":
        return Collate(field, "C").asc()
    return field


def _search_q(text: str) -> Q:
    """Every word must appear in the stored search text; a whole valid national ID (dashes, spaces
    and Thai digits allowed) matches that ID exactly and nothing else, so that typing part of an
    ID can never reveal the digits a masked ID hides."""
    cleaned = normalize_text(text).lower()
    compact = cleaned.replace("-", "").replace(" ", "")
    if len(compact) == 13 and compact.isdigit():
        return Q(national_id=compact) if is_valid_national_id(compact) else Q(pk__in=[])
    query = Q()
    for term in cleaned.replace("-", "").split():
        query &= Q(search_text__contains=term)
    return query


def current_status_q(user: Any, value: str) -> Q:
    """``<instrument_code>:<classification>`` (``barthel_adl:bed_bound``): people whose current
    assessment under that instrument has that result. Even the filter reveals health data, so it
    is refused (``ValidationError`` on ``status``) to users without VIEW_HEALTH, and it keeps only
    people in the areas where they have it."""
    from django.core.exceptions import ValidationError
    from django.db.models import Exists, OuterRef
    from django.utils.translation import gettext as _

    from chumchon.visits.models import CurrentStatus

    if not can(user, Capability.VIEW_HEALTH):
        raise ValidationError({"status": _("Filtering by assessment results needs access to health data.")})
    code, sep, classification = value.partition(":")
    if not sep or not code or not classification:
        raise ValidationError({"status": _("Choose an assessment result from the list.")})
    return scope_q(user, Capability.VIEW_HEALTH) & Q(Exists(CurrentStatus.objects.filter(
        person_id=OuterRef("pk"), instrument_code=code, classification=classification)))


def person_list(*, user: Any, q: str = "", area_code: str = "", group: str = "",
                status: str = PersonStatus.ACTIVE, household_id: int | None = None,
                current_status: str = "") -> QuerySet[Person]:
    """People the user may see by name, filtered and sorted in Thai order. ``current_status``
    filters by an assessment result (see ``current_status_q``; needs VIEW_HEALTH)."""
    qs = Person.objects.filter(scope_q(user, NAMES)).select_related("household", "area")
    if current_status:
        qs = qs.filter(current_status_q(user, current_status))
    # With no status asked for, merged records (another record of someone listed) stay out.
    qs = qs.filter(status=status) if status else qs.exclude(status=PersonStatus.MERGED)
    if area_code:
        qs = qs.filter(within_q(area_code))
    if group:
        qs = qs.filter(group_q(group))
    if household_id:
        qs = qs.filter(household_id=household_id)
    if q.strip():
        qs = qs.filter(_search_q(q))
    return qs.order_by(thai_order("sort_key"), "id")


def person_get(*, user: Any, person_id: int) -> Person:
    person = (Person.objects.filter(scope_q(user, NAMES)).select_related("household", "area", "area__parent")
              .filter(pk=person_id).first())
    if person is None:
        raise Http404("not found")
    return person


def merged_target_in_reach(*, user: Any, person: Person) -> int | None:
    """The id of the record a merged person now lives on, when the user may see it; None for a
    person not merged, or merged into a record outside the user's reach (not even its id)."""
    if not person.merged_into_id:
        return None
    target = merged_target_id(person)
    return target if Person.objects.filter(scope_q(user, NAMES), pk=target).exists() else None


def merged_target_id(person: Person) -> int:
    """The record a merged person now lives on (following merges of merges)."""
    target, seen = person, {person.pk}
    while target.merged_into_id and target.merged_into_id not in seen:
        seen.add(target.merged_into_id)
        nxt = Person.objects.only("id", "merged_into_id").filter(pk=target.merged_into_id).first()
        if nxt is None:
            break
        target = nxt
    return target.pk


def household_list(*, user: Any, q: str = "", area_code: str = "") -> QuerySet[Household]:
    qs = (Household.objects.filter(scope_q(user, NAMES), is_active=True).select_related("area")
          .annotate(member_count=Count("members", filter=Q(members__status=PersonStatus.ACTIVE))))
    if area_code:
        qs = qs.filter(within_q(area_code))
    if q.strip():
        term = normalize_text(q)
        qs = qs.filter(Q(house_no__startswith=term) | Q(place_name__contains=term) | Q(soi__contains=term))
    return qs.order_by("area_id", "house_no", "id")


def household_get(*, user: Any, household_id: int) -> Household:
    household = (Household.objects.filter(scope_q(user, NAMES)).select_related("area", "area__parent")
                 .filter(pk=household_id).first())
    if household is None:
        raise Http404("not found")
    return household


def household_members(*, user: Any, household: Household) -> list[Person]:
    return list(person_list(user=user, household_id=household.pk))


@dataclass(frozen=True)
class GroupCounts:
    area_code: str
    total: int
    groups: dict[str, int]


def person_counts(*, user: Any, area_code: str = "", by: str = "area") -> list[GroupCounts]:
    """Counts per area (village) and group: for every role that may see aggregates, names or not."""
    qs = Person.objects.filter(scope_q(user, COUNTS), status=PersonStatus.ACTIVE)
    if area_code:
        qs = qs.filter(within_q(area_code))
    aggregates = {group: Count("id", filter=group_q(group)) for group in Group.ALL}
    rows: Any = qs.values("area_id").annotate(total=Count("id"), **aggregates).order_by("area_id")
    return [GroupCounts(area_code=row["area_id"], total=row["total"],
                        groups={group: row[group] for group in Group.ALL}) for row in rows]


@dataclass(frozen=True)
class DuplicateCandidate:
    person: Person
    reason: str
    score: int


def duplicate_candidates(*, user: Any, area_code: str, first_name: str = "", last_name: str = "",
                         birth_year: int | None = None, national_id: str | None = None,
                         exclude_id: int | None = None, limit: int = 5) -> list[DuplicateCandidate]:
    """Likely existing records for a person about to be entered: the same national ID, or a
    similar name (spelling or sound, Thai-normalised) born in the same year, within the tambon of
    ``area_code``. The name check reads the precomputed keys (``people.matchkeys``): one indexed
    lookup for people whose first or last name sounds the same (as typed, or with one typing slip
    undone), then a spelling score on the Thai-folded names, so it stays fast on a registry of a
    million people (bench/dupcheck.py)."""
    if not can(user, NAMES, area_code):
        return []
    found: dict[int, DuplicateCandidate] = {}
    live = ~Q(status__in=[PersonStatus.DECEASED, PersonStatus.MERGED])
    if national_id:
        for person in Person.objects.filter(scope_q(user, NAMES), Q(national_id=national_id), live):
            found[person.pk] = DuplicateCandidate(person, "same_national_id", 100)
    first, last = normalize_text(first_name), normalize_text(last_name)
    if first and birth_year:
        own_first = dup_key(area_code, birth_year, first)
        keys_first = typed_dup_keys(area_code, birth_year, first)
        keys_last = typed_dup_keys(area_code, birth_year, last)
        key_q = Q(dup_key_first__in=keys_first)
        if keys_last:
            key_q |= Q(dup_key_last__in=keys_last)
        pool = Person.objects.filter(key_q, scope_q(user, NAMES), live)
        wanted_first = fold_thai_name(first)
        wanted = f"{wanted_first} {fold_thai_name(last)}".strip()
        for person in pool.only("id", "first_name", "last_name", "title", "area_id", "birth_date",
                                "birth_year_only", "national_id", "household_id", "dup_key_first")[:300]:
            if person.pk in found:
                continue
            theirs_first = fold_thai_name(person.first_name)
            score = int(fuzz.token_sort_ratio(wanted, f"{theirs_first} {fold_thai_name(person.last_name)}".strip()))
            sounds_alike = person.dup_key_first == own_first
            first_close = fuzz.ratio(wanted_first, theirs_first) >= 80
            # Brothers and sisters share a last name and often a birth year: the first name must
            # sound or read alike too.
            if (sounds_alike or first_close) and score >= 60:
                found[person.pk] = DuplicateCandidate(person, "similar_name_same_year", score)
    if exclude_id:
        found.pop(exclude_id, None)
    return sorted(found.values(), key=lambda c: -c.score)[:limit]


def duplicates_for_input(*, user: Any, area_code: str, first_name: str = "", last_name: str = "",
                         birth_date: str = "", national_id: str = "",
                         exclude_id: int | None = None) -> list[DuplicateCandidate]:
    """``duplicate_candidates`` for what is being typed, as typed: a birth date or an ID that
    cannot be read yet (half typed) is simply left out of the check. Pages, API and the
    registration service all use this one function."""
    try:
        clean_id = normalize_national_id(national_id) if str(national_id or "").strip() else None
    except NationalIdError:
        clean_id = None
    birth_year = None
    if str(birth_date or "").strip():
        try:
            birth_year = parse_thai_date(str(birth_date), allow_year_only=True).value.year
        except ThaiDateError:
            birth_year = None
    return duplicate_candidates(user=user, area_code=area_code, first_name=first_name, last_name=last_name,
                                birth_year=birth_year, national_id=clean_id, exclude_id=exclude_id)
