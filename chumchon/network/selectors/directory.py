"""Reads of the directory. An organisation is visible when registered within the user's reach,
above it (a provincial office, a district hospital) or covering an area within it
(``network.scoping.organisation_visible_q``); a service or relation follows its organisation(s).
Outside that, a detail answers 404. Contacts and staff are personal data: they are read through
``contact_list``/``staff_list`` (VIEW_NAMES in the organisation's area). Filters joining services
or areas use ``.distinct()``."""

from __future__ import annotations

from typing import Any

from django.db.models import Prefetch, Q, QuerySet
from django.http import Http404

from chumchon.accounts.scoping import can, within_q
from chumchon.core.thai import normalize_text
from chumchon.network.models import Organisation, OrganisationStaff, Relation, Service, Term
from chumchon.network.scoping import MANAGE, ancestors_of, may_see_names, organisation_visible_q


def working_in_q(area_code: str, path: str = "") -> Q:
    """Organisations working in ``area_code``: registered or covering within it, or covering an area
    above it (a provincial office covering the province works in every tambon of it)."""
    above = sorted(ancestors_of([area_code]) | {area_code})
    return (within_q(area_code, f"{path}area__code") | within_q(area_code, f"{path}areas__code")
            | Q(**{f"{path}areas__code__in": above}))


def organisation_list(*, user: Any, q: str = "", kind: str = "", area_code: str = "", target_group: str = "",
                      support_kind: str = "", active_only: bool = False) -> QuerySet[Organisation]:
    rows = Organisation.objects.filter(organisation_visible_q(user))
    joined = False
    text = normalize_text(q)
    if text:
        rows = rows.filter(Q(name__icontains=text) | Q(description__icontains=text))
    if kind:
        rows = rows.filter(kind__code=kind)
    if area_code:
        rows = rows.filter(working_in_q(area_code))
        joined = True
    if target_group or support_kind:
        services = Service.objects.filter(is_active=True)
        if target_group:
            services = services.filter(target_groups__code=target_group)
        if support_kind:
            services = services.filter(support_kinds__code=support_kind)
        rows = rows.filter(pk__in=services.values("organisation_id"))
    if active_only:
        rows = rows.filter(is_active=True)
    if joined:
        rows = rows.distinct()
    return rows.select_related("kind", "area", "parent").order_by("name", "pk")


def organisation_get(*, user: Any, organisation_id: int) -> Organisation:
    organisation = (Organisation.objects.filter(organisation_visible_q(user), pk=organisation_id)
                    .select_related("kind", "area", "parent", "parent__kind").first())
    if organisation is None:
        raise Http404("not found")
    return organisation


def may_manage(user: Any, organisation: Organisation) -> bool:
    return can(user, MANAGE, organisation.area_code)


def contact_list(*, user: Any, organisation: Organisation) -> list[dict[str, Any]]:
    """The organisation's contact people (personal data): none without VIEW_NAMES in its area."""
    return list(organisation.contacts or []) if may_see_names(user, organisation.area_code) else []


def staff_list(*, user: Any, organisation: Organisation) -> list[OrganisationStaff]:
    """The organisation's staff (users by name): none without VIEW_NAMES in its area."""
    if not may_see_names(user, organisation.area_code):
        return []
    return list(organisation.staff.select_related("user").order_by("pk"))


def _service_rows() -> QuerySet[Service]:
    return Service.objects.select_related("organisation", "organisation__area").prefetch_related(
        Prefetch("target_groups", queryset=Term.objects.order_by("sort", "code")),
        Prefetch("support_kinds", queryset=Term.objects.order_by("sort", "code")),
        "areas")


def service_list(*, user: Any, organisation_id: int | None = None, target_group: str = "",
                 support_kind: str = "", area_code: str = "", active_only: bool = False) -> QuerySet[Service]:
    rows = _service_rows().filter(organisation_visible_q(user, "organisation__"))
    if organisation_id is not None:
        rows = rows.filter(organisation_id=organisation_id)
    if target_group:
        rows = rows.filter(target_groups__code=target_group)
    if support_kind:
        rows = rows.filter(support_kinds__code=support_kind)
    if area_code:
        above = sorted(ancestors_of([area_code]) | {area_code})
        rows = rows.filter(within_q(area_code, "areas__code") | Q(areas__code__in=above))
    if active_only:
        rows = rows.filter(is_active=True)
    return rows.distinct().order_by("organisation__name", "name", "pk")


def service_get(*, user: Any, service_id: int) -> Service:
    service = _service_rows().filter(organisation_visible_q(user, "organisation__"), pk=service_id).first()
    if service is None:
        raise Http404("not found")
    return service


def relation_list(*, user: Any, organisation_id: int | None = None, kind: str = "") -> QuerySet[Relation]:
    """Relations whose both ends the user sees; with ``organisation_id``, those from or to it."""
    rows = Relation.objects.filter(organisation_visible_q(user, "source__"), organisation_visible_q(user, "target__"))
    if organisation_id is not None:
        rows = rows.filter(Q(source_id=organisation_id) | Q(target_id=organisation_id))
    if kind:
        rows = rows.filter(kind=kind)
    return rows.select_related("source", "target", "source__kind", "target__kind").distinct().order_by(
        "source__name", "kind", "target__name", "pk")


def relation_get(*, user: Any, relation_id: int) -> Relation:
    relation = relation_list(user=user).filter(pk=relation_id).first()
    if relation is None:
        raise Http404("not found")
    return relation


def term_list(*, vocabulary: str = "", active_only: bool = True) -> QuerySet[Term]:
    """Vocabulary terms are shared data (not scoped): every signed-in user reads them."""
    rows = Term.objects.all()
    if vocabulary:
        rows = rows.filter(vocabulary=vocabulary)
    if active_only:
        rows = rows.filter(is_active=True)
    return rows.order_by("vocabulary", "sort", "code")


def term_choices(vocabulary: str) -> list[tuple[str, str]]:
    return [(term.code, term.label) for term in term_list(vocabulary=vocabulary)]


