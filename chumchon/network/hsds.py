"""Exchange of the directory as Open Referral HSDS (Human Services Data Specification 3.x) core
tables: organization.csv, service.csv, location.csv, service_area.csv.

Column names are HSDS's own; what HSDS has no column for is kept in extension columns named
``x_…`` (our vocabularies as ";"-joined codes, the DOPA area codes). HSDS keeps addresses in a
separate address table; we write the address fields HSDS uses there (address_1, city, region,
state_province, postal_code, country) on the location row, derived from the area tree except
address_1. Contacts (personal data) and staff are not exported.

Files are UTF-8 with a BOM (Excel opens Thai correctly) and every text cell is formula-safe.
Ids: an imported record keeps the id it came with (``external_id``); one of ours is given a
UUID derived from this installation and its primary key, so exporting twice gives the same ids
and importing our own file updates rather than duplicates. Import is all or nothing: every row
is checked first, and any refused row leaves the database unchanged (``HsdsImportError``)."""

from __future__ import annotations

import csv
import io
import uuid
import zipfile
from dataclasses import dataclass, field
from decimal import Decimal
from functools import lru_cache
from pathlib import Path
from typing import Any

from django.db.models import Prefetch, QuerySet

from chumchon.areas.models import Area
from chumchon.core.spreadsheet import safe_row
from chumchon.network.models import Organisation, Service

ORGANIZATION = "organization.csv"
SERVICE = "service.csv"
LOCATION = "location.csv"
SERVICE_AREA = "service_area.csv"
COLUMNS: dict[str, list[str]] = {
    ORGANIZATION: ["id", "name", "alternate_name", "description", "email", "website", "parent_organization_id",
                   "x_kind", "x_area_code", "x_covered_area_codes", "x_phone", "x_active"],
    SERVICE: ["id", "organization_id", "name", "description", "status", "eligibility_description",
              "x_capacity", "x_target_groups", "x_support_kinds"],
    LOCATION: ["id", "location_type", "organization_id", "name", "latitude", "longitude", "address_1", "city",
               "region", "state_province", "postal_code", "country"],
    SERVICE_AREA: ["id", "service_id", "name", "description", "extent_type", "uri", "x_area_code"],
}
FILES = tuple(COLUMNS)
STATUSES = ("active", "inactive", "defunct", "temporarily closed")
FIXED_NAMESPACE = uuid.UUID("4f0e1c52-6a8e-5d1b-9a0e-8c2a4b6d1e93")
Tables = dict[str, list[dict[str, str]]]


@lru_cache(maxsize=1)
def installation_namespace() -> uuid.UUID:
    """A UUID namespace for this installation: from the time its first migration was applied
    (kept by a database restore, different on another server)."""
    from django.db.migrations.recorder import MigrationRecorder

    first = MigrationRecorder.Migration.objects.order_by("pk").values_list("applied", flat=True).first()
    return uuid.uuid5(FIXED_NAMESPACE, f"chumchon:{first.isoformat() if first else ''}")


def organisation_hsds_id(organisation: Organisation) -> str:
    return organisation.external_id or str(uuid.uuid5(installation_namespace(), f"organisation:{organisation.pk}"))


def service_hsds_id(service: Service) -> str:
    return service.external_id or str(uuid.uuid5(installation_namespace(), f"service:{service.pk}"))


def derived_id(kind: str, *parts: str) -> str:
    return str(uuid.uuid5(FIXED_NAMESPACE, ":".join((kind, *parts))))


def joined(codes: Any) -> str:
    return ";".join(sorted(str(code) for code in codes))


def split_codes(value: str | None) -> list[str]:
    return [part.strip() for part in str(value or "").replace(",", ";").split(";") if part.strip()]


def number_text(value: Decimal | None) -> str:
    if value is None:
        return ""
    text = format(Decimal(value), "f")
    return text.rstrip("0").rstrip(".") if "." in text else text


# ---------------------------------------------------------------------------
# Export
# ---------------------------------------------------------------------------


@dataclass
class _Places:
    """Names of the areas above a home area, for the location's address fields."""

    names: dict[str, Area] = field(default_factory=dict)

    def load(self, codes: set[str]) -> None:
        wanted = {code[:n] for code in codes for n in (2, 4, 6) if len(code) >= n}
        self.names = {area.code: area for area in Area.objects.filter(code__in=wanted)}

    def name(self, code: str) -> str:
        area = self.names.get(code)
        return area.name_th if area else ""

    def postcode(self, code: str) -> str:
        area = self.names.get(code[:6])
        return (area.postcodes or "").replace(",", " ").split()[0] if area and area.postcodes else ""


def organisation_row(org: Organisation, ids: dict[int, str]) -> dict[str, str]:
    return {
        "id": ids[org.pk], "name": org.name, "alternate_name": "", "description": org.description,
        "email": org.email, "website": org.website, "parent_organization_id": ids.get(org.parent_id or 0, ""),
        "x_kind": org.kind.code, "x_area_code": org.area_code,
        "x_covered_area_codes": joined(area.code for area in org.areas.all()), "x_phone": org.phone,
        "x_active": "true" if org.is_active else "false",
    }


