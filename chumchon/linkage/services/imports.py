"""Importing a person list into a source: the one writer of sources, import jobs and source records.

``import_job_create`` records the file (uploaded or named on the command line) against a source;
``import_run`` reads it, cleans every row, stages them, then applies the whole file in ONE
transaction (importing/writer.py): a crash or a bad file never leaves half an import. Rejected
rows go to the error report and do not stop the good ones. One audit entry per import.
"""

from __future__ import annotations

import shutil
import time
import uuid
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from functools import partial
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from chumchon.accounts.roles import Capability
from chumchon.accounts.scoping import can, require_area
from chumchon.areas.models import Area, AreaLevel
from chumchon.core.audit import log_action
from chumchon.core.thai import normalize_text
from chumchon.linkage.importing.arrow import BLOCK_BYTES, ArrowCleaner, NotPlain, arrow_batches, arrow_may_read
from chumchon.linkage.importing.cleaning import AreaResolver, RowCleaner
from chumchon.linkage.importing.columns import ColumnMap, resolve_columns
from chumchon.linkage.importing.progress import progress_clear, progress_write
from chumchon.linkage.importing.readers import Table, open_table
from chumchon.linkage.importing.report import ErrorReport
from chumchon.linkage.importing.writer import RecordWriter
from chumchon.linkage.models import ImportJob, ImportStatus, Source

BATCH_ROWS = 10_000
USE_ARROW = True  # tests turn it off to compare both paths
Progress = Callable[[int, int], None]  # (rows read, estimated total rows)


@dataclass
class ImportSummary:
    read: int = 0
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    rejected: int = 0
    new_villages: list[str] = field(default_factory=list)
    seconds: dict[str, float] = field(default_factory=dict)  # reading (and staging), applying

    def line(self) -> str:
        text = (f"read {self.read}, created {self.created}, updated {self.updated}, "
                f"unchanged {self.unchanged}, rejected {self.rejected}")
        if self.new_villages:
            text += f", new villages {len(self.new_villages)}: {', '.join(self.new_villages)}"
        return text


def imports_root() -> Path:
    root = Path(settings.IMPORTS_ROOT)
    root.mkdir(parents=True, exist_ok=True)
    return root


# ---------------------------------------------------------------------------
# Sources and jobs
# ---------------------------------------------------------------------------


@transaction.atomic
def source_get_or_create(*, actor: Any, area_code: str, name: str, description: str = "") -> Source:
    """The source called ``name`` in ``area_code``, created when it does not exist yet."""
    name = normalize_text(name)
    if not name:
        raise ValidationError({"name": _("Give the list a name.")})
    if len(name) > 120:
        raise ValidationError({"name": _("The name is longer than 120 characters.")})
    area = Area.objects.filter(code=str(area_code)).first()
    if area is None:
        raise ValidationError({"area": _("No area has the code “%(code)s”.") % {"code": area_code}})
    if actor is not None:
        require_area(actor, Capability.EDIT_REGISTRY, area.code)
        require_area(actor, Capability.VIEW_FULL_ID, area.code)
    source = Source.objects.filter(area=area, name=name).first()
    if source is not None:
        return source
    source = Source.objects.create(area=area, name=name, description=normalize_text(description),
                                   created_by=actor if actor is not None else None)
    log_action(actor=actor, verb="source.create", obj=source, data={"name": name})
    return source


def _check_may_import(actor: Any, source: Source) -> None:
    """EDIT_REGISTRY and VIEW_FULL_ID in the source's area (a list's rows carry full IDs)."""
    if actor is not None:
        require_area(actor, Capability.EDIT_REGISTRY, source.area_id)
        require_area(actor, Capability.VIEW_FULL_ID, source.area_id)


@transaction.atomic
def import_job_create(*, actor: Any, source: Source, path: str | Path, file_name: str = "",
                      mapping: dict[str, str] | None = None, sheet: str = "", copy: bool = False) -> ImportJob:
    """Record an import of the file at ``path`` into ``source`` (waiting to run). With ``copy``,
    the file is copied under IMPORTS_ROOT first (an uploaded file is already stored there)."""
    _check_may_import(actor, source)
    path = Path(path)
    if copy:
        stored = imports_root() / f"{uuid.uuid4().hex}{path.suffix.lower()}"
        shutil.copyfile(path, stored)
        path = stored
    job = ImportJob.objects.create(source=source, file_name=(file_name or path.name)[:255], stored_path=str(path),
                                   mapping=mapping or {}, sheet=sheet, created_by=actor)
    log_action(actor=actor, verb="import.create", obj=job, area_code=source.area_id,
               data={"source": source.pk, "file_name": job.file_name})
    return job


