"""`chumchon import persons PATH --source NAME [--area CODE] [--sheet NAME] [--map HEADER=field ...]
[--errors PATH] [--user USERNAME]`: import a person list from the command line.

Prints a progress bar to stderr (updated in place) and the summary line
``read N, created N, updated N, unchanged N, rejected N``; exits non-zero, with the reason, on a
bad file (nothing is changed then). Without ``--user`` the import runs as the system (audit entry
without an actor), for the server's operator.
"""

from __future__ import annotations

import sys
import time
from pathlib import Path
from typing import Any

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.http import Http404

from chumchon.linkage.importing.columns import parse_map_options
from chumchon.linkage.models import Source


class Command(BaseCommand):
    help = "Import a person list (CSV or .xlsx) into a source."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("kind", choices=["persons"], help="what the file lists (persons)")
        parser.add_argument("path", help="the .csv or .xlsx file")
        parser.add_argument("--source", required=True, help="the list's name, e.g. 'ทะเบียนผู้สูงอายุ รพ.สต.'")
        parser.add_argument("--area", default="", help="the area code the source belongs to (needed to create it)")
        parser.add_argument("--sheet", default="", help="the Excel sheet (default: the first)")
        parser.add_argument("--map", action="append", default=[], metavar="HEADER=field",
                            help="map a column to a field (source_key, national_id, ...; '-' ignores it)")
        parser.add_argument("--errors", default="", help="where to write the error report CSV")
        parser.add_argument("--user", default="", help="import as this user (their reach applies)")

    def handle(self, *args: Any, **options: Any) -> None:
        from chumchon.accounts.models import User
        from chumchon.linkage.services.imports import import_job_create, import_run, source_get_or_create

        path = Path(options["path"])
        actor = None
        if options["user"]:
            actor = User.objects.filter(username=options["user"], is_active=True).first()
            if actor is None:
                raise CommandError(f"No active user {options['user']!r}.")
        try:
            mapping = parse_map_options(options["map"])
            source = _source(actor, options["source"], options["area"], source_get_or_create)
            job = import_job_create(actor=actor, source=source, path=path.resolve(), file_name=path.name,
                                    mapping=mapping, sheet=options["sheet"])
            bar = ProgressBar(getattr(self.stderr, "_out", sys.stderr))
            summary = import_run(actor=actor, job=job, errors_path=options["errors"] or None, progress=bar.update)
            bar.done()
        except ValidationError as error:
            raise CommandError(_text(error)) from None
        except Http404:
            raise CommandError("Not found, or outside your area.") from None
        self.stdout.write(summary.line())
        job.refresh_from_db()
        for note in job.notes:
            self.stdout.write(note)
        if job.error_report_path:
            self.stdout.write(f"errors: {job.error_report_path}")


def _source(actor: Any, name: str, area: str, get_or_create: Any) -> Source:
    if area:
        return get_or_create(actor=actor, area_code=area, name=name)
    found = list(Source.objects.filter(name=name)[:2])
    if len(found) != 1:
        raise CommandError(f"Give --area CODE: {'no source' if not found else 'several sources'} named {name!r}.")
    return get_or_create(actor=actor, area_code=found[0].area_id, name=name)


def _text(error: ValidationError) -> str:
    if hasattr(error, "message_dict"):
        return " ".join(f"{field}: {message}" for field, messages in error.message_dict.items() for message in messages)
    return " ".join(error.messages)


class ProgressBar:
    """``[#########...........]  41 %  412 000 rows`` on one line of stderr, redrawn in place."""

    def __init__(self, stream: Any, width: int = 30) -> None:
        self.stream = stream
        self.width = width
        self.started = time.monotonic()

    def update(self, read: int, total: int) -> None:
        share = min(1.0, read / total) if total else 0.0
        filled = int(share * self.width)
        elapsed = time.monotonic() - self.started
        self.stream.write(f"\r[{'#' * filled}{'.' * (self.width - filled)}] {share * 100:3.0f} %  "
                          f"{read:,} rows  {elapsed:.0f} s")
        self.stream.flush()

    def done(self) -> None:
        self.stream.write("\n")
        self.stream.flush()
