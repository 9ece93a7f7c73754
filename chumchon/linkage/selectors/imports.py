"""Reading sources, imports and source records, always within the reader's reach.

Sources and their imports (files, error reports) are seen by whoever may import into the
source's area: EDIT_REGISTRY and VIEW_FULL_ID there (the tambon's officers and care managers), since
a list's raw rows and its error report carry full national IDs. Village volunteers, who may edit
the registry but see IDs masked, and everyone else get 404. What a source said
about a person (provenance on the person page) is read with VIEW_NAMES in the record's area.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from django.db.models import QuerySet
from django.http import Http404

from chumchon.accounts.roles import Capability
from chumchon.accounts.scoping import area_prefixes, can, scope_q
from chumchon.core.thai import format_be, format_national_id, mask_national_id
from chumchon.linkage.importing.progress import progress_read
from chumchon.linkage.models import ImportJob, ImportStatus, Source, SourceRecord

IMPORT = Capability.EDIT_REGISTRY
FULL_ID = Capability.VIEW_FULL_ID


def may_import(user: Any, area_code: str) -> bool:
    return can(user, IMPORT, area_code) and can(user, FULL_ID, area_code)


def import_area_codes(user: Any) -> list[str]:
    """The areas the user may create lists in and import into."""
    return [code for code in area_prefixes(user, IMPORT) if can(user, FULL_ID, code)]


def _import_q(user: Any, path: str) -> Any:
    return scope_q(user, IMPORT, path=path) & scope_q(user, FULL_ID, path=path)


def source_list(*, user: Any) -> QuerySet[Source]:
    return Source.objects.filter(_import_q(user, "area__code")).select_related("area").order_by("name")


def source_get(*, user: Any, id: int) -> Source:
    source = Source.objects.filter(pk=id).select_related("area").first()
    if source is None or not may_import(user, source.area_id):
        raise Http404("not found")
    return source


def import_job_list(*, user: Any, source_id: int | None = None) -> QuerySet[ImportJob]:
    jobs = ImportJob.objects.filter(_import_q(user, "source__area__code")).select_related(
        "source", "created_by")
    if source_id is not None:
        jobs = jobs.filter(source_id=source_id)
    return jobs


def import_job_get(*, user: Any, id: int) -> ImportJob:
    job = ImportJob.objects.filter(pk=id).select_related("source", "source__area", "created_by").first()
    if job is None or not may_import(user, job.source.area_id):
        raise Http404("not found")
    return with_live_progress([job])[0]


def with_live_progress(jobs: list[ImportJob]) -> list[ImportJob]:
    """Running imports get the rows read so far (kept outside the database while they run)."""
    for job in jobs:
        if job.status == ImportStatus.RUNNING and (live := progress_read(job.pk)) is not None:
            job.processed_rows, job.total_rows = live
    return jobs


def import_progress(job: ImportJob) -> int:
    """0–100 for the progress bar."""
    if job.status in ("done", "failed"):
        return 100
    if not job.total_rows:
        return 0
    return min(99, int(job.processed_rows * 100 / job.total_rows))


# ---------------------------------------------------------------------------
# Provenance: where each value of a person came from
# ---------------------------------------------------------------------------

PROVENANCE_FIELDS = ("name", "birth_date", "national_id", "house_no", "phone")


@dataclass
class ProvenanceColumn:
    label: str  # the source's name, or the registry
    imported_at: datetime | None
    values: dict[str, str]
    is_registry: bool = False


def _birth(value: date | None, year_only: bool) -> str:
    return format_be(value, year_only=year_only) if value else ""


def _nid(digits: str, full: bool) -> str:
    if not digits:
        return ""
    if len(digits) != 13:
        return digits if full else "x" * len(digits)
    return format_national_id(digits) if full else mask_national_id(digits)


def person_provenance(*, user: Any, person: Any) -> list[ProvenanceColumn]:
    """The registry's values, then one column per source record of ``person`` the user may see.
    Empty when the person has no source records (the page shows nothing then)."""
    records = list(SourceRecord.objects.filter(person=person).filter(scope_q(user, Capability.VIEW_NAMES,
                                                                              path="area__code"))
                   .select_related("source", "import_job").order_by("source__name", "source_key"))
    if not records:
        return []
    full = can(user, Capability.VIEW_FULL_ID, person.area_code)
    household = getattr(person, "household", None)
    registry = ProvenanceColumn(label="", imported_at=None, is_registry=True, values={
        "name": " ".join(p for p in (person.title, person.first_name, person.last_name) if p),
        "birth_date": _birth(person.birth_date, person.birth_year_only),
        "national_id": _nid(person.national_id or "", full),
        "house_no": getattr(household, "house_no", "") if household else "",
        "phone": getattr(person, "phone", "") or "",
    })
    columns = [registry]
    for record in records:
        columns.append(ProvenanceColumn(
            label=record.source.name,
            imported_at=record.import_job.finished_at if record.import_job else record.updated_at,
            values={
                "name": " ".join(p for p in (record.title, record.first_name, record.last_name) if p),
                "birth_date": _birth(record.birth_date, record.birth_year_only),
                "national_id": _nid(record.national_id, full),
                "house_no": record.house_no,
                "phone": record.phone,
            }))
    return columns