def store_upload(chunks: Any, *, suffix: str) -> Path:
    """Write an uploaded file under IMPORTS_ROOT; the name is random (never the user's)."""
    stored = imports_root() / f"{uuid.uuid4().hex}{suffix.lower()}"
    with stored.open("wb") as handle:
        for chunk in chunks:
            handle.write(chunk)
    return stored


@transaction.atomic
def import_job_mapping_set(*, actor: Any, job: ImportJob, mapping: dict[str, str], sheet: str = "") -> ImportJob:
    """Choose the sheet and the column map before the import runs (refused when they do not fit)."""
    _check_may_import(actor, job.source)
    if job.status != ImportStatus.PENDING:
        raise ValidationError({"mapping": _("This import has already run.")})
    with open_table(job.stored_path, sheet=sheet) as table:
        resolve_columns(table.headers, mapping)
    job.mapping = mapping
    job.sheet = sheet
    job.save(update_fields=["mapping", "sheet"])
    log_action(actor=actor, verb="import.map", obj=job, area_code=job.source.area_id,
               data={"mapping": mapping, "sheet": sheet})
    return job


@transaction.atomic
def import_job_start(*, actor: Any, job: ImportJob) -> ImportJob:
    """Queue a waiting import for the worker (the page then polls its progress)."""
    from chumchon.linkage.importing.task import import_job_run_task

    _check_may_import(actor, job.source)
    if job.status != ImportStatus.PENDING or job.task_id:
        raise ValidationError({"mapping": _("This import has already run.")})
    with open_table(job.stored_path, sheet=job.sheet) as table:
        resolve_columns(table.headers, job.mapping)
    result = import_job_run_task.enqueue(job.pk)
    job.task_id = str(result.id)[:64]
    job.save(update_fields=["task_id"])
    log_action(actor=actor, verb="import.start", obj=job, area_code=job.source.area_id, data={"task": job.task_id})
    return job


# ---------------------------------------------------------------------------
# Running an import
# ---------------------------------------------------------------------------


def _area_resolver(actor: Any, source: Source) -> AreaResolver:
    source_area = source.area
    known = set(Area.objects.filter(code__startswith=source_area.code).values_list("code", flat=True))
    tambons = set(Area.objects.filter(level=AreaLevel.SUBDISTRICT).values_list("code", flat=True))
    may_create = actor is None or can(actor, Capability.MANAGE_AREAS, source_area.code)
    return AreaResolver(source_area=source_area.code, source_level=source_area.level, known=known, tambons=tambons,
                        may_create=may_create)


def _create_villages(actor: Any, wanted: dict[str, tuple[str, int]], used: set[str]) -> list[str]:
    """Register the moos that rows used and no one had registered yet (inside the apply transaction)."""
    from chumchon.areas.services import village_create

    created = []
    for code in sorted(wanted):
        if code not in used:
            continue
        tambon_code, moo = wanted[code]
        if actor is not None:
            village_create(actor=actor, tambon_code=tambon_code, moo=moo)
        else:
            tambon = Area.objects.get(code=tambon_code)
            village = Area.objects.create(code=code, level=AreaLevel.VILLAGE, parent=tambon, number=moo,
                                          official_code=code, name_th="", postcodes=tambon.postcodes)
            log_action(actor=None, verb="area.village_create", obj=village, data={"by": "import"})
        created.append(code)
    return created


def _estimate_total(table: Table, read: int) -> int:
    if table.estimated_rows:
        return max(read, table.estimated_rows)
    if table.file_format == "csv" and table._closers:
        handle = table._closers[0]
        try:
            position = handle.buffer.tell()
            size = table.path.stat().st_size
        except (OSError, ValueError, AttributeError):
            return read
        return max(read, int(read * size / position)) if position else read
    return read


