"""Pages for importing person lists: upload, map the columns with a preview, run in the background
with a progress bar, then the summary and the error report. Thin: selectors read, services write;
anything outside the user's reach answers 404."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django import forms
from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.files.uploadhandler import FileUploadHandler, StopUpload
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.csrf import csrf_exempt, csrf_protect
from django.views.decorators.http import require_http_methods

from chumchon.areas.models import Area
from chumchon.core.audit import log_action
from chumchon.core.views import apply_service_errors
from chumchon.linkage.importing.columns import FIELDS, IGNORE, guess_columns
from chumchon.linkage.importing.readers import list_sheets, open_table
from chumchon.linkage.models import ImportStatus
from chumchon.linkage.selectors.imports import (
    import_area_codes,
    import_job_get,
    import_job_list,
    import_progress,
    source_get,
    source_list,
    with_live_progress,
)
from chumchon.linkage.services import imports as services

PREVIEW_ROWS = 5
SUFFIXES = {".csv", ".txt", ".tsv", ".xlsx"}
FIELD_LABELS = {
    "source_key": gettext_lazy("key in the list (source_key)"), "national_id": gettext_lazy("national ID"),
    "title": gettext_lazy("title"), "first_name": gettext_lazy("first name"), "last_name": gettext_lazy("last name"),
    "full_name": gettext_lazy("full name with title"), "nickname": gettext_lazy("nickname"),
    "sex": gettext_lazy("sex"), "birth_date": gettext_lazy("birth date"), "house_no": gettext_lazy("house number"),
    "moo": gettext_lazy("moo (village number)"), "tambon_code": gettext_lazy("tambon code"),
    "village_code": gettext_lazy("village code"), "phone": gettext_lazy("phone"),
}


def max_bytes() -> int:
    return int(settings.IMPORT_MAX_MB) * 1024 * 1024


def too_big_message() -> str:
    return _("The file is larger than %(mb)s MB. Split it into smaller files, or ask the server's administrator "
             "to import it with the command chumchon import.") % {"mb": settings.IMPORT_MAX_MB}


class SizeLimitHandler(FileUploadHandler):
    """Stops reading an upload as soon as it passes IMPORT_MAX_MB (before it fills the disk)."""

    def __init__(self, request: HttpRequest | None = None) -> None:
        super().__init__(request)
        self.too_big = False
        self.seen = 0

    def handle_raw_input(self, input_data: Any, META: Any, content_length: int, boundary: Any,
                         encoding: str | None = None) -> None:
        if content_length > max_bytes() + 64 * 1024:
            self.too_big = True  # refused at the first chunk; the rest is read and thrown away

    def receive_data_chunk(self, raw_data: bytes, start: int) -> bytes:
        self.seen += len(raw_data)
        if self.too_big or self.seen > max_bytes():
            self.too_big = True
            raise StopUpload(connection_reset=False)
        return raw_data

    def file_complete(self, file_size: int) -> None:
        return None


class UploadForm(forms.Form):
    source = forms.ChoiceField(label=gettext_lazy("List"), required=False)
    new_source = forms.CharField(label=gettext_lazy("or a new list named"), required=False, max_length=120,
                                 help_text=gettext_lazy("e.g. ทะเบียนผู้สูงอายุ รพ.สต. 2567"))
    area = forms.ChoiceField(label=gettext_lazy("Area of the new list"), required=False)
    file = forms.FileField(label=gettext_lazy("File (.csv or .xlsx)"))

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        source_field: Any = self.fields["source"]
        source_field.choices = [("", "—")] + [(str(s.pk), f"{s.name} ({s.area.label})") for s in source_list(user=user)]
        codes = import_area_codes(user)
        area_field: Any = self.fields["area"]
        area_field.choices = [(a.code, a.label) for a in Area.objects.filter(code__in=codes)]
        self.fields["file"].widget.attrs["accept"] = ".csv,.txt,.tsv,.xlsx"

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if not data.get("source") and not (data.get("new_source") or "").strip():
            self.add_error("source", _("Choose a list, or name a new one."))
        upload = data.get("file")
        if upload is not None and Path(upload.name).suffix.lower() not in SUFFIXES:
            self.add_error("file", _("Choose a .csv or .xlsx file."))
        return data


@login_required
def import_list(request: HttpRequest) -> HttpResponse:
    """Past imports in the user's reach, newest first, and the upload form."""
    sources = list(source_list(user=request.user))
    if not sources and not import_area_codes(request.user):
        raise Http404("not found")
    jobs = with_live_progress(list(import_job_list(user=request.user)[:50]))
    return render(request, "linkage/imports/list.html", {
        "jobs": jobs, "sources": sources, "form": UploadForm(user=request.user), "max_mb": settings.IMPORT_MAX_MB})


@login_required
def source_detail(request: HttpRequest, source_id: int) -> HttpResponse:
    source = source_get(user=request.user, id=source_id)
    jobs = with_live_progress(list(import_job_list(user=request.user, source_id=source.pk)))
    return render(request, "linkage/imports/source.html", {"source": source, "jobs": jobs,
                                                           "records": source.records.count()})


@csrf_exempt
def import_upload(request: HttpRequest) -> HttpResponse:
    """The size limit is checked while the upload streams in, before CSRF reads the body."""
    handler = SizeLimitHandler(request)
    request.upload_handlers.insert(0, handler)
    return _import_upload(request, handler)


