"""Serve Chumchon: gunicorn (production) or Django's development server when CHUMCHON_DEBUG is on."""

from __future__ import annotations

import os
import sys
from typing import Any

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand


class Command(BaseCommand):
    help = "Serve Chumchon on HOST:PORT (default 127.0.0.1 and $PORT or 8000)."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--host", default=os.environ.get("HOST", "127.0.0.1"))
        parser.add_argument("--port", type=int, default=int(os.environ.get("PORT", "8000")))
        parser.add_argument("--workers", type=int, default=int(os.environ.get("CHUMCHON_WORKERS", "2")))
        parser.add_argument("--dev", action="store_true", help="use Django's development server")

    def handle(self, *args: Any, host: str, port: int, workers: int, dev: bool, **options: Any) -> None:
        if dev or settings.DEBUG:
            call_command("runserver", f"{host}:{port}", use_reloader=False)
            return
        from gunicorn.app.wsgiapp import run

        sys.argv = ["gunicorn", "chumchon.wsgi:application", "--bind", f"{host}:{port}",
                    "--workers", str(workers), "--threads", "4", "--access-logfile", "-",
                    "--timeout", "120"]
        run()
