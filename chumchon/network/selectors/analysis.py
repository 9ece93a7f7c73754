"""Seeing the network: the graph of organisations and relations, the who-does-what matrix, the
needs that assessments found, the gaps and duplication between the two, and where to refer one
person for one need.

Organisations are read through ``organisation_visible_q`` (VIEW_AGGREGATES); people are only ever
counted, within the user's VIEW_AGGREGATES reach, and counts of 1–4 come back as ``None`` ("<5")
to users who may not see names there — except in ``service_match``, which needs VIEW_NAMES on the
person (404 otherwise).

Coverage rules (kept simple and the same everywhere):
- a service is *relevant to an area* when one of its areas lies within that area or contains it;
- the matrix lists a service under its own target groups only (the "everyone" row shows services
  for everyone);
- a need of target group G for support S is *covered* by a service offering S to G or to
  "everyone";
- *duplication* is a matrix cell with ``threshold`` or more organisations.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any

from django.core.exceptions import ValidationError
from django.db.models import Q
from django.http import Http404
from django.utils.translation import gettext as _

from chumchon.accounts.roles import Capability
from chumchon.accounts.scoping import area_prefixes, can, scope_q, within_q
from chumchon.core.thai import thai_sort_key, thai_sorted
from chumchon.network.models import NeedRule, Organisation, Relation, RelationKind, Service, Term, Vocabulary
from chumchon.network.scoping import ancestors_of, organisation_visible_q
from chumchon.people.selectors import SMALL_CELL_LIMIT, Group, person_get, person_groups
from chumchon.people.validation import today

SEE = Capability.VIEW_AGGREGATES
NAMES = Capability.VIEW_NAMES
EVERYONE = "everyone"
DUPLICATION_THRESHOLD = 3

# The registry's vulnerability groups as the network's target groups.
GROUP_TARGETS = {
    Group.CHILD: "young_children",
    Group.ELDER: "elders",
    Group.DISABLED: "disabled",
    Group.BEDBOUND: "patients",
    Group.REHAB: "patients",
    Group.POOR: "poor_households",
}
HOUSEHOLD_TARGET = "poor_households"

# How near an organisation of each kind usually is to a person: 3 works in the village or tambon,
# 2 at the district, 1 at the province. A kind an administrator added later counts as 2.
KIND_NEARNESS = {
    "health_promoting_hospital": 3, "sao": 3, "municipality": 3, "child_centre": 3, "school": 3,
    "community_group": 3, "savings_group": 3, "fund": 3, "temple": 3, "mosque": 3, "volunteer_network": 3,
    "hospital": 2, "district_office": 2, "ngo": 2, "company": 2,
    "provincial_office": 1, "pao": 1,
}


# ---------------------------------------------------------------------------
# Area handling
# ---------------------------------------------------------------------------


def default_area(user: Any) -> str:
    """The user's tambon (or the first area of their reach, when it is wider than a tambon)."""
    prefixes = area_prefixes(user, SEE)
    if not prefixes:
        raise Http404("not found")
    return prefixes[0][:6]


def check_area(user: Any, area_code: str) -> str:
    """``area_code`` must overlap the user's reach: lie within it, or contain part of it (a
    village volunteer may look at their tambon: organisations are filtered by visibility and people
    by reach anyway). Otherwise 404."""
    code = (area_code or "").strip()
    if not code:
        return default_area(user)
    prefixes = area_prefixes(user, SEE)
    if not any(code.startswith(prefix) or prefix.startswith(code) for prefix in prefixes):
        raise Http404("not found")
    return code


def _relevant_area_q(area_code: str, path: str) -> Q:
    """Rows whose area (at ``path``, a code) lies within ``area_code`` or contains it."""
    return within_q(area_code, path) | Q(**{f"{path}__in": sorted(ancestors_of([area_code]))})


def _services(user: Any, area_code: str) -> Any:
    """Active services of visible, active organisations serving within or above the area."""
    relevant = Service.objects.filter(_relevant_area_q(area_code, "areas__code")).values("pk")
    return Service.objects.filter(organisation_visible_q(user, "organisation__"), is_active=True,
                                  organisation__is_active=True, pk__in=relevant)


def _terms(vocabulary: str) -> list[Term]:
    return list(Term.objects.filter(vocabulary=vocabulary, is_active=True).order_by("sort", "code"))


