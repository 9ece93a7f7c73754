"""The tambon's outcomes: for each target group, how many people have a plan, how many goals are
met, and who has waited longest (the oldest open goal or unanswered referral).

Counts are drawn within the user's VIEW_AGGREGATES reach; 1–4 reads "<5" (None) to users who may
not see names there. Who waited longest lists single people, so it holds only people in whose
village the user has VIEW_NAMES and VIEW_HEALTH; a count-only role (a coordinator) gets no list."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any

from django.utils.translation import gettext_lazy as _

from chumchon.accounts.roles import Capability
from chumchon.accounts.scoping import area_prefixes, scope_q, within_q
from chumchon.care.models import Goal, Outcome, PlanStatus, Referral, ReferralStatus
from chumchon.network.scoping import shown_count
from chumchon.people.models import Person, PersonStatus
from chumchon.people.selectors import Group, person_groups
from chumchon.people.validation import today

SEE = Capability.VIEW_AGGREGATES
DEPENDENT = "dependent_elder"
GROUPS = [(Group.ELDER, _("elders")), (DEPENDENT, _("dependent elders")), (Group.CHILD, _("young children")),
          (Group.DISABLED, _("disabled people")), (Group.POOR, _("poor household members"))]
WAITING_LIMIT = 10


@dataclass
class GroupOutcome:
    code: str
    label: Any
    people: int | None
    with_plan: int | None
    goals_met: int | None
    goals_total: int | None


@dataclass
class Waiting:
    person_id: int
    name: str
    village: str
    since: date
    days: int
    what: str
    kind: str  # "goal" or "referral"


@dataclass
class Outcomes:
    area_code: str
    groups: list[GroupOutcome] = field(default_factory=list)
    waiting: list[Waiting] = field(default_factory=list)
    waiting_shown: bool = False  # the user may see single people somewhere in the area


def _dependent_ids(person_ids: list[int]) -> set[int]:
    from chumchon.visits.models import CurrentStatus

    return set(CurrentStatus.objects.filter(person_id__in=person_ids, instrument_code="barthel_adl",
                                            classification__in=["bed_bound", "home_bound"])
               .values_list("person_id", flat=True))


def tambon_outcomes(*, user: Any, area_code: str = "") -> Outcomes:
    from chumchon.network.selectors.analysis import check_area

    area_code = check_area(user, area_code)
    people = list(Person.objects.filter(scope_q(user, SEE, "area__code"), within_q(area_code, "area__code"),
                                        status=PersonStatus.ACTIVE)
                  .only("id", "birth_date", "is_disabled", "is_awaiting_rehab", "is_bedbound", "is_poor",
                        "area_id", "first_name", "last_name", "title"))
    ids = [person.pk for person in people]
    goals: dict[int, list[int]] = {}
    for person_id, outcome in Goal.objects.filter(plan__person_id__in=ids).values_list("plan__person_id", "outcome"):
        met_total = goals.setdefault(person_id, [0, 0])
        met_total[0] += int(outcome == Outcome.MET)
        met_total[1] += 1
    from chumchon.care.models import CarePlan

    with_plan = set(CarePlan.objects.filter(person_id__in=ids).values_list("person_id", flat=True))
    dependent = _dependent_ids(ids)
    on = today()
    members: dict[str, list[int]] = {code: [] for code, _label in GROUPS}
    for person in people:
        groups = set(person_groups(person, on=on))
        if Group.ELDER in groups and person.pk in dependent:
            groups.add(DEPENDENT)
        for code in groups:
            if code in members:
                members[code].append(person.pk)
    result = Outcomes(area_code=area_code)
    for code, label in GROUPS:
        group_ids = members[code]
        met = sum(goals.get(pid, [0, 0])[0] for pid in group_ids)
        total = sum(goals.get(pid, [0, 0])[1] for pid in group_ids)
        result.groups.append(GroupOutcome(
            code=code, label=label, people=shown_count(user, area_code, len(group_ids)),
            with_plan=shown_count(user, area_code, sum(1 for pid in group_ids if pid in with_plan)),
            goals_met=shown_count(user, area_code, met), goals_total=shown_count(user, area_code, total)))
    result.waiting_shown = _names_reach(user, area_code)
    if result.waiting_shown:
        named = set(Person.objects.filter(
            scope_q(user, Capability.VIEW_NAMES, "area__code"), scope_q(user, Capability.VIEW_HEALTH, "area__code"),
            within_q(area_code, "area__code"), status=PersonStatus.ACTIVE).values_list("pk", flat=True))
        result.waiting = _waiting([pid for pid in ids if pid in named], {person.pk: person for person in people}, on)
    return result


def _names_reach(user: Any, area_code: str) -> bool:
    """The user may see names and health data of someone within the area (or the area is within reach)."""
    def overlaps(capability: str) -> bool:
        return any(prefix.startswith(area_code) or area_code.startswith(prefix)
                   for prefix in area_prefixes(user, capability))

    return overlaps(Capability.VIEW_NAMES) and overlaps(Capability.VIEW_HEALTH)


def _waiting(ids: list[int], people: dict[int, Person], on: date) -> list[Waiting]:
    """The people (already limited to those the user may see by name) who waited longest."""
    from chumchon.areas.models import Area

    rows: dict[int, tuple[date, str, str]] = {}
    for person_id, created, text in (Goal.objects.filter(plan__person_id__in=ids)
                                     .exclude(outcome=Outcome.MET).exclude(plan__status=PlanStatus.CLOSED)
                                     .values_list("plan__person_id", "created_at", "description")):
        since = created.date()
        if person_id not in rows or since < rows[person_id][0]:
            rows[person_id] = (since, str(text), "goal")
    for person_id, created, service in (Referral.objects.filter(person_id__in=ids, status=ReferralStatus.SENT)
                                        .values_list("person_id", "created_at", "service__name")):
        since = created.date()
        if person_id not in rows or since < rows[person_id][0]:
            rows[person_id] = (since, str(service), "referral")
    oldest = sorted(rows.items(), key=lambda item: (item[1][0], item[0]))[:WAITING_LIMIT]
    villages = dict(Area.objects.filter(code__in={people[pid].area_id for pid, _row in oldest})
                    .values_list("code", "name_th"))
    out = []
    for person_id, (since, what, kind) in oldest:
        person = people[person_id]
        out.append(Waiting(person_id=person_id, name=person.full_name,
                           village=villages.get(person.area_id, person.area_id), since=since,
                           days=(on - since).days, what=what, kind=kind))
    return out
