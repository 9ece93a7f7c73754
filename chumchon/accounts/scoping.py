"""The one scoping mechanism. Denied by default: no membership, no rows.

Area codes are hierarchical prefixes, so a user's reach is a short list of code prefixes and
``scope_q`` turns it into ``area_id LIKE 'p1%' OR area_id LIKE 'p2%'`` on an indexed column.
Out-of-scope details answer 404 (``require_area``), never 403.
"""

from __future__ import annotations

from typing import Any

from django.db import connection
from django.db.models import Q
from django.http import Http404

from chumchon.accounts.roles import ROLE_CAPABILITIES

_CACHE_ATTR = "_chumchon_reach"


def _reach(user: Any) -> dict[str, list[str]]:
    """capability → minimal list of area-code prefixes, cached on the user object."""
    if user is None or not getattr(user, "is_authenticated", False) or not user.is_active:
        return {}
    cached = getattr(user, _CACHE_ATTR, None)
    if cached is not None:
        return cached
    from chumchon.accounts.models import Membership

    reach: dict[str, set[str]] = {}
    for area_id, role in Membership.objects.filter(user=user).values_list("area_id", "role"):
        for capability in ROLE_CAPABILITIES.get(role, frozenset()):
            reach.setdefault(capability, set()).add(area_id)
    minimal = {cap: _minimal_prefixes(codes) for cap, codes in reach.items()}
    setattr(user, _CACHE_ATTR, minimal)
    return minimal


def forget_reach(user: Any) -> None:
    if hasattr(user, _CACHE_ATTR):
        delattr(user, _CACHE_ATTR)


def _minimal_prefixes(codes: set[str]) -> list[str]:
    out: list[str] = []
    for code in sorted(codes, key=len):
        if not any(code.startswith(prefix) for prefix in out):
            out.append(code)
    return sorted(out)


def area_prefixes(user: Any, capability: str) -> list[str]:
    return _reach(user).get(capability, [])


def can(user: Any, capability: str, area_code: str | None = None) -> bool:
    """May ``user`` do ``capability`` in ``area_code`` (or anywhere, when no area is given)?"""
    prefixes = area_prefixes(user, capability)
    if area_code is None:
        return bool(prefixes)
    return any(str(area_code).startswith(prefix) for prefix in prefixes)


def within_q(prefix: str, path: str = "area__code") -> Q:
    """Rows whose area code (at ``path``) starts with ``prefix``, in a form the database can
    answer from an index: ``LIKE 'prefix%'`` on PostgreSQL (Django adds a pattern-ops index to
    every code column), a code range on SQLite, which cannot use an index for ``LIKE … ESCAPE``."""
    if connection.vendor == "sqlite":
        return Q(**{f"{path}__gte": prefix, f"{path}__lt": prefix + "\U0010ffff"})
    return Q(**{f"{path}__startswith": prefix})


def scope_q(user: Any, capability: str, path: str = "area__code") -> Q:
    """A filter that keeps only rows whose area code (at ``path``) lies within the user's reach."""
    prefixes = area_prefixes(user, capability)
    if not prefixes:
        return Q(pk__in=[])
    query = Q()
    for prefix in prefixes:
        query |= within_q(prefix, path)
    return query


def require_area(user: Any, capability: str, area_code: str | None) -> None:
    """Raise 404 unless the user may do ``capability`` in ``area_code``."""
    if area_code is None or not can(user, capability, area_code):
        raise Http404("not found")


def read_area_codes(user: Any, area_code: str = "") -> list[str]:
    """The areas a read of names drew from, for its audit entries: the filter's area when one was
    given, otherwise every area of the user's VIEW_NAMES reach (so each officer sees the read)."""
    from chumchon.accounts.roles import Capability

    if area_code:
        return [area_code]
    return area_prefixes(user, Capability.VIEW_NAMES) or [""]
