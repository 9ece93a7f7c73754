"""Import of HSDS core tables (see ``chumchon.network.hsds``) through the directory's own services.

All or nothing: every row is checked first (unknown area codes, unknown vocabulary codes, missing
ids, services with no area, parents going round in a circle…); then everything is written in one
transaction, each record through ``organisation_create``/``organisation_update`` and
``service_create``/``service_update`` (so scope, cleaning and audit are theirs); any refused row
rolls the whole import back and the report lists every refused row with its file, line and column.

A record is matched by its id: an organisation or service imported before (``external_id``), one
of ours exported from here, or — an organisation only — one of the same name in the same home
area. A matched record whose content is unchanged is left alone (no permission needed)."""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import Http404
from django.utils.translation import gettext as _

from chumchon.areas.models import Area
from chumchon.core.audit import log_action
from chumchon.core.thai import normalize_text
from chumchon.network import hsds
from chumchon.network.models import Organisation, Service, Term, Vocabulary
from chumchon.network.scoping import organisation_visible_q
from chumchon.network.services.directory import (
    organisation_create,
    organisation_duplicates,
    organisation_update,
    service_create,
    service_update,
)

ORG, SVC, LOC, AREA = hsds.ORGANIZATION, hsds.SERVICE, hsds.LOCATION, hsds.SERVICE_AREA


@dataclass(frozen=True)
class RowError:
    file: str
    line: int  # the line in the file (the header is line 1)
    column: str
    message: str


class HsdsImportError(Exception):
    def __init__(self, errors: list[RowError]):
        super().__init__(f"{len(errors)} row(s) refused")
        self.errors = errors


@dataclass
class ImportReport:
    counts: dict[str, int] = field(default_factory=dict)

    def add(self, key: str) -> None:
        self.counts[key] = self.counts.get(key, 0) + 1


class _Check:
    def __init__(self) -> None:
        self.errors: list[RowError] = []
        self.areas = set(Area.objects.filter(is_active=True).values_list("code", flat=True))
        self.terms: dict[str, set[str]] = {}
        for vocabulary, code in Term.objects.filter(is_active=True).values_list("vocabulary", "code"):
            self.terms.setdefault(vocabulary, set()).add(code)

    def bad(self, file: str, line: int, column: str, message: str) -> None:
        self.errors.append(RowError(file, line, column, message))

    def codes(self, file: str, line: int, column: str, vocabulary: str, value: str) -> list[str]:
        codes = hsds.split_codes(value)
        for code in codes:
            if code not in self.terms.get(vocabulary, set()):
                self.bad(file, line, column, _("Unknown code “%(code)s” in the list of %(vocabulary)s.")
                         % {"code": code, "vocabulary": Vocabulary(vocabulary).label})
        return codes

    def area(self, file: str, line: int, column: str, code: str) -> None:
        if code not in self.areas:
            self.bad(file, line, column, _("Unknown area code “%(code)s”.") % {"code": code})

    def ids(self, file: str, rows: list[dict[str, str]]) -> None:
        seen: set[str] = set()
        for line, row in enumerate(rows, start=2):
            key = row.get("id", "")
            if not key:
                self.bad(file, line, "id", _("Every row needs an id."))
            elif key in seen:
                self.bad(file, line, "id", _("The id “%(id)s” appears twice.") % {"id": key})
            seen.add(key)


def _decimal(check: _Check, file: str, line: int, column: str, value: str) -> Decimal | None:
    if not value:
        return None
    try:
        number = Decimal(value)
        if not number.is_finite():  # "NaN", "inf"
            raise InvalidOperation
        return number.quantize(Decimal("0.000001"))
    except (InvalidOperation, ValueError):
        check.bad(file, line, column, _("Enter a number."))
        return None


