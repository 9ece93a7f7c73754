"""The directory's writes: organisations, their staff, services and relations.

Every function is atomic, audited and scoped: managing an organisation needs MANAGE_NETWORK in its
home area (404 outside reach). Bad input raises ``ValidationError({field: message})`` and writes
nothing. The areas an organisation covers lie within its home area; a service's areas lie within the
home area or the areas covered; a parent must not make a cycle; a name already registered in the
same home area raises ``DuplicateOrganisation`` unless ``confirm_new``."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F
from django.http import Http404
from django.utils.translation import gettext as _

from chumchon.accounts.models import Membership
from chumchon.accounts.roles import Capability
from chumchon.accounts.scoping import require_area
from chumchon.areas.models import Area
from chumchon.core.audit import diff, log_action, snapshot
from chumchon.core.errors import StaleEdit
from chumchon.core.thai import normalize_text
from chumchon.core.validation import clean_date
from chumchon.network.errors import DuplicateOrganisation
from chumchon.network.models import Organisation, OrganisationStaff, Relation, RelationKind, Service, Vocabulary
from chumchon.network.scoping import organisation_visible_q
from chumchon.network.services.cleaning import (
    ORG_FIELDS,
    SERVICE_FIELDS,
    as_id,
    clean_area,
    clean_covered_areas,
    clean_name,
    clean_org_fields,
    clean_service_fields,
    name_key,
    within_any,
)
from chumchon.network.services.terms import term_create, term_lookup, terms_lookup

__all__ = [
    "organisation_create",
    "organisation_duplicates",
    "organisation_update",
    "relation_create",
    "relation_delete",
    "service_create",
    "service_update",
    "staff_add",
    "staff_remove",
    "term_create",
]

MANAGE = Capability.MANAGE_NETWORK
AUDITED = ("name", "kind", "parent", "area", *ORG_FIELDS)


# ---------------------------------------------------------------------------
# Cleaning
# ---------------------------------------------------------------------------


def organisation_duplicates(*, area_code: str, name: str, exclude_pk: int | None = None) -> list[Organisation]:
    """Organisations registered in ``area_code`` whose normalised name is the same."""
    key = name_key(name)
    rows = Organisation.objects.filter(area_id=area_code).only("pk", "name", "area")
    if exclude_pk is not None:
        rows = rows.exclude(pk=exclude_pk)
    return [row for row in rows if name_key(row.name) == key]


def _parent(actor: Any, parent_id: Any, organisation: Organisation | None) -> Organisation | None:
    """The parent (visible to the actor), refusing a cycle: walk up from the parent; meeting the
    organisation itself means it would become its own ancestor."""
    if parent_id in (None, ""):
        return None
    try:
        pk = int(parent_id)
    except (TypeError, ValueError):
        raise ValidationError({"parent_id": _("Choose an organisation.")}) from None
    parent = Organisation.objects.filter(organisation_visible_q(actor), pk=pk).first()
    if parent is None:
        raise ValidationError({"parent_id": _("Choose an organisation.")})
    if organisation is not None and organisation.pk:
        seen: set[int] = set()
        node: Organisation | None = parent
        while node is not None and node.pk not in seen:
            if node.pk == organisation.pk:
                raise ValidationError({"parent_id": _(
                    "%(parent)s is %(name)s itself or one of its own sub-units: the chain of parents would "
                    "go round in a circle.") % {"parent": parent.name, "name": organisation.name}})
            seen.add(node.pk)
            parent_pk = node.parent_id
            node = Organisation.objects.filter(pk=parent_pk).first() if parent_pk is not None else None
    return parent


def _bump_version(organisation: Organisation, version: int | None) -> None:
    expected = organisation.version if version in (None, "") else int(version)
    if not Organisation.objects.filter(pk=organisation.pk, version=expected).update(version=F("version") + 1):
        raise StaleEdit()
    organisation.version = expected + 1


# ---------------------------------------------------------------------------
# Organisations
# ---------------------------------------------------------------------------


@transaction.atomic
def organisation_create(*, actor: Any, name: str, kind_code: str, area_code: str, parent_id: int | None = None,
                        covered_area_codes: Any = (), confirm_new: bool = False, **fields: Any) -> Organisation:
    home = clean_area(area_code, "area_code")
    require_area(actor, MANAGE, home.code)
    name = clean_name(name)
    kind = term_lookup(Vocabulary.ORG_KIND, kind_code, "kind_code")
    covered = clean_covered_areas(covered_area_codes, home)
    parent = _parent(actor, parent_id, None)
    extra = clean_org_fields(fields)
    if not confirm_new:
        existing = organisation_duplicates(area_code=home.code, name=name)
        if existing:
            raise DuplicateOrganisation(existing)
    organisation = Organisation.objects.create(name=name, kind=kind, area=home, parent=parent, **extra)
    organisation.areas.set(covered)
    log_action(actor=actor, verb="organisation.create", obj=organisation, data={
        **snapshot(organisation, list(AUDITED)), "areas": [area.code for area in covered]})
    return organisation


@transaction.atomic
def organisation_update(*, actor: Any, organisation: Organisation, version: int | None = None,
                        confirm_new: bool = False, **fields: Any) -> Organisation:
    """Change any of name, kind_code, area_code (the actor must manage both homes), parent_id,
    covered_area_codes and the plain fields. ``version`` guards against a stale form."""
    require_area(actor, MANAGE, organisation.area_code)
    organisation = Organisation.objects.select_for_update().get(pk=organisation.pk)
    before = snapshot(organisation, list(AUDITED))
    before_areas = sorted(organisation.areas.values_list("code", flat=True))
    home = organisation.area
    if "area_code" in fields:
        home = clean_area(fields.pop("area_code"), "area_code")
        require_area(actor, MANAGE, home.code)
    if "name" in fields:
        organisation.name = clean_name(fields.pop("name"))
    if "kind_code" in fields:
        organisation.kind = term_lookup(Vocabulary.ORG_KIND, fields.pop("kind_code"), "kind_code")
    if "parent_id" in fields:
        organisation.parent = _parent(actor, fields.pop("parent_id"), organisation)
    covered_codes = fields.pop("covered_area_codes", before_areas)
    covered = clean_covered_areas(covered_codes, home)
    for name, value in clean_org_fields(fields).items():
        setattr(organisation, name, value)
    moved_or_renamed = home.code != before["area"] or organisation.name != before["name"]
    if moved_or_renamed and not confirm_new:
        existing = organisation_duplicates(area_code=home.code, name=organisation.name, exclude_pk=organisation.pk)
        if existing:
            raise DuplicateOrganisation(existing)
    organisation.area = home
    _bump_version(organisation, version)
    organisation.save()
    organisation.areas.set(covered)
    changes = diff(before, snapshot(organisation, list(AUDITED)))
    after_areas = sorted(area.code for area in covered)
    if after_areas != before_areas:
        changes["areas"] = {"before": before_areas, "after": after_areas}
    log_action(actor=actor, verb="organisation.update", obj=organisation, data=changes)
    return organisation


@transaction.atomic
def staff_add(*, actor: Any, organisation: Organisation, user: Any, position: str = "") -> OrganisationStaff:
    """Make ``user`` staff of the organisation. They must hold a membership in an area the
    organisation is registered in or covers (at, below or above it)."""
    require_area(actor, MANAGE, organisation.area_code)
    codes = [organisation.area_code, *organisation.areas.values_list("code", flat=True)]
    memberships = Membership.objects.filter(user=user).values_list("area_id", flat=True) if user else []
    if not any(code.startswith(member) or member.startswith(code) for member in memberships for code in codes):
        raise ValidationError({"user": _("This user is not a member of any area this organisation works in.")})
    if OrganisationStaff.objects.filter(organisation=organisation, user=user).exists():
        raise ValidationError({"user": _("This user is already on the staff of this organisation.")})
    staff = OrganisationStaff.objects.create(organisation=organisation, user=user,
                                             position=normalize_text(position)[:120])
    log_action(actor=actor, verb="organisation.staff_add", obj=organisation,
               data={"user": user.pk, "position": staff.position})
    return staff


@transaction.atomic
def staff_remove(*, actor: Any, staff: OrganisationStaff) -> None:
    organisation = staff.organisation
    require_area(actor, MANAGE, organisation.area_code)
    user_id = staff.user_id
    staff.delete()
    log_action(actor=actor, verb="organisation.staff_remove", obj=organisation, data={"user": user_id})


# ---------------------------------------------------------------------------
# Services
# ---------------------------------------------------------------------------


def _service_areas(organisation: Organisation, codes: Any) -> list[Area]:
    if isinstance(codes, str):
        codes = codes.split(",")
    wanted = list(dict.fromkeys(str(code).strip() for code in (codes or ()) if str(code).strip()))
    if not wanted:
        raise ValidationError({"area_codes": _("Choose at least one area where the service is given.")})
    allowed = [organisation.area_code, *organisation.areas.values_list("code", flat=True)]
    areas = {area.code: area for area in Area.objects.filter(code__in=wanted, is_active=True)}
    for code in wanted:
        if code not in areas:
            raise ValidationError({"area_codes": _("Unknown area code “%(code)s”.") % {"code": code}})
        if not within_any(code, allowed):
            raise ValidationError({"area_codes": _(
                "%(area)s is outside the areas %(name)s covers.") % {"area": areas[code].label,
                                                                      "name": organisation.name}})
    return [areas[code] for code in wanted]


def _service_audit(service: Service) -> dict[str, Any]:
    return {**snapshot(service, ["organisation", *SERVICE_FIELDS]),
            "target_groups": sorted(service.target_groups.values_list("code", flat=True)),
            "support_kinds": sorted(service.support_kinds.values_list("code", flat=True)),
            "areas": sorted(service.areas.values_list("code", flat=True))}


@transaction.atomic
def service_create(*, actor: Any, organisation: Organisation, name: str, target_group_codes: Any,
                   support_kind_codes: Any, area_codes: Any, eligibility: str = "", capacity: Any = None,
                   description: str = "", **fields: Any) -> Service:
    require_area(actor, MANAGE, organisation.area_code)
    clean = clean_service_fields({"name": name, "eligibility": eligibility, "capacity": capacity,
                            "description": description, **fields})
    groups = terms_lookup(Vocabulary.TARGET_GROUP, target_group_codes, "target_group_codes")
    kinds = terms_lookup(Vocabulary.SUPPORT_KIND, support_kind_codes, "support_kind_codes")
    areas = _service_areas(organisation, area_codes)
    service = Service.objects.create(organisation=organisation, **clean)
    service.target_groups.set(groups)
    service.support_kinds.set(kinds)
    service.areas.set(areas)
    log_action(actor=actor, verb="service.create", obj=service, data=_service_audit(service))
    return service


@transaction.atomic
def service_update(*, actor: Any, service: Service, **fields: Any) -> Service:
    require_area(actor, MANAGE, service.organisation.area_code)
    service = Service.objects.select_for_update().select_related("organisation").get(pk=service.pk)
    before = _service_audit(service)
    groups = kinds = areas = None
    if "target_group_codes" in fields:
        groups = terms_lookup(Vocabulary.TARGET_GROUP, fields.pop("target_group_codes"), "target_group_codes")
    if "support_kind_codes" in fields:
        kinds = terms_lookup(Vocabulary.SUPPORT_KIND, fields.pop("support_kind_codes"), "support_kind_codes")
    if "area_codes" in fields:
        areas = _service_areas(service.organisation, fields.pop("area_codes"))
    for name, value in clean_service_fields(fields).items():
        setattr(service, name, value)
    service.save()
    if groups is not None:
        service.target_groups.set(groups)
    if kinds is not None:
        service.support_kinds.set(kinds)
    if areas is not None:
        service.areas.set(areas)
    log_action(actor=actor, verb="service.update", obj=service, data=diff(before, _service_audit(service)))
    return service


# ---------------------------------------------------------------------------
# Relations
# ---------------------------------------------------------------------------


@transaction.atomic
def relation_create(*, actor: Any, source: Organisation, target: Organisation | int, kind: str, note: str = "",
                    started_on: Any = None, ended_on: Any = None) -> Relation:
    """``source`` ``kind`` ``target`` (the SAO funds the centre). The actor manages the source and
    sees the target."""
    require_area(actor, MANAGE, source.area_code)
    target_pk = target.pk if isinstance(target, Organisation) else target
    pk = as_id(target_pk)
    target_org = Organisation.objects.filter(organisation_visible_q(actor), pk=pk).first() if pk is not None else None
    if target_org is None:
        raise ValidationError({"target_id": _("Choose an organisation.")})
    if target_org.pk == source.pk:
        raise ValidationError({"target_id": _("An organisation cannot have a relation with itself.")})
    if kind not in RelationKind.values:
        raise ValidationError({"kind": _("Choose supports, funds, coordinates with, reports to or member of.")})
    start, end = clean_date(started_on, "started_on"), clean_date(ended_on, "ended_on")
    if start and end and end < start:
        raise ValidationError({"ended_on": _("The end date is before the start date.")})
    if Relation.objects.filter(source=source, target=target_org, kind=kind).exists():
        raise ValidationError({"kind": _("This relation is already recorded.")})
    relation = Relation.objects.create(source=source, target=target_org, kind=kind,
                                       note=normalize_text(note)[:2000], started_on=start, ended_on=end)
    log_action(actor=actor, verb="relation.create", obj=source, data={
        "relation": relation.pk, "target": target_org.pk, "kind": kind, "note": relation.note,
        "started_on": start, "ended_on": end})
    return relation


@transaction.atomic
def relation_delete(*, actor: Any, relation: Relation) -> None:
    source = relation.source
    require_area(actor, MANAGE, source.area_code)
    data = {"relation": relation.pk, "target": relation.target_id, "kind": relation.kind}
    relation.delete()
    log_action(actor=actor, verb="relation.delete", obj=source, data=data)


def organisation_for_manage(*, actor: Any, organisation_id: int) -> Organisation:
    """An organisation the actor may manage, or 404 (for views that open an edit form)."""
    organisation = Organisation.objects.filter(pk=organisation_id).first()
    if organisation is None:
        raise Http404("not found")
    require_area(actor, MANAGE, organisation.area_code)
    return organisation
