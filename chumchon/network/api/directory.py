"""API: the directory — organisations, services, relations and vocabulary terms. Reads through
network.selectors.directory (scoped: 404 outside reach), writes through network.services.directory
(MANAGE_NETWORK in the organisation's home area, Thai messages, audited). Refused input answers 422
naming the field; a name already registered in the area answers 422 at ``name`` and ``confirm_new``
(send ``confirm_new: true`` to register it anyway); a stale edit answers 409."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.db.models import QuerySet
from django.http import HttpRequest
from ninja import Field, Router, Schema, Status
from ninja.pagination import paginate

from chumchon.api.auth import caller
from chumchon.api.pagination import Pagination
from chumchon.api.schemas import Id, errors
from chumchon.network.models import Organisation, Relation, Service, Term
from chumchon.network.selectors import directory as selectors
from chumchon.network.services import directory as services
from chumchon.network.services.terms import term_create

organisations_router = Router()
services_router = Router()
relations_router = Router()
terms_router = Router()


# ---------------------------------------------------------------------------
# Schemas
# ---------------------------------------------------------------------------


class Contact(Schema):
    name: str
    role: str = ""
    phone: str = ""
    email: str = ""


class OrganisationOut(Schema):
    id: int
    name: str
    kind: str = Field(..., alias="kind.code")
    kind_label: str
    area_code: str
    area_label: str
    parent_id: int | None
    covered_area_codes: list[str]
    description: str
    address: str
    phone: str
    email: str
    website: str
    contacts: list[dict[str, Any]]
    latitude: float | None
    longitude: float | None
    external_id: str
    is_active: bool
    version: int

    @staticmethod
    def resolve_kind_label(obj: Organisation) -> str:
        return obj.kind.label

    @staticmethod
    def resolve_area_label(obj: Organisation) -> str:
        return obj.area.label

    @staticmethod
    def resolve_covered_area_codes(obj: Organisation) -> list[str]:
        return sorted(area.code for area in obj.areas.all())

    @staticmethod
    def resolve_contacts(obj: Organisation, context: dict[str, Any]) -> list[dict[str, Any]]:
        """Contact people are personal data: empty without VIEW_NAMES in the organisation's area."""
        return selectors.contact_list(user=caller(context["request"]), organisation=obj)


class OrganisationFields(Schema):
    description: str = ""
    address: str = ""
    phone: str = ""
    email: str = ""
    website: str = ""
    contacts: list[Contact] = []
    latitude: float | None = None
    longitude: float | None = None
    external_id: str = ""


class OrganisationIn(OrganisationFields):
    name: str
    kind_code: str
    area_code: str
    parent_id: Id | None = None
    covered_area_codes: list[str] = []
    confirm_new: bool = False


class OrganisationPatch(Schema):
    name: str | None = None
    kind_code: str | None = None
    area_code: str | None = None
    parent_id: Id | None = None
    covered_area_codes: list[str] | None = None
    description: str | None = None
    address: str | None = None
    phone: str | None = None
    email: str | None = None
    website: str | None = None
    contacts: list[Contact] | None = None
    latitude: float | None = None
    longitude: float | None = None
    external_id: str | None = None
    is_active: bool | None = None
    confirm_new: bool = False
    version: int | None = None


class ServiceOut(Schema):
    id: int
    organisation_id: int
    organisation_name: str = Field(..., alias="organisation.name")
    name: str
    description: str
    target_groups: list[str]
    support_kinds: list[str]
    area_codes: list[str]
    eligibility: str
    capacity: int | None
    external_id: str
    is_active: bool

    @staticmethod
    def resolve_target_groups(obj: Service) -> list[str]:
        return [term.code for term in obj.target_groups.all()]

    @staticmethod
    def resolve_support_kinds(obj: Service) -> list[str]:
        return [term.code for term in obj.support_kinds.all()]

    @staticmethod
    def resolve_area_codes(obj: Service) -> list[str]:
        return sorted(area.code for area in obj.areas.all())


