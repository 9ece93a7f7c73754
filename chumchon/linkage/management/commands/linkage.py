"""``chumchon linkage run [--source ID ...]`` and ``chumchon linkage export PATH``."""

from __future__ import annotations

import csv
import sys
from pathlib import Path
from typing import Any, TextIO

from django.core.management.base import BaseCommand, CommandError, CommandParser


class Command(BaseCommand):
    help = ("Record linkage: 'run' links every source record to a registry person (creating persons, "
            "merging clear duplicates, queueing uncertain pairs for review); 'export PATH' writes "
            "source,source_key,person_id as CSV.")

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        run = sub.add_parser("run", help="link all source records (the whole registry)")
        run.add_argument("--source", type=int, action="append", dest="sources",
                         help="only the records of this source id (repeatable)")
        export = sub.add_parser("export", help="write source,source_key,person_id as CSV ('-' for stdout)")
        export.add_argument("path")

    def handle(self, *args: Any, **options: Any) -> None:
        if options["action"] == "run":
            self._run(options.get("sources"))
        else:
            self._export(options["path"])

    def _run(self, sources: list[int] | None) -> None:
        from chumchon.linkage.services.linking import linkage_run

        interactive = self.stderr.isatty()
        last = [""]

        def progress(phase: str, done: int, total: int) -> None:
            """A bar on a terminal; one line per phase when the output is a file or a pipe."""
            share = done / total if total else 0.0
            if interactive:
                bar = "#" * int(share * 30)
                self.stderr.write(f"\r[{bar:<30}] {share:4.0%} {phase:<24}", ending="")
                self.stderr.flush()
            elif phase != last[0]:
                self.stderr.write(f"… {phase}")
            last[0] = phase

        summary = linkage_run(actor=None, source_ids=sources, progress=progress)
        if interactive:
            self.stderr.write("")
        self.stdout.write(
            f"records {summary.records}, persons {summary.persons}, linked {summary.linked} "
            f"(national ID {summary.by_national_id}, repaired ID {summary.by_id_repair}, "
            f"probabilistic {summary.probabilistic}), persons created {summary.persons_created}, "
            f"merged {summary.merged}, to review {summary.candidates}, candidate pairs {summary.candidate_pairs} "
            f"({summary.seconds:.1f} s)")

    def _export(self, path: str) -> None:
        from chumchon.linkage.models import SourceRecord

        rows = (SourceRecord.objects.order_by("source__name", "source_key", "pk")
                .values_list("source__name", "source_key", "person_id"))
        if path == "-":
            _write(sys.stdout, rows)
            return
        try:
            with Path(path).open("w", newline="", encoding="utf-8") as handle:
                count = _write(handle, rows)
        except OSError as error:
            raise CommandError(f"cannot write {path}: {error}") from error
        self.stdout.write(f"exported {count} source records to {path}")


def _write(handle: TextIO, rows: Any) -> int:
    writer = csv.writer(handle)
    writer.writerow(["source", "source_key", "person_id"])
    count = 0
    for source, key, person in rows.iterator(chunk_size=5000):
        writer.writerow([_safe(source), _safe(key), person or ""])
        count += 1
    return count


def _safe(value: str) -> str:
    """A cell a spreadsheet will not run as a formula (CSV injection)."""
    return "'" + value if value and value[0] in "=+-@\t\r" else value
