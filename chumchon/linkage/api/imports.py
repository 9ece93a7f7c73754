"""API: import a person list (multipart upload + column map), follow its progress, get its errors.

``POST /imports`` stores the file, checks it opens and that the map fits, and queues the import
for the worker; ``GET /imports/{import_id}`` is its progress and, when done, its summary;
``GET /imports/{import_id}/errors`` the error report (CSV). Outside the caller's reach: 404.
"""

from __future__ import annotations

import json
from datetime import datetime
from pathlib import Path

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import FileResponse, Http404, HttpRequest
from django.utils.translation import gettext as _
from ninja import File, Form, Router, Schema, Status
from ninja.files import UploadedFile

from chumchon.api.auth import caller
from chumchon.api.schemas import errors
from chumchon.core.audit import log_action
from chumchon.linkage.importing.readers import open_table
from chumchon.linkage.models import ImportJob
from chumchon.linkage.selectors.imports import import_job_get, import_progress, source_get
from chumchon.linkage.services import imports as services

router = Router()
SUFFIXES = {".csv", ".txt", ".tsv", ".xlsx"}


class ImportOut(Schema):
    id: int
    source_id: int
    source_name: str
    file_name: str
    file_format: str
    encoding: str
    sheet: str
    mapping: dict[str, str]
    status: str
    percent: int
    read: int
    created: int
    updated: int
    unchanged: int
    rejected: int
    new_villages: list[str]
    notes: list[str]
    message: str
    has_error_report: bool
    created_at: datetime
    finished_at: datetime | None


def import_out(job: ImportJob) -> ImportOut:
    return ImportOut(
        id=job.pk, source_id=job.source_id, source_name=job.source.name, file_name=job.file_name,
        file_format=job.file_format, encoding=job.encoding, sheet=job.sheet, mapping=job.mapping, status=job.status,
        percent=import_progress(job), read=job.processed_rows, created=job.created_count, updated=job.updated_count,
        unchanged=job.unchanged_count, rejected=job.rejected_count, new_villages=list(job.new_villages),
        notes=list(job.notes), message=job.message, has_error_report=bool(job.error_report_path),
        created_at=job.created_at, finished_at=job.finished_at)


@router.post("", response={201: ImportOut, **errors(404, 422)},
             summary="Upload a person list and queue its import")
def import_create(request: HttpRequest, file: File[UploadedFile], source_id: Form[int | None] = None,
                  area_code: Form[str] = "", source_name: Form[str] = "", mapping: Form[str] = "",
                  sheet: Form[str] = "") -> Status:
    """Multipart form: ``file`` (.csv or .xlsx), the source (``source_id``, or ``area_code`` +
    ``source_name`` to create it), ``mapping`` as JSON ``{"header": "field"}`` (headers the file
    names in English or the usual Thai are found without it; ``source_key`` is required), ``sheet``."""
    user = caller(request)
    name = file.name or "upload"
    if Path(name).suffix.lower() not in SUFFIXES:
        raise ValidationError({"file": _("Choose a .csv or .xlsx file.")})
    if file.size is not None and file.size > int(settings.IMPORT_MAX_MB) * 1024 * 1024:
        raise ValidationError({"file": _("The file is larger than %(mb)s MB. Split it into smaller files, or ask "
                                         "the server's administrator to import it with the command chumchon import.")
                               % {"mb": settings.IMPORT_MAX_MB}})
    try:
        columns = json.loads(mapping) if mapping else {}
    except json.JSONDecodeError:
        columns = None
    if not isinstance(columns, dict) or not all(isinstance(v, str) for v in columns.values()):
        raise ValidationError({"mapping": _("The mapping must be a JSON object: {\"header\": \"field\"}.")})
    stored: Path | None = None
    try:
        # One transaction: a refused mapping leaves no list, no waiting import and no stored file.
        with transaction.atomic():
            if source_id is not None:
                source = source_get(user=user, id=source_id)
            else:
                source = services.source_get_or_create(actor=user, area_code=area_code, name=source_name)
            stored = services.store_upload(file.chunks(), suffix=Path(name).suffix)
            with open_table(stored, sheet=sheet):
                pass  # a file that cannot be opened is refused now, not in the background
            job = services.import_job_create(actor=user, source=source, path=stored, file_name=name)
            services.import_job_mapping_set(actor=user, job=job, mapping=columns, sheet=sheet)
            services.import_job_start(actor=user, job=job)
    except Exception:
        if stored is not None:
            stored.unlink(missing_ok=True)
        raise
    return Status(201, import_out(job))


@router.get("/{import_id}", response={200: ImportOut, **errors(404)}, summary="An import's progress and summary")
def import_detail(request: HttpRequest, import_id: int) -> ImportOut:
    return import_out(import_job_get(user=caller(request), id=import_id))


@router.get("/{import_id}/errors", response={200: None, **errors(404)},
            summary="The error report of an import (CSV, UTF-8 with BOM)")
def import_errors(request: HttpRequest, import_id: int) -> FileResponse:
    job = import_job_get(user=caller(request), id=import_id)
    path = Path(job.error_report_path) if job.error_report_path else None
    if path is None or not path.exists():
        raise Http404("not found")
    log_action(actor=caller(request), verb="import.errors_download", obj=job,
               area_code=job.source.area_id, data={"rejected": job.rejected_count})
    response = FileResponse(path.open("rb"), as_attachment=True, filename=f"errors-{job.pk}.csv",
                            content_type="text/csv; charset=utf-8")
    response["Cache-Control"] = "no-store, private"
    return response