def _resolve_existing(rows: list[dict[str, str]], model: type[Organisation] | type[Service],
                      own_id: Any, *, actor: Any) -> dict[str, Any]:
    """Existing records named by the rows' ids, looked up only among those the actor sees (an
    upload must reveal nothing of other areas: an id of theirs is simply a new id here)."""
    ids = [row["id"] for row in rows if row.get("id")]
    visible = model.objects.filter(organisation_visible_q(actor, "" if model is Organisation else "organisation__"))
    found = {obj.external_id: obj for obj in visible.filter(external_id__in=ids)}
    if len(found) < len(ids):
        for obj in visible.filter(external_id=""):
            key = own_id(obj)
            if key in ids and key not in found:
                found[key] = obj
    return found


def check_tables(tables: dict[str, list[dict[str, str]] | None], *, actor: Any) -> tuple[_Check, dict[str, Any]]:
    """Every refused row, and the plan of what to write (nothing is written here)."""
    check = _Check()
    if tables.get(ORG) is None:
        check.bad(ORG, 0, "", _("The file %(name)s is missing.") % {"name": ORG})
    orgs, services = tables.get(ORG) or [], tables.get(SVC) or []
    locations, service_areas = tables.get(LOC) or [], tables.get(AREA) or []
    check.ids(ORG, orgs)
    check.ids(SVC, services)
    org_ids = {row["id"] for row in orgs if row.get("id")}
    existing = _resolve_existing(orgs, Organisation, hsds.organisation_hsds_id, actor=actor)
    for line, row in enumerate(orgs, start=2):
        if not row.get("name"):
            check.bad(ORG, line, "name", _("Please enter the name."))
        if len(check.codes(ORG, line, "x_kind", Vocabulary.ORG_KIND, row.get("x_kind", ""))) != 1:
            check.bad(ORG, line, "x_kind", _("Please choose one."))
        check.area(ORG, line, "x_area_code", row.get("x_area_code", ""))
        for code in hsds.split_codes(row.get("x_covered_area_codes", "")):
            check.area(ORG, line, "x_covered_area_codes", code)
        parent = row.get("parent_organization_id", "")
        if parent and parent not in org_ids and not _resolve_existing([{"id": parent}], Organisation,
                                                                        hsds.organisation_hsds_id, actor=actor):
            check.bad(ORG, line, "parent_organization_id", _("Unknown parent organisation “%(id)s”.") % {"id": parent})
        if row.get("x_active", "") not in ("", "true", "false"):
            check.bad(ORG, line, "x_active", _("Write true or false."))
    _check_cycles(check, orgs)
    location_of: dict[str, dict[str, Any]] = {}
    for line, row in enumerate(locations, start=2):
        org_id = row.get("organization_id", "")
        if org_id not in org_ids:
            check.bad(LOC, line, "organization_id", _("Unknown organisation “%(id)s”.") % {"id": org_id})
        elif org_id in location_of:
            check.bad(LOC, line, "organization_id", _("Only one location per organisation."))
        location_of[org_id] = {"address": row.get("address_1", ""),
                               "latitude": _decimal(check, LOC, line, "latitude", row.get("latitude", "")),
                               "longitude": _decimal(check, LOC, line, "longitude", row.get("longitude", ""))}
    service_ids = {row["id"] for row in services if row.get("id")}
    areas_of: dict[str, list[str]] = {}
    for line, row in enumerate(service_areas, start=2):
        if row.get("service_id", "") not in service_ids:
            check.bad(AREA, line, "service_id", _("Unknown service “%(id)s”.") % {"id": row.get("service_id", "")})
        check.area(AREA, line, "x_area_code", row.get("x_area_code", ""))
        areas_of.setdefault(row.get("service_id", ""), []).append(row.get("x_area_code", ""))
    for line, row in enumerate(services, start=2):
        if row.get("organization_id", "") not in org_ids:
            check.bad(SVC, line, "organization_id", _("Unknown organisation “%(id)s”.")
                      % {"id": row.get("organization_id", "")})
        if not row.get("name"):
            check.bad(SVC, line, "name", _("Please enter the name."))
        if row.get("status", "") not in ("", *hsds.STATUSES):
            check.bad(SVC, line, "status", _("Unknown status “%(code)s”.") % {"code": row.get("status", "")})
        for column, vocabulary in (("x_target_groups", Vocabulary.TARGET_GROUP),
                                   ("x_support_kinds", Vocabulary.SUPPORT_KIND)):
            if not check.codes(SVC, line, column, vocabulary, row.get(column, "")):
                check.bad(SVC, line, column, _("Choose at least one."))
        if row.get("id") and not areas_of.get(row["id"]):
            check.bad(SVC, line, "id", _("The service has no area in %(name)s.") % {"name": AREA})
        capacity = row.get("x_capacity", "")
        if capacity and not (capacity.isascii() and capacity.isdigit() and len(capacity) <= 8):
            check.bad(SVC, line, "x_capacity", _("Enter a whole number of 0 or more."))
    plan = {"orgs": orgs, "services": services, "locations": location_of, "areas": areas_of,
            "existing_orgs": existing,
            "existing_services": _resolve_existing(services, Service, hsds.service_hsds_id, actor=actor)}
    return check, plan


