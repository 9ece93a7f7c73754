"""Who sees which part of the directory. Organisations are not personal data, but their contacts
and staff are, and a tambon keeps its own directory: a user sees an organisation registered within
their reach, registered *above* it (a provincial office, a district hospital), or covering an area
within it. Managing needs MANAGE_NETWORK in the organisation's home area. Personal data of the
network (contacts, staff, caregivers, committee members) needs VIEW_NAMES in the organisation's,
centre's or committee's own area; without it, counts of people from 1 to 4 read "<5"."""

from __future__ import annotations

from typing import Any

from django.db.models import Q

from chumchon.accounts.roles import Capability
from chumchon.accounts.scoping import area_prefixes, can, scope_q
from chumchon.people.selectors import SMALL_CELL_LIMIT

SEE = Capability.VIEW_AGGREGATES
MANAGE = Capability.MANAGE_NETWORK
NAMES = Capability.VIEW_NAMES
SMALL_CELL = f"<{SMALL_CELL_LIMIT}"  # how a hidden count of 1–4 reads


def ancestors_of(prefixes: list[str]) -> set[str]:
    """Every area code above the given ones (province 2 digits, district 4, tambon 6)."""
    out: set[str] = set()
    for prefix in prefixes:
        for length in (2, 4, 6):
            if len(prefix) > length:
                out.add(prefix[:length])
    return out


def organisation_visible_q(user: Any, path: str = "") -> Q:
    """A filter on Organisation (or on a model reaching it through ``path``, e.g. "organisation__")."""
    prefixes = area_prefixes(user, SEE)
    if not prefixes:
        return Q(pk__in=[])
    within = scope_q(user, SEE, f"{path}area__code")
    above = Q(**{f"{path}area_id__in": sorted(ancestors_of(prefixes))})
    from chumchon.network.models import Organisation

    covered = Organisation.areas.through.objects.filter(scope_q(user, SEE, "area__code")).values("organisation_id")
    covering = Q(**{f"{path}pk__in" if path == "" else f"{path}id__in": covered})
    return within | above | covering



def may_see_names(user: Any, area_code: str) -> bool:
    """Personal data of the network (contacts, staff, caregivers, members) needs VIEW_NAMES in the
    organisation's, centre's or committee's own area."""
    return can(user, NAMES, area_code)


def shown_count(user: Any, area_code: str, count: int | None) -> int | None:
    """A count of people as the user may see it: 1–4 is ``None`` ("<5") without VIEW_NAMES in the
    area (a small count can point at a person), like the registry's and the analysis' counts."""
    if count and 0 < count < SMALL_CELL_LIMIT and not may_see_names(user, area_code):
        return None
    return count
