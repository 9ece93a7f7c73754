"""Imported lists and their rows (source records), each linked to one registry person.

A source is a list a tambon already keeps (the health centre's elder register, the allowance list,
a volunteer's sheet). Each imported row stays as a SourceRecord: its raw values exactly as read,
plus the cleaned values linkage compares. Importing the same file again is idempotent on
(source, source_key): an unchanged row (same row_hash) is left alone, a changed one is updated.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models.functions import Now
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

USER = settings.AUTH_USER_MODEL


class Source(models.Model):
    area = models.ForeignKey("areas.Area", verbose_name=_("area"), on_delete=models.PROTECT, related_name="+",
                             help_text=_("the area whose officers own this list"))
    name = models.CharField(_("source name"), max_length=120)
    description = models.TextField(_("description"), blank=True)
    created_by = models.ForeignKey(USER, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("source")
        constraints = [models.UniqueConstraint(fields=["area", "name"], name="source_area_name")]

    def __str__(self) -> str:
        return self.name

    @property
    def area_code(self) -> str:
        return str(self.area_id)


class ImportStatus(models.TextChoices):
    PENDING = "pending", _("waiting")
    RUNNING = "running", _("running")
    DONE = "done", pgettext_lazy("import status", "done")
    FAILED = "failed", _("failed")


class ImportJob(models.Model):
    source = models.ForeignKey(Source, verbose_name=_("source"), on_delete=models.CASCADE, related_name="imports")
    file_name = models.CharField(_("file name"), max_length=255)
    stored_path = models.CharField(max_length=500, blank=True)  # under settings.IMPORTS_ROOT
    file_format = models.CharField(max_length=10, blank=True)  # csv | xlsx
    encoding = models.CharField(max_length=20, blank=True)
    sheet = models.CharField(max_length=120, blank=True)
    mapping = models.JSONField(default=dict, blank=True)  # header -> field
    status = models.CharField(_("status"), max_length=10, choices=ImportStatus.choices,
                              default=ImportStatus.PENDING)
    total_rows = models.PositiveIntegerField(default=0)
    processed_rows = models.PositiveIntegerField(default=0)
    created_count = models.PositiveIntegerField(default=0)
    updated_count = models.PositiveIntegerField(default=0)
    unchanged_count = models.PositiveIntegerField(default=0)
    rejected_count = models.PositiveIntegerField(default=0)
    new_villages = models.JSONField(default=list, blank=True)  # area codes created by this import
    error_report_path = models.CharField(max_length=500, blank=True)
    message = models.TextField(blank=True)  # why a failed import failed, in Thai
    notes = models.JSONField(default=list, blank=True)  # what the reader did (merged cells filled…), in Thai
    headers = models.JSONField(default=list, blank=True)  # the file's header row: names of each record's raw cells
    task_id = models.CharField(max_length=64, blank=True)
    created_by = models.ForeignKey(USER, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("import")
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return self.file_name


class LinkMethod(models.TextChoices):
    NATIONAL_ID = "national_id", _("same national ID")
    ID_REPAIRED = "id_repaired", _("national ID repaired")
    PROBABILISTIC = "probabilistic", _("matched on name, birth date and place")
    REVIEWED = "reviewed", _("decided by an officer")
    CREATED = "created", _("new person created")


class SourceRecord(models.Model):
    """Written a million at a time by imports (importing/writer.py), so the table carries only what
    is read: no database constraint on source, import and area (each row's values are checked by the
    import that writes them; deletes cascade through Django), no index on import or national ID."""

    # No index of its own: the unique (source, source_key) index serves every lookup by source.
    source = models.ForeignKey(Source, verbose_name=_("source"), on_delete=models.CASCADE, related_name="records",
                               db_index=False, db_constraint=False)
    source_key = models.CharField(_("key in the source"), max_length=100)
    # The row as read, as text (never queried into, so neither parsed nor checked when written): its
    # cells, named by ``import_job.headers`` (importing/raw.py). See ``raw_cells``.
    raw = models.TextField(default="[]")
    row_hash = models.CharField(max_length=64)  # of the column map; equal raw and hash = unchanged row
    import_job = models.ForeignKey(ImportJob, null=True, blank=True, on_delete=models.SET_NULL, related_name="+",
                                   db_index=False, db_constraint=False)

    # Cleaned values, the ones linkage compares and the golden record may take.
    national_id = models.CharField(max_length=13, blank=True)  # digits as given (may fail the check digit)
    title = models.CharField(max_length=40, blank=True)
    first_name = models.CharField(max_length=100, blank=True)
    last_name = models.CharField(max_length=100, blank=True)
    nickname = models.CharField(max_length=50, blank=True)
    sex = models.CharField(max_length=10, blank=True)
    birth_date = models.DateField(null=True, blank=True)
    birth_year_only = models.BooleanField(default=False)
    house_no = models.CharField(max_length=30, blank=True)
    # Village or tambon. Not indexed: every read of records goes through the person, the source or the
    # record's id; only a linkage run reads all records in an area (a background task, one scan).
    area = models.ForeignKey("areas.Area", on_delete=models.PROTECT, related_name="+", db_constraint=False,
                             db_index=False)
    phone = models.CharField(max_length=20, blank=True)

    # Indexed only once linked (partial index below): an import writes every row unlinked.
    person = models.ForeignKey("people.Person", null=True, blank=True, on_delete=models.SET_NULL,
                               related_name="source_records", db_index=False)
    link_method = models.CharField(max_length=16, choices=LinkMethod.choices, blank=True)
    link_score = models.FloatField(null=True, blank=True)
    linked_at = models.DateTimeField(null=True, blank=True)
    # The database fills both when an import's COPY leaves them out (one less value to parse per row).
    created_at = models.DateTimeField(auto_now_add=True, db_default=Now())
    updated_at = models.DateTimeField(auto_now=True, db_default=Now())

    class Meta:
        verbose_name = _("source record")
        constraints = [models.UniqueConstraint(fields=["source", "source_key"], name="sourcerecord_source_key")]
        # Linkage reads every record, never one by national ID: no index for it either.
        indexes = [models.Index(fields=["person"], condition=models.Q(person__isnull=False),
                                name="sourcerecord_linked_person")]

    def __str__(self) -> str:
        return f"{self.source_id}:{self.source_key}"

    @property
    def area_code(self) -> str:
        return str(self.area_id)

    def raw_cells(self) -> list[tuple[str, str]]:
        """(header, text) of each cell of the row as read."""
        from chumchon.linkage.importing.raw import raw_decode

        cells = raw_decode(self.raw)
        if isinstance(cells, dict):
            return [(str(header), str(text)) for header, text in cells.items()]
        headers = list(self.import_job.headers) if self.import_job_id and self.import_job else []
        return [(headers[index] if index < len(headers) and headers[index] else f"column {index + 1}", str(text))
                for index, text in enumerate(cells)]