def _hide_small(user: Any, area_code: str) -> bool:
    """Counts drawn from the user's reach within ``area_code`` hide 1–4 unless the user may see
    names in every part of it."""
    regions = []
    for prefix in area_prefixes(user, SEE):
        if prefix.startswith(area_code):
            regions.append(prefix)
        elif area_code.startswith(prefix):
            regions.append(area_code)
    return not all(can(user, NAMES, region) for region in regions)


# ---------------------------------------------------------------------------
# Graph
# ---------------------------------------------------------------------------


def network_graph(*, user: Any, area_code: str, target_group: str = "", support_kind: str = "") -> dict[str, Any]:
    """Organisations visible to the user and relevant to the area (registered within or above
    it, or covering part of it), with their services there, and the relations between them.
    ``target_group`` (services for that group or for everyone) and ``support_kind`` keep only the
    organisations with a matching service."""
    area_code = check_area(user, area_code)
    covering = Organisation.areas.through.objects.filter(_relevant_area_q(area_code, "area__code"))
    orgs = list(Organisation.objects.filter(organisation_visible_q(user), is_active=True)
                .filter(within_q(area_code, "area__code") | Q(area_id__in=sorted(ancestors_of([area_code])))
                        | Q(pk__in=covering.values("organisation_id")))
                .select_related("kind").order_by("name", "pk"))
    services = _services(user, area_code).filter(organisation__in=[org.pk for org in orgs])
    if target_group:
        services = services.filter(target_groups__code__in=[target_group, EVERYONE])
    if support_kind:
        services = services.filter(support_kinds__code=support_kind)
    by_org: dict[int, list[dict[str, Any]]] = {}
    for service in services.distinct().prefetch_related("target_groups", "support_kinds").order_by("name", "pk"):
        by_org.setdefault(service.organisation_id, []).append({
            "name": service.name,
            "target_groups": [term.label for term in _sorted(service.target_groups.all())],
            "support_kinds": [term.label for term in _sorted(service.support_kinds.all())],
        })
    if target_group or support_kind:
        orgs = [org for org in orgs if org.pk in by_org]
    ids = {org.pk for org in orgs}
    nodes = [{"id": org.pk, "label": org.name, "kind": org.kind.code, "kind_label": org.kind.label,
              "services": by_org.get(org.pk, [])} for org in orgs]
    edges = []
    relations = (Relation.objects.filter(source__in=ids, target__in=ids)
                 .filter(Q(ended_on__isnull=True) | Q(ended_on__gte=today())).order_by("pk"))
    for relation in relations:
        edges.append({"source": relation.source_id, "target": relation.target_id, "kind": relation.kind,
                      "kind_label": str(RelationKind(relation.kind).label)})
    for org in orgs:
        if org.parent_id in ids:
            edges.append({"source": org.pk, "target": org.parent_id, "kind": "part_of",
                          "kind_label": _("part of")})
    return {"nodes": nodes, "edges": edges}


def _sorted(terms: Any) -> list[Term]:
    return sorted(terms, key=lambda term: (term.sort, term.code))


# ---------------------------------------------------------------------------
# Who does what
# ---------------------------------------------------------------------------


@dataclass
class Matrix:
    area_code: str
    target_groups: list[Term]
    support_kinds: list[Term]
    # (target group code, support kind code) → organisation names in Thai-sorted order
    cells: dict[tuple[str, str], list[str]]

    @property
    def rows(self) -> list[tuple[Term, list[list[str]]]]:
        """For templates: each target group with its cells in column order."""
        return [(group, [self.cells.get((group.code, kind.code), []) for kind in self.support_kinds])
                for group in self.target_groups]


def _coverage(user: Any, area_code: str) -> dict[tuple[str, str], set[tuple[int, str]]]:
    """(target group, support kind) → {(organisation id, name)} of the services relevant to the area."""
    rows = (_services(user, area_code)
            .values_list("organisation_id", "organisation__name", "target_groups__code", "support_kinds__code")
            .distinct())
    out: dict[tuple[str, str], set[tuple[int, str]]] = {}
    for org_id, name, group, kind in rows:
        if group and kind:
            out.setdefault((group, kind), set()).add((org_id, name))
    return out