@csrf_protect
@login_required
@require_http_methods(["POST"])
def _import_upload(request: HttpRequest, handler: SizeLimitHandler) -> HttpResponse:
    user = request.user
    form = UploadForm(request.POST, request.FILES, user=user)
    if handler.too_big:
        form.is_valid()
        form.errors.clear()
        form.add_error(None, too_big_message())
    elif form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            if form.cleaned_data["source"]:
                source = source_get(user=user, id=int(form.cleaned_data["source"]))
            else:
                source = services.source_get_or_create(actor=user, area_code=form.cleaned_data["area"],
                                                       name=form.cleaned_data["new_source"])
            stored = services.store_upload(upload.chunks(), suffix=Path(upload.name).suffix)
            try:
                with open_table(stored):
                    pass  # a file that cannot be opened is refused now, not in the background
            except ValidationError:
                stored.unlink(missing_ok=True)
                raise
            job = services.import_job_create(actor=user, source=source, path=stored, file_name=upload.name)
        except ValidationError as error:
            apply_service_errors(form, error)
        else:
            return redirect("imports:map", job_id=job.pk)
    jobs = with_live_progress(list(import_job_list(user=user)[:50]))
    return render(request, "linkage/imports/list.html", {
        "jobs": jobs, "sources": list(source_list(user=user)), "form": form, "max_mb": settings.IMPORT_MAX_MB},
        status=400 if handler.too_big else 200)


@login_required
@require_http_methods(["GET", "POST"])
def import_map(request: HttpRequest, job_id: int) -> HttpResponse:
    """Choose the sheet (Excel), see the first rows, say which column holds which field, run."""
    job = import_job_get(user=request.user, id=job_id)
    if job.status != ImportStatus.PENDING or job.task_id:
        return redirect("imports:detail", job_id=job.pk)
    sheets = list_sheets(job.stored_path) if Path(job.stored_path).suffix == ".xlsx" else []
    sheet = request.POST.get("sheet") or request.GET.get("sheet") or job.sheet or (sheets[0] if sheets else "")
    if sheets and sheet not in sheets:
        sheet = sheets[0]
    error = ""
    try:
        with open_table(job.stored_path, sheet=sheet) as table:
            headers, encoding, notes = table.headers, table.encoding, table.notes
            preview = [row.values for _index, row in zip(range(PREVIEW_ROWS), table.rows, strict=False)]
    except ValidationError as problem:
        return render(request, "linkage/imports/map.html", {"job": job, "fatal": services._message(problem)})
    guessed = guess_columns(headers)
    chosen = {header: request.POST.get(f"col{index}", guessed.get(header, IGNORE))
              for index, header in enumerate(headers)}
    if request.method == "POST" and "run" in request.POST:
        mapping = {header: field for header, field in chosen.items() if header}
        try:
            services.import_job_mapping_set(actor=request.user, job=job, mapping=mapping, sheet=sheet)
            services.import_job_start(actor=request.user, job=job)
        except ValidationError as problem:
            error = services._message(problem)
        else:
            return redirect("imports:detail", job_id=job.pk)
    columns = [{"index": index, "header": header, "chosen": chosen[header],
                "samples": [row[index] if index < len(row) else "" for row in preview]}
               for index, header in enumerate(headers)]
    return render(request, "linkage/imports/map.html", {
        "job": job, "sheets": sheets, "sheet": sheet, "encoding": encoding, "notes": notes, "columns": columns,
        "headers": headers, "preview": preview, "error": error,
        "fields": [(IGNORE, _("— ignore this column —"))] + [(name, FIELD_LABELS[name]) for name in FIELDS]})


@login_required
def import_detail(request: HttpRequest, job_id: int) -> HttpResponse:
    job = import_job_get(user=request.user, id=job_id)
    return render(request, "linkage/imports/detail.html", _detail_context(job))


@login_required
def import_progress_part(request: HttpRequest, job_id: int) -> HttpResponse:
    """The progress bar, polled by htmx every second until the import is done or failed."""
    job = import_job_get(user=request.user, id=job_id)
    return render(request, "linkage/imports/_progress.html", _detail_context(job))


def _detail_context(job: Any) -> dict[str, Any]:
    villages = {a.code: a for a in Area.objects.filter(code__in=job.new_villages)} if job.new_villages else {}
    return {"job": job, "percent": import_progress(job), "running": job.status in ("pending", "running"),
            "new_villages": [villages.get(code, code) for code in job.new_villages]}


@login_required
def import_errors(request: HttpRequest, job_id: int) -> FileResponse:
    """The error report (CSV), to whoever may see the source; 404 otherwise."""
    job = import_job_get(user=request.user, id=job_id)
    path = Path(job.error_report_path) if job.error_report_path else None
    if path is None or not path.exists():
        raise Http404("not found")
    log_action(actor=request.user, verb="import.errors_download", obj=job,
               area_code=job.source.area_id, data={"rejected": job.rejected_count})
    name = f"errors-{job.pk}-{Path(job.file_name).stem}.csv"
    response = FileResponse(path.open("rb"), as_attachment=True, filename=name, content_type="text/csv; charset=utf-8")
    response["Cache-Control"] = "no-store, private"
    return response