def import_run(*, actor: Any, job: ImportJob, errors_path: str | Path | None = None,
               progress: Progress | None = None) -> ImportSummary:
    """Run ``job``: read, clean and write every row inside ONE transaction (decision 0010). A bad
    file raises ValidationError({"file"|"mapping": Thai reason}) and leaves the job FAILED, the
    records as they were. Progress goes to a small file while the transaction is open
    (importing/progress.py)."""
    source = job.source
    _check_may_import(actor, source)
    job.status, job.started_at, job.message = ImportStatus.RUNNING, timezone.now(), ""
    job.save(update_fields=["status", "started_at", "message"])
    errors_file = Path(errors_path) if errors_path else imports_root() / f"errors-{job.pk}-{uuid.uuid4().hex[:8]}.csv"
    summary = ImportSummary()
    started = time.perf_counter()
    try:
        with open_table(job.stored_path, sheet=job.sheet) as table:
            columns = resolve_columns(table.headers, job.mapping)
            job.file_format, job.encoding, job.sheet = table.file_format, table.encoding, table.sheet
            job.mapping, job.notes, job.headers = columns.as_mapping(), list(table.notes), list(table.headers)
            with transaction.atomic():
                written = None
                if USE_ARROW and arrow_may_read(table):
                    try:
                        with transaction.atomic():  # a savepoint: a file Arrow refuses starts again below
                            written = _write_all(job, table, columns, actor, errors_file, summary, progress,
                                                 arrow=True)
                    except NotPlain:
                        summary.read = 0
                        errors_file.unlink(missing_ok=True)
                if written is None:
                    written = _write_all(job, table, columns, actor, errors_file, summary, progress, arrow=False)
                cleaner, report, used_areas = written
                summary.rejected = report.count
                summary.new_villages = _create_villages(actor, cleaner.areas.new_villages, used_areas)
                _finish(job, summary, report)
                log_action(actor=actor, verb="import.run", obj=job, area_code=source.area_id,
                           data={"source": source.name, "file": job.file_name, "read": summary.read,
                                 "created": summary.created, "updated": summary.updated,
                                 "unchanged": summary.unchanged, "rejected": summary.rejected,
                                 "new_villages": summary.new_villages})
        summary.seconds["apply"] = round(time.perf_counter() - started - summary.seconds["read"], 2)
    except ValidationError as error:
        _fail(job, _message(error))
        if not errors_path:
            errors_file.unlink(missing_ok=True)  # rows of an import that did not happen (and full IDs)
        raise
    except Exception:
        _fail(job, _("The import stopped because of an error; nothing was changed. Please try again."))
        if not errors_path:
            errors_file.unlink(missing_ok=True)
        raise
    finally:
        progress_clear(job.pk)
    return summary


def _write_all(job: ImportJob, table: Table, columns: ColumnMap, actor: Any, errors_file: Path,
               summary: ImportSummary, progress: Progress | None,
               *, arrow: bool) -> tuple[RowCleaner, ErrorReport, set[str]]:
    """Read, clean and write every row (Arrow's fast path or Python's); the cleaner, the closed
    error report and the areas the written rows use."""
    cleaner = RowCleaner(columns, _area_resolver(actor, job.source))
    report = ErrorReport(errors_file, table.headers)
    started = time.perf_counter()
    writer = RecordWriter(source_id=job.source_id, job_id=job.pk, now=timezone.now(), row_hash=cleaner.row_hash)
    try:
        try:
            used_areas = _write_rows(job, table, cleaner, writer, report, summary, progress, arrow=arrow)
            summary.seconds["read"] = round(time.perf_counter() - started, 2)
            summary.created, summary.updated, summary.unchanged = writer.finish()
        except BaseException as error:
            writer.close(error)
            raise
        writer.close()
    finally:
        report.close()
    return cleaner, report, used_areas


def _write_rows(job: ImportJob, table: Table, cleaner: RowCleaner, writer: RecordWriter, report: ErrorReport,
                summary: ImportSummary, progress: Progress | None, *, arrow: bool) -> set[str]:
    """Read, clean and write the file a batch at a time; the areas the written rows use."""
    used_areas: set[str] = set()
    last_saved = time.monotonic()
    for read, rejected, used, estimate, write in _cleaned_batches(table, cleaner, writer, arrow=arrow):
        summary.read += read
        for number, values, reason in rejected:
            report.add(number, values, reason)
        used_areas |= used
        write()
        if time.monotonic() - last_saved > 0.5:
            last_saved = time.monotonic()
            _progress(job, summary.read, max(summary.read, estimate(summary.read)), progress)
    _progress(job, summary.read, summary.read, progress)
    return used_areas


Batches = Iterator[tuple[int, list[tuple[int, list[str], str]], set[str], Callable[[int], int], Callable[[], None]]]