def who_does_what(*, user: Any, area_code: str) -> Matrix:
    """Target groups down, kinds of support across, the names of the organisations whose active
    services serve that pair in an area within or containing ``area_code`` (a village, tambon,
    district or province)."""
    area_code = check_area(user, area_code)
    coverage = _coverage(user, area_code)
    cells = {key: thai_sorted(list({name for _id, name in orgs})) for key, orgs in coverage.items()}
    return Matrix(area_code=area_code, target_groups=_terms(Vocabulary.TARGET_GROUP),
                  support_kinds=_terms(Vocabulary.SUPPORT_KIND), cells=cells)


# ---------------------------------------------------------------------------
# Needs, gaps, duplication
# ---------------------------------------------------------------------------


def needs_in_area(*, user: Any, area_code: str) -> dict[tuple[str, str], int | None]:
    """(target group, support kind) → distinct people (a household counts as one) whose current
    assessment result calls for that support under a ``NeedRule``. ``None`` stands for a count of
    1–4 that the user may not see (no VIEW_NAMES there)."""
    area_code = check_area(user, area_code)
    rules: dict[tuple[str, str], list[tuple[str, str | None]]] = {}
    for rule in NeedRule.objects.select_related("support_kind", "target_group"):
        target = rule.target_group.code if rule.target_group else None
        rules.setdefault((rule.instrument_code, rule.result_code), []).append((rule.support_kind.code, target))
    if not rules:
        return {}
    instruments = sorted({instrument for instrument, _result in rules})
    results = sorted({result for _instrument, result in rules})
    # One query for the area's current results under the instruments that have rules, with the
    # person's group fields. At tambon scale (a few thousand rows) matching classifications and
    # flags in Python is cheap and works on SQLite, which cannot search inside a JSON list.
    from chumchon.people.models import PersonStatus
    from chumchon.visits.models import CurrentStatus

    statuses = (CurrentStatus.objects.filter(scope_q(user, SEE, "area__code"), within_q(area_code, "area__code"),
                                             instrument_code__in=instruments)
                .filter(Q(classification__in=results) | ~Q(flags=[]))
                .filter(Q(person__status=PersonStatus.ACTIVE) | Q(household__is_active=True))
                .values_list("person_id", "household_id", "instrument_code", "classification", "flags",
                             "person__birth_date", "person__is_disabled", "person__is_awaiting_rehab",
                             "person__is_bedbound", "person__is_poor"))
    on = today()
    people: dict[tuple[str, str], set[tuple[str, int]]] = {}
    for person_id, household_id, instrument, classification, flags, *facts in statuses:
        codes = {classification, *(flags or [])}
        subject = ("p", person_id) if person_id else ("h", household_id)
        groups: list[str] | None = None
        for code in codes:
            for kind, target in rules.get((instrument, code), []):
                if target:
                    targets = [target]
                elif person_id is None:
                    targets = [HOUSEHOLD_TARGET]
                else:
                    if groups is None:
                        groups = _target_groups_of(facts, on=on)
                    targets = groups
                for group in targets:
                    people.setdefault((group, kind), set()).add(subject)
    hide = _hide_small(user, area_code)
    return {key: (None if hide and len(subjects) < SMALL_CELL_LIMIT else len(subjects))
            for key, subjects in people.items()}


def _target_groups_of(facts: list[Any], *, on: date) -> list[str]:
    """A person's target groups from their registry groups (birth date, is_disabled,
    is_awaiting_rehab, is_bedbound, is_poor); "everyone" when they are in none."""
    from chumchon.people.models import Person

    birth_date, is_disabled, is_awaiting_rehab, is_bedbound, is_poor = facts
    person = Person(birth_date=birth_date, is_disabled=is_disabled, is_awaiting_rehab=is_awaiting_rehab,
                    is_bedbound=is_bedbound, is_poor=is_poor)
    targets = list(dict.fromkeys(GROUP_TARGETS[group] for group in person_groups(person, on=on)))
    return targets or [EVERYONE]


@dataclass
class Gap:
    target_group: Term
    support_kind: Term
    people: int | None  # None: 1–4, hidden from this user


@dataclass
class Duplication:
    target_group: Term
    support_kind: Term
    organisations: list[str]


@dataclass
class GapReport:
    area_code: str
    gaps: list[Gap] = field(default_factory=list)
    duplication: list[Duplication] = field(default_factory=list)
    threshold: int = DUPLICATION_THRESHOLD


