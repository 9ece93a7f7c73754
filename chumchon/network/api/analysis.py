"""API: seeing the network (graph, who-does-what matrix, gaps) and where to refer a person.

Mount with ``api.add_router("/network", network_router, tags=["network"])`` and
``api.add_router("/services", match_router, tags=["network"])`` — ``match_router`` before any
other router on ``/services`` so that ``/services/match`` is not read as a service id."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.http import HttpRequest
from ninja import Query, Router, Schema, Status

from chumchon.api.auth import caller
from chumchon.api.errors import validation_error_items
from chumchon.api.schemas import Id, errors
from chumchon.network.selectors import analysis

network_router = Router()
match_router = Router()


class AreaQuery(Schema):
    area: str = ""  # area code (village, tambon, district, province); empty: the caller's tambon


class GraphQuery(AreaQuery):
    target_group: str = ""
    support_kind: str = ""


class GraphService(Schema):
    name: str
    target_groups: list[str]
    support_kinds: list[str]


class GraphNode(Schema):
    id: int
    label: str
    kind: str
    kind_label: str
    services: list[GraphService]


class GraphEdge(Schema):
    source: int
    target: int
    kind: str
    kind_label: str


class GraphOut(Schema):
    area: str
    nodes: list[GraphNode]
    edges: list[GraphEdge]


class TermOut(Schema):
    code: str
    label: str


class MatrixCell(Schema):
    target_group: str
    support_kind: str
    organisations: list[str]


class MatrixOut(Schema):
    area: str
    target_groups: list[TermOut]
    support_kinds: list[TermOut]
    cells: list[MatrixCell]  # only the cells with at least one organisation


class GapOut(Schema):
    target_group: TermOut
    support_kind: TermOut
    people: int | None  # null: 1–4 people, hidden from roles that may not see names there


class DuplicationOut(Schema):
    target_group: TermOut
    support_kind: TermOut
    organisations: list[str]


class GapsOut(Schema):
    area: str
    threshold: int
    gaps: list[GapOut]
    duplication: list[DuplicationOut]


class MatchQuery(Schema):
    person: Id
    need: str


class MatchOut(Schema):
    service_id: int
    service: str
    organisation_id: int
    organisation: str
    organisation_kind: str
    exact_target_group: bool
    area_code: str
    capacity: int | None
    rank: int


def _term(term: Any) -> dict[str, str]:
    return {"code": term.code, "label": term.label}


@network_router.get("/graph", response={200: GraphOut, **errors(404)})
def graph(request: HttpRequest, query: Query[GraphQuery]) -> dict[str, Any]:
    """Organisations relevant to the area (registered within or above it, or covering it) and
    their relations; filters keep the organisations with a matching service."""
    user = caller(request)
    area = analysis.check_area(user, query.area)
    data = analysis.network_graph(user=user, area_code=area, target_group=query.target_group,
                                  support_kind=query.support_kind)
    return {"area": area, **data}


@network_router.get("/matrix", response={200: MatrixOut, **errors(404)})
def matrix(request: HttpRequest, query: Query[AreaQuery]) -> dict[str, Any]:
    """Who does what: organisation names per target group × kind of support."""
    table = analysis.who_does_what(user=caller(request), area_code=query.area)
    return {"area": table.area_code,
            "target_groups": [_term(term) for term in table.target_groups],
            "support_kinds": [_term(term) for term in table.support_kinds],
            "cells": [{"target_group": group, "support_kind": kind, "organisations": names}
                      for (group, kind), names in sorted(table.cells.items())]}


@network_router.get("/gaps", response={200: GapsOut, **errors(404)})
def gaps(request: HttpRequest, query: Query[AreaQuery]) -> dict[str, Any]:
    """Needs found by assessments that no service covers (people counted, largest first), and
    pairs covered by many organisations at once."""
    report = analysis.gaps(user=caller(request), area_code=query.area)
    return {"area": report.area_code, "threshold": report.threshold,
            "gaps": [{"target_group": _term(gap.target_group), "support_kind": _term(gap.support_kind),
                      "people": gap.people} for gap in report.gaps],
            "duplication": [{"target_group": _term(dup.target_group), "support_kind": _term(dup.support_kind),
                             "organisations": dup.organisations} for dup in report.duplication]}


@match_router.get("/match", response={200: list[MatchOut], **errors(404, 422)})
def match(request: HttpRequest, query: Query[MatchQuery]) -> Any:
    """Services that cover a need (a kind-of-support code) for a person, best match first.
    404 when the person is outside the caller's reach; 422 for an unknown need."""
    try:
        matches = analysis.service_match(user=caller(request), person_id=query.person, need=query.need)
    except ValidationError as exc:
        return Status(422, {"detail": validation_error_items(exc, "query")})
    return [{"service_id": m.service.pk, "service": m.service.name, "organisation_id": m.service.organisation_id,
             "organisation": m.service.organisation.name, "organisation_kind": m.service.organisation.kind.code,
             "exact_target_group": m.exact_group, "area_code": m.area_code, "capacity": m.service.capacity,
             "rank": rank} for rank, m in enumerate(matches, start=1)]