class ServiceIn(Schema):
    organisation_id: Id
    name: str
    target_group_codes: list[str] = []
    support_kind_codes: list[str] = []
    area_codes: list[str] = []
    eligibility: str = ""
    capacity: int | None = Field(None, ge=0, le=10_000_000)
    description: str = ""
    external_id: str = ""


class ServicePatch(Schema):
    name: str | None = None
    target_group_codes: list[str] | None = None
    support_kind_codes: list[str] | None = None
    area_codes: list[str] | None = None
    eligibility: str | None = None
    capacity: int | None = Field(None, ge=0, le=10_000_000)
    description: str | None = None
    external_id: str | None = None
    is_active: bool | None = None


class RelationOut(Schema):
    id: int
    source_id: int
    source_name: str = Field(..., alias="source.name")
    target_id: int
    target_name: str = Field(..., alias="target.name")
    kind: str
    note: str
    started_on: date | None
    ended_on: date | None


class RelationIn(Schema):
    source_id: Id
    target_id: Id
    kind: str
    note: str = ""
    started_on: str | None = None
    ended_on: str | None = None


class TermOut(Schema):
    vocabulary: str
    code: str
    label_th: str
    label_en: str
    sort: int
    is_active: bool


class TermIn(Schema):
    vocabulary: str
    code: str
    label_th: str
    label_en: str = ""


def _nullable(changes: dict[str, Any], *names: str) -> dict[str, Any]:
    """A PATCH field sent as null means "leave it" except where null is a value (parent, coordinates)."""
    keep_null = set(names)
    return {key: value for key, value in changes.items() if value is not None or key in keep_null}


# ---------------------------------------------------------------------------
# Organisations
# ---------------------------------------------------------------------------


@organisations_router.get("", response={200: list[OrganisationOut], **errors(422)})
@paginate(Pagination)
def organisation_list(request: HttpRequest, q: str = "", kind: str = "", area: str = "", target_group: str = "",
                      support_kind: str = "") -> QuerySet[Organisation]:
    """Organisations registered within, above or covering the caller's reach; ``area`` keeps those
    working in that area; ``target_group``/``support_kind`` those with a service for it."""
    return selectors.organisation_list(user=caller(request), q=q, kind=kind, area_code=area,
                                       target_group=target_group, support_kind=support_kind
                                       ).prefetch_related("areas")


@organisations_router.post("", response={201: OrganisationOut, **errors(404, 422)})
def organisation_create(request: HttpRequest, payload: OrganisationIn) -> Status[Organisation]:
    """Register an organisation (MANAGE_NETWORK in ``area_code``, its home)."""
    data = payload.model_dump()
    organisation = services.organisation_create(actor=caller(request), **data)
    return Status(201, organisation)


@organisations_router.get("/{int:organisation_id}", response={200: OrganisationOut, **errors(404)})
def organisation_get(request: HttpRequest, organisation_id: int) -> Organisation:
    return selectors.organisation_get(user=caller(request), organisation_id=organisation_id)


@organisations_router.patch("/{int:organisation_id}", response={200: OrganisationOut, **errors(404, 409, 422)})
def organisation_update(request: HttpRequest, organisation_id: int, payload: OrganisationPatch) -> Organisation:
    user = caller(request)
    organisation = selectors.organisation_get(user=user, organisation_id=organisation_id)
    changes = _nullable(payload.model_dump(exclude_unset=True, exclude={"version"}),
                        "parent_id", "latitude", "longitude")
    return services.organisation_update(actor=user, organisation=organisation, version=payload.version, **changes)


# ---------------------------------------------------------------------------
# Services
# ---------------------------------------------------------------------------