def gaps(*, user: Any, area_code: str, threshold: int = DUPLICATION_THRESHOLD) -> GapReport:
    """Needs no service covers (largest first) and pairs covered by ``threshold`` or more
    organisations (most first)."""
    area_code = check_area(user, area_code)
    needs = needs_in_area(user=user, area_code=area_code)
    coverage = _coverage(user, area_code)
    terms = {(term.vocabulary, term.code): term for term in Term.objects.filter(
        vocabulary__in=[Vocabulary.TARGET_GROUP, Vocabulary.SUPPORT_KIND])}
    report = GapReport(area_code=area_code, threshold=threshold)
    for (group, kind), count in needs.items():
        if count == 0 or coverage.get((group, kind)) or coverage.get((EVERYONE, kind)):
            continue
        group_term, kind_term = terms.get((Vocabulary.TARGET_GROUP, group)), terms.get((Vocabulary.SUPPORT_KIND, kind))
        if group_term and kind_term:
            report.gaps.append(Gap(target_group=group_term, support_kind=kind_term, people=count))
    # A hidden count is 1–4: it sorts below every shown count of 5 or more.
    report.gaps.sort(key=lambda gap: (-(gap.people if gap.people is not None else 1),
                                      gap.target_group.sort, gap.support_kind.sort))
    for (group, kind), orgs in coverage.items():
        group_term, kind_term = terms.get((Vocabulary.TARGET_GROUP, group)), terms.get((Vocabulary.SUPPORT_KIND, kind))
        if len(orgs) >= threshold and group_term and kind_term:
            report.duplication.append(Duplication(target_group=group_term, support_kind=kind_term,
                                                  organisations=thai_sorted([name for _id, name in orgs])))
    report.duplication.sort(key=lambda dup: (-len(dup.organisations), dup.target_group.sort, dup.support_kind.sort))
    return report


# ---------------------------------------------------------------------------
# Where to refer one person for one need
# ---------------------------------------------------------------------------


@dataclass
class Match:
    service: Service
    exact_group: bool  # the service names one of the person's target groups (not only "everyone")
    area_code: str  # the most specific of the service's areas that contains the person's village
    capacity_known: bool
    nearness: int  # KIND_NEARNESS of the organisation's kind

    @property
    def score(self) -> tuple[int, int, int, int]:
        return (2 if self.exact_group else 1, len(self.area_code), int(self.capacity_known), self.nearness)


def person_target_groups(person: Any) -> list[str]:
    targets = list(dict.fromkeys(GROUP_TARGETS[group] for group in person_groups(person)))
    return targets or [EVERYONE]


def service_match(*, user: Any, person_id: int, need: str) -> list[Match]:
    """Services for ``need`` (a support kind code) that serve the person's village and one of their
    target groups (from age and registry groups) or everyone, best first: an exact target group
    before "everyone", then the most specific area (village > tambon > district > province), then a
    known capacity, then the nearer kind of organisation (KIND_NEARNESS), then the name.
    The person must be within the user's VIEW_NAMES reach (404); an unknown need is refused."""
    person = person_get(user=user, person_id=person_id)
    if not Term.objects.filter(vocabulary=Vocabulary.SUPPORT_KIND, code=need, is_active=True).exists():
        raise ValidationError({"need": _("Unknown kind of support: choose one from the list.")})
    groups = person_target_groups(person)
    village = person.area_id
    containing = {village, *ancestors_of([village])}
    services = (Service.objects.filter(organisation_visible_q(user, "organisation__"), is_active=True,
                                       organisation__is_active=True, support_kinds__code=need,
                                       target_groups__code__in=[*groups, EVERYONE], areas__code__in=containing)
                .distinct().select_related("organisation", "organisation__kind")
                .prefetch_related("target_groups", "areas"))
    matches = []
    for service in services:
        codes = {term.code for term in service.target_groups.all()}
        served = [area.code for area in service.areas.all() if area.code in containing]
        matches.append(Match(service=service, exact_group=bool(codes & set(groups)),
                             area_code=max(served, key=len), capacity_known=service.capacity is not None,
                             nearness=KIND_NEARNESS.get(service.organisation.kind.code, 2)))
    matches.sort(key=lambda match: (tuple(-part for part in match.score),
                                    thai_sort_key(match.service.organisation.name), match.service.name,
                                    match.service.pk))
    return matches