def _check_cycles(check: _Check, orgs: list[dict[str, str]]) -> None:
    parent = {row.get("id", ""): row.get("parent_organization_id", "") for row in orgs}
    for line, row in enumerate(orgs, start=2):
        seen, node = set(), row.get("id", "")
        while node and node in parent and node not in seen:
            seen.add(node)
            node = parent[node]
        if node and node == row.get("id", "") and node in seen:
            check.bad(ORG, line, "parent_organization_id", _("The chain of parents goes round in a circle."))


def _parents_first(orgs: list[dict[str, str]]) -> list[tuple[int, dict[str, str]]]:
    by_id = {row["id"]: (line, row) for line, row in enumerate(orgs, start=2)}
    done: set[str] = set()
    out: list[tuple[int, dict[str, str]]] = []

    def visit(key: str) -> None:
        if key in done or key not in by_id:
            return
        done.add(key)
        visit(by_id[key][1].get("parent_organization_id", ""))
        out.append(by_id[key])
    for key in by_id:
        visit(key)
    return out


def _org_fields(row: dict[str, str], location: dict[str, Any], parent_pk: int | None) -> dict[str, Any]:
    return {"name": normalize_text(row["name"]), "kind_code": row["x_kind"], "area_code": row["x_area_code"],
            "parent_id": parent_pk, "covered_area_codes": sorted(hsds.split_codes(row.get("x_covered_area_codes"))),
            "description": normalize_text(row.get("description", "")), "email": row.get("email", ""),
            "website": row.get("website", ""), "phone": normalize_text(row.get("x_phone", "")),
            "address": normalize_text(location.get("address", "")), "latitude": location.get("latitude"),
            "longitude": location.get("longitude"), "is_active": row.get("x_active", "") != "false"}


def _org_current(org: Organisation) -> dict[str, Any]:
    return {"name": org.name, "kind_code": org.kind.code, "area_code": org.area_code, "parent_id": org.parent_id,
            "covered_area_codes": sorted(org.areas.values_list("code", flat=True)), "description": org.description,
            "email": org.email, "website": org.website, "phone": org.phone, "address": org.address,
            "latitude": org.latitude, "longitude": org.longitude, "is_active": org.is_active}


def _service_fields(row: dict[str, str], areas: list[str]) -> dict[str, Any]:
    return {"name": normalize_text(row["name"]), "description": normalize_text(row.get("description", "")),
            "eligibility": normalize_text(row.get("eligibility_description", "")),
            "capacity": int(row["x_capacity"]) if row.get("x_capacity") else None,
            "is_active": row.get("status", "active") in ("", "active"),
            "target_group_codes": sorted(hsds.split_codes(row.get("x_target_groups"))),
            "support_kind_codes": sorted(hsds.split_codes(row.get("x_support_kinds"))), "area_codes": sorted(areas)}