def location_row(org: Organisation, org_id: str, places: _Places) -> dict[str, str] | None:
    if not org.address and org.latitude is None and org.longitude is None:
        return None
    code = org.area_code
    return {
        "id": derived_id("location", org_id), "location_type": "physical", "organization_id": org_id,
        "name": org.name, "latitude": number_text(org.latitude), "longitude": number_text(org.longitude),
        "address_1": org.address, "city": places.name(code[:4]), "region": places.name(code[:6]),
        "state_province": places.name(code[:2]), "postal_code": places.postcode(code), "country": "TH",
    }


def service_row(service: Service, service_id: str, org_id: str) -> dict[str, str]:
    return {
        "id": service_id, "organization_id": org_id, "name": service.name, "description": service.description,
        "status": "active" if service.is_active else "inactive", "eligibility_description": service.eligibility,
        "x_capacity": "" if service.capacity is None else str(service.capacity),
        "x_target_groups": joined(term.code for term in service.target_groups.all()),
        "x_support_kinds": joined(term.code for term in service.support_kinds.all()),
    }


def service_area_row(area: Area, service_id: str) -> dict[str, str]:
    return {"id": derived_id("service_area", service_id, area.code), "service_id": service_id, "name": area.label,
            "description": "", "extent_type": "", "uri": "", "x_area_code": area.code}


def export_tables(organisations: QuerySet[Organisation]) -> Tables:
    """The four tables for ``organisations`` and their services, rows sorted by id."""
    orgs = list(organisations.select_related("kind", "area").prefetch_related(
        "areas", Prefetch("services", queryset=Service.objects.prefetch_related(
            "target_groups", "support_kinds", "areas"))))
    ids = {org.pk: organisation_hsds_id(org) for org in orgs}
    places = _Places()
    places.load({org.area_code for org in orgs})
    tables: Tables = {name: [] for name in FILES}
    for org in orgs:
        tables[ORGANIZATION].append(organisation_row(org, ids))
        location = location_row(org, ids[org.pk], places)
        if location:
            tables[LOCATION].append(location)
        for service in org.services.all():
            service_id = service_hsds_id(service)
            tables[SERVICE].append(service_row(service, service_id, ids[org.pk]))
            tables[SERVICE_AREA].extend(service_area_row(area, service_id) for area in service.areas.all())
    for rows in tables.values():
        rows.sort(key=lambda row: row["id"])
    return tables


def csv_bytes(name: str, rows: list[dict[str, str]]) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(COLUMNS[name])
    for row in rows:
        writer.writerow(safe_row([row.get(column, "") for column in COLUMNS[name]]))
    return ("\ufeff" + out.getvalue()).encode("utf-8")


def write_directory(tables: Tables, directory: Path) -> list[Path]:
    directory.mkdir(parents=True, exist_ok=True)
    paths = []
    for name in FILES:
        path = directory / name
        path.write_bytes(csv_bytes(name, tables.get(name, [])))
        paths.append(path)
    return paths


def zip_bytes(tables: Tables) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name in FILES:
            info = zipfile.ZipInfo(name, date_time=(2000, 1, 1, 0, 0, 0))
            info.compress_type = zipfile.ZIP_DEFLATED
            archive.writestr(info, csv_bytes(name, tables.get(name, [])))
    return buffer.getvalue()


# ---------------------------------------------------------------------------
# Reading files (the checks and writes are in chumchon.network.hsds_import)
# ---------------------------------------------------------------------------

_FORMULA = ("=", "+", "-", "@", "\t", "\r")
MAX_BYTES = 20 * 1024 * 1024


def _unsafe_back(value: str) -> str:
    """Undo ``safe_cell``: a leading apostrophe before a formula character was ours."""
    return value[1:] if value.startswith("'") and value[1:2] in _FORMULA and value[1:2] != "" else value


def parse_csv(content: bytes) -> list[dict[str, str]]:
    text = content.decode("utf-8-sig")
    reader = csv.DictReader(io.StringIO(text))
    return [{(key or "").strip(): _unsafe_back((value or "").strip()) if isinstance(value, str) else ""
             for key, value in row.items()} for row in reader]


def read_directory(directory: Path) -> dict[str, list[dict[str, str]] | None]:
    """Each of the four files' rows, or None for a file that is not there."""
    return {name: parse_csv((directory / name).read_bytes()) if (directory / name).is_file() else None
            for name in FILES}


def read_zip(content: bytes) -> dict[str, list[dict[str, str]] | None]:
    """Each of the four files' rows from a zip (files found by name, in any folder), or None."""
    with zipfile.ZipFile(io.BytesIO(content)) as archive:
        names = {Path(info.filename).name: info for info in archive.infolist() if not info.is_dir()}
        if sum(info.file_size for info in names.values() if info.filename.endswith(".csv")) > MAX_BYTES:
            raise ValueError("The files are too large.")
        return {name: parse_csv(archive.read(names[name])) if name in names else None for name in FILES}
