"""Who sees which part of the directory. Organisations are not personal data, but their contacts
and staff are, and a tambon keeps its own directory: a user sees an organisation registered within
their reach, registered *above* it (a provincial office, a district hospital), or covering an area
within it. Managing needs MANAGE_NETWORK in the organisation's home area."""

from __future__ import annotations

from typing import Any

from django.db.models import Q

from chumchon.accounts.roles import Capability
from chumchon.accounts.scoping import area_prefixes, scope_q

SEE = Capability.VIEW_AGGREGATES
MANAGE = Capability.MANAGE_NETWORK


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