def _service_current(service: Service) -> dict[str, Any]:
    return {"name": service.name, "description": service.description, "eligibility": service.eligibility,
            "capacity": service.capacity, "is_active": service.is_active,
            "target_group_codes": sorted(service.target_groups.values_list("code", flat=True)),
            "support_kind_codes": sorted(service.support_kinds.values_list("code", flat=True)),
            "area_codes": sorted(service.areas.values_list("code", flat=True))}


def _refused(exc: Exception) -> list[tuple[str, str]]:
    if isinstance(exc, Http404):
        return [("", _("You may not keep the directory of this area."))]
    assert isinstance(exc, ValidationError)
    if hasattr(exc, "error_dict"):
        return [(name, str(message)) for name, messages in exc.message_dict.items() for message in messages]
    return [("", str(message)) for message in exc.messages]


def hsds_import(*, actor: Any, tables: dict[str, list[dict[str, str]] | None]) -> ImportReport:
    """Check, then write everything or nothing. Raises ``HsdsImportError`` listing refused rows."""
    check, plan = check_tables(tables, actor=actor)
    if check.errors:
        raise HsdsImportError(check.errors)
    report = ImportReport()
    with transaction.atomic():
        _write(actor, plan, check, report)
        if check.errors:
            raise HsdsImportError(check.errors)  # leaving the block rolls every write back
        log_action(actor=actor, verb="network.import_hsds", object_type="network.directory",
                   area_code=next(iter(sorted({row["x_area_code"] for row in plan["orgs"]})), ""),
                   data=dict(report.counts))
    return report


def _write(actor: Any, plan: dict[str, Any], check: _Check, report: ImportReport) -> None:
    saved: dict[str, Organisation] = {}
    existing: dict[str, Organisation] = plan["existing_orgs"]
    for line, row in _parents_first(plan["orgs"]):
        parent_key = row.get("parent_organization_id", "")
        parent = saved.get(parent_key) or (_resolve_existing([{"id": parent_key}], Organisation,
                                                             hsds.organisation_hsds_id, actor=actor).get(parent_key)
                                           if parent_key else None)
        fields = _org_fields(row, plan["locations"].get(row["id"], {}), parent.pk if parent else None)
        org = existing.get(row["id"])
        if org is None:
            visible = set(Organisation.objects.filter(organisation_visible_q(actor)).values_list("pk", flat=True)
                          .filter(area_id=row["x_area_code"]))
            org = next((dup for dup in organisation_duplicates(area_code=row["x_area_code"], name=fields["name"])
                        if dup.pk in visible), None)
            if org is not None:
                fields["external_id"] = row["id"]
                report.add("organisations matched by name")
        try:
            with transaction.atomic():
                if org is None:
                    saved[row["id"]] = organisation_create(actor=actor, confirm_new=True, external_id=row["id"],
                                                           **fields)
                    report.add("organisations created")
                elif fields == _org_current(org):
                    saved[row["id"]] = org
                    report.add("organisations unchanged")
                else:
                    saved[row["id"]] = organisation_update(actor=actor, organisation=org, confirm_new=True, **fields)
                    report.add("organisations updated")
        except (ValidationError, Http404) as exc:
            for column, message in _refused(exc):
                check.bad(ORG, line, column, message)
    for line, row in enumerate(plan["services"], start=2):
        org = saved.get(row["organization_id"])
        if org is None:
            continue  # its organisation was refused, already reported
        fields = _service_fields(row, plan["areas"].get(row["id"], []))
        service = plan["existing_services"].get(row["id"])
        try:
            with transaction.atomic():
                if service is None:
                    service_create(actor=actor, organisation=org, external_id=row["id"], **fields)
                    report.add("services created")
                elif service.organisation_id != org.pk:
                    check.bad(SVC, line, "organization_id", _("A service cannot move to another organisation."))
                elif fields == _service_current(service):
                    report.add("services unchanged")
                else:
                    service_update(actor=actor, service=service, **fields)
                    report.add("services updated")
        except (ValidationError, Http404) as exc:
            for column, message in _refused(exc):
                check.bad(SVC, line, column, message)
