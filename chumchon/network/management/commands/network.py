"""``chumchon network export-hsds DIR [--area CODE]`` writes the directory as Open Referral HSDS
core tables (organization.csv, service.csv, location.csv, service_area.csv) into DIR;
``chumchon network import-hsds DIR --user NAME`` reads them back, all or nothing, as that user
(who needs MANAGE_NETWORK where the records are). Refused rows are printed as FILE:LINE: column:
message and the command exits with status 1."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from chumchon.accounts.scoping import within_q
from chumchon.network import hsds
from chumchon.network.hsds_import import HsdsImportError, hsds_import
from chumchon.network.models import Organisation


class Command(BaseCommand):
    help = "Export or import the network directory as Open Referral HSDS CSV files."

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        export = sub.add_parser("export-hsds", help="write the four HSDS CSV files into DIR")
        export.add_argument("directory")
        export.add_argument("--area", default="", help="only organisations registered within this area code")
        load = sub.add_parser("import-hsds", help="read the HSDS CSV files in DIR")
        load.add_argument("directory")
        load.add_argument("--user", required=True, help="the username the import is made as (MANAGE_NETWORK)")

    def handle(self, *args: Any, **options: Any) -> None:
        directory = Path(options["directory"])
        if options["action"] == "export-hsds":
            organisations = Organisation.objects.all()
            if options["area"]:
                organisations = organisations.filter(within_q(options["area"]))
            tables = hsds.export_tables(organisations)
            for path in hsds.write_directory(tables, directory):
                self.stdout.write(f"{path}: {len(tables[path.name])} rows")
            return
        from chumchon.accounts.models import User

        actor = User.objects.filter(username=options["user"], is_active=True).first()
        if actor is None:
            raise CommandError(f"no active user {options['user']!r}")
        if not directory.is_dir():
            raise CommandError(f"{directory}: not a directory")
        try:
            report = hsds_import(actor=actor, tables=hsds.read_directory(directory))
        except HsdsImportError as exc:
            for error in exc.errors:
                column = f" {error.column}:" if error.column else ""
                self.stderr.write(f"{directory / error.file}:{error.line}:{column} {error.message}")
            raise CommandError(f"{len(exc.errors)} row(s) refused; nothing was imported", returncode=1) from None
        for key, count in sorted(report.counts.items()):
            self.stdout.write(f"{key}: {count}")
