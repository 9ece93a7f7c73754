"""Reads of the area tree. The national tree itself is public; villages and communities are
visible to those whose memberships reach them."""

from __future__ import annotations

from typing import Any

from django.db.models import Q, QuerySet
from django.http import Http404

from chumchon.accounts.roles import Capability
from chumchon.accounts.scoping import area_prefixes, scope_q, within_q
from chumchon.areas.models import LOCAL_LEVELS, Area


def _visible_q(user: Any) -> Q:
    """Areas the user may see: every area their memberships reach, and that area's ancestors."""
    prefixes = area_prefixes(user, Capability.VIEW_AGGREGATES)
    if not prefixes:
        return Q(pk__in=[])
    ancestors = {prefix[:n] for prefix in prefixes for n in (2, 4, 6) if n < len(prefix)}
    query = Q(code__in=ancestors)
    for prefix in prefixes:
        query |= within_q(prefix, "code")
    return query


def area_list(*, user: Any, parent_code: str = "", level: str = "", q: str = "") -> QuerySet[Area]:
    qs = Area.objects.filter(_visible_q(user), is_active=True)
    if parent_code:
        qs = qs.filter(parent_id=parent_code)
    if level:
        qs = qs.filter(level=level)
    if q:
        qs = qs.filter(Q(name_th__contains=q) | Q(name_en__icontains=q) | Q(code__startswith=q))
    return qs.order_by("code")


def area_get(*, user: Any, code: str) -> Area:
    area = Area.objects.filter(_visible_q(user), code=code).select_related("parent").first()
    if area is None:
        raise Http404("not found")
    return area


def local_areas(*, user: Any, capability: str = Capability.VIEW_NAMES, within: str = "") -> QuerySet[Area]:
    """Villages and communities the user may work in, for pickers and filters."""
    qs = Area.objects.filter(scope_q(user, capability, path="code"), level__in=LOCAL_LEVELS, is_active=True)
    if within:
        qs = qs.filter(within_q(within, "code"))
    return qs.order_by("code")


def closed_local_areas(*, user: Any) -> QuerySet[Area]:
    """Villages and communities no longer in use, for those who may reopen them."""
    return Area.objects.filter(scope_q(user, Capability.MANAGE_AREAS, path="code"), level__in=LOCAL_LEVELS,
                               is_active=False).order_by("code")
