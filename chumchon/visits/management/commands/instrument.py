"""``chumchon instrument check PATH`` and ``chumchon instrument add PATH``: validate (and add) a
custom assessment instrument from a JSON or YAML file. Problems are printed with their line
numbers and the command exits with status 1."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from chumchon.visits.instruments.schema import DefinitionError
from chumchon.visits.services.instruments import instrument_add_from_server, instrument_check


class Command(BaseCommand):
    help = "Check or add a custom assessment instrument from a JSON or YAML definition file."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("action", choices=["check", "add"])
        parser.add_argument("path")
        parser.add_argument("--user", default="", help="username recorded as the one who added it")

    def handle(self, *args: Any, **options: Any) -> None:
        path = Path(options["path"])
        try:
            content = path.read_bytes()
        except OSError as exc:
            raise CommandError(f"{path}: {exc.strerror or exc}") from exc
        actor = None
        if options["user"]:
            from chumchon.accounts.models import User

            actor = User.objects.filter(username=options["user"], is_active=True).first()
            if actor is None:
                raise CommandError(f"no active user {options['user']!r}")
        try:
            if options["action"] == "check":
                instrument = instrument_check(filename=path.name, content=content)
                self.stdout.write(f"{path}: OK — {instrument.code} v{instrument.version}, "
                                  f"{len(instrument.items)} items")
            else:
                row = instrument_add_from_server(filename=path.name, content=content, actor=actor)
                self.stdout.write(f"{path}: added {row.code} v{row.version}")
        except DefinitionError as exc:
            for line, message in exc.problems:
                self.stderr.write(f"{path}:{line}: {message}")
            raise CommandError(f"{path}: {len(exc.problems)} problem(s)", returncode=1) from None