def _cleaned_batches(table: Table, cleaner: RowCleaner, writer: RecordWriter, *, arrow: bool) -> Batches:
    """Each batch cleaned: (rows read, rejected rows, areas used, total rows estimated from rows read,
    how to write the good rows) — by Arrow's path or Python's."""
    if arrow:
        arrow_cleaner = ArrowCleaner(cleaner)
        size = table.path.stat().st_size
        for blocks, batch in enumerate(arrow_batches(table), start=1):
            good, rejected, used = arrow_cleaner.clean(batch)
            done = min(size, blocks * BLOCK_BYTES)  # a batch is about one block of the file
            yield (good.num_rows + len(rejected), rejected, used, partial(_scaled, size=size, done=done),
                   partial(writer.add_arrow, good))
    else:
        for rows in table.batches(BATCH_ROWS):
            columns, rejected = cleaner.clean_rows(rows)
            yield (len(rows.values), rejected, set(columns[10]), partial(_estimate_total, table),
                   partial(writer.add, columns))


def _scaled(read: int, *, size: int, done: int) -> int:
    """Rows in the whole file, from the rows in its first ``done`` bytes."""
    return read * size // done


def _progress(job: ImportJob, read: int, total: int, callback: Progress | None) -> None:
    progress_write(job.pk, read=read, total=total)
    if callback is not None:
        callback(read, total)


def import_files_prune(*, now: datetime | None = None) -> int:
    """Delete the stored upload and the error report of imports that ended (or, never started,
    were uploaded) more than IMPORT_KEEP_DAYS ago: they hold full national IDs, the records do not
    need them. A waiting import loses its file and is marked failed. The worker runs this hourly;
    idempotent. Returns how many imports lost files."""
    now = now or timezone.now()
    cutoff = now - timedelta(days=settings.IMPORT_KEEP_DAYS)
    root = imports_root().resolve()
    ended = Q(status__in=[ImportStatus.DONE, ImportStatus.FAILED], finished_at__lt=cutoff)
    abandoned = Q(status=ImportStatus.PENDING, created_at__lt=cutoff)
    stuck = Q(status=ImportStatus.RUNNING, started_at__lt=cutoff)  # its worker was killed
    jobs = list(ImportJob.objects.filter(ended | abandoned | stuck).exclude(stored_path="", error_report_path="")
                .select_related("source"))
    for job in jobs:
        for stored in (job.stored_path, job.error_report_path):
            path = Path(stored) if stored else None
            if path is not None and path.resolve().is_relative_to(root):  # never a file named on the command line
                path.unlink(missing_ok=True)
        changes: dict[str, Any] = {"stored_path": "", "error_report_path": ""}
        if job.status in (ImportStatus.PENDING, ImportStatus.RUNNING):
            changes.update(status=ImportStatus.FAILED, finished_at=now,
                           message=_("The uploaded file was deleted after %(days)s days without being imported.")
                           % {"days": settings.IMPORT_KEEP_DAYS})
        ImportJob.objects.filter(pk=job.pk).update(**changes)
        log_action(actor=None, verb="import.files_prune", obj=job, area_code=job.source.area_id,
                   data={"days": settings.IMPORT_KEEP_DAYS, "file": job.file_name})
    for leftover in root.glob("progress-*.json"):  # of a worker killed mid-import
        try:
            if leftover.stat().st_mtime < cutoff.timestamp():
                leftover.unlink(missing_ok=True)
        except FileNotFoundError:  # its import just ended
            continue
    return len(jobs)


def _finish(job: ImportJob, summary: ImportSummary, report: ErrorReport) -> None:
    job.status, job.finished_at = ImportStatus.DONE, timezone.now()
    job.total_rows = job.processed_rows = summary.read
    job.created_count, job.updated_count = summary.created, summary.updated
    job.unchanged_count, job.rejected_count = summary.unchanged, summary.rejected
    job.new_villages = summary.new_villages
    job.error_report_path = str(report.path) if report.written else ""
    job.save()


def _message(error: ValidationError) -> str:
    if hasattr(error, "message_dict"):
        return " ".join(str(m) for messages in error.message_dict.values() for m in messages)
    return " ".join(str(m) for m in error.messages)


def _fail(job: ImportJob, message: str) -> None:
    ImportJob.objects.filter(pk=job.pk).update(status=ImportStatus.FAILED, message=message,
                                               finished_at=timezone.now())
    job.status, job.message = ImportStatus.FAILED, message