@services_router.get("", response={200: list[ServiceOut], **errors(422)})
@paginate(Pagination)
def service_list(request: HttpRequest, organisation: int | None = None, target_group: str = "",
                 support_kind: str = "", area: str = "") -> QuerySet[Service]:
    return selectors.service_list(user=caller(request), organisation_id=organisation, target_group=target_group,
                                  support_kind=support_kind, area_code=area)


@services_router.post("", response={201: ServiceOut, **errors(404, 422)})
def service_create(request: HttpRequest, payload: ServiceIn) -> Status[Service]:
    """Add a service: target groups × kinds of support × areas (codes from GET /terms)."""
    user = caller(request)
    organisation = selectors.organisation_get(user=user, organisation_id=payload.organisation_id)
    data = payload.model_dump(exclude={"organisation_id"})
    service = services.service_create(actor=user, organisation=organisation, **data)
    return Status(201, selectors.service_get(user=user, service_id=service.pk))


@services_router.get("/{int:service_id}", response={200: ServiceOut, **errors(404)})
def service_get(request: HttpRequest, service_id: int) -> Service:
    return selectors.service_get(user=caller(request), service_id=service_id)


@services_router.patch("/{int:service_id}", response={200: ServiceOut, **errors(404, 422)})
def service_update(request: HttpRequest, service_id: int, payload: ServicePatch) -> Service:
    user = caller(request)
    service = selectors.service_get(user=user, service_id=service_id)
    changes = _nullable(payload.model_dump(exclude_unset=True), "capacity")
    services.service_update(actor=user, service=service, **changes)
    return selectors.service_get(user=user, service_id=service_id)


# ---------------------------------------------------------------------------
# Relations
# ---------------------------------------------------------------------------


@relations_router.get("", response={200: list[RelationOut], **errors(422)})
@paginate(Pagination)
def relation_list(request: HttpRequest, organisation: int | None = None, kind: str = "") -> QuerySet[Relation]:
    """Relations whose both ends the caller sees; ``organisation`` keeps those from or to it."""
    return selectors.relation_list(user=caller(request), organisation_id=organisation, kind=kind)


@relations_router.post("", response={201: RelationOut, **errors(404, 422)})
def relation_create(request: HttpRequest, payload: RelationIn) -> Status[Relation]:
    """``source`` ``kind`` ``target``: supports, funds, coordinates, reports_to, member_of. Dates as
    typed (BE or CE)."""
    user = caller(request)
    source = selectors.organisation_get(user=user, organisation_id=payload.source_id)
    relation = services.relation_create(actor=user, source=source, target=payload.target_id, kind=payload.kind,
                                        note=payload.note, started_on=payload.started_on,
                                        ended_on=payload.ended_on)
    return Status(201, relation)


@relations_router.get("/{int:relation_id}", response={200: RelationOut, **errors(404)})
def relation_get(request: HttpRequest, relation_id: int) -> Relation:
    return selectors.relation_get(user=caller(request), relation_id=relation_id)


@relations_router.delete("/{int:relation_id}", response={204: None, **errors(404)})
def relation_delete(request: HttpRequest, relation_id: int) -> Status[None]:
    user = caller(request)
    services.relation_delete(actor=user, relation=selectors.relation_get(user=user, relation_id=relation_id))
    return Status(204, None)


# ---------------------------------------------------------------------------
# Vocabulary terms
# ---------------------------------------------------------------------------


@terms_router.get("", response={200: list[TermOut], **errors()})
def term_list(request: HttpRequest, vocabulary: str = "") -> QuerySet[Term]:
    """The shared vocabularies: org_kind, target_group, support_kind."""
    caller(request)
    return selectors.term_list(vocabulary=vocabulary)


@terms_router.post("", response={201: TermOut, **errors(404, 422)})
def term_add(request: HttpRequest, payload: TermIn) -> Status[Term]:
    """Add a term to a vocabulary (administrators)."""
    return Status(201, term_create(actor=caller(request), **payload.model_dump()))
