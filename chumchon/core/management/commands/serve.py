"""Serve Chumchon: gunicorn (production) or Django's development server when CHUMCHON_DEBUG is on.

A `chumchon worker` process is started beside the web server (background tasks, alert escalation)
and stopped with it, unless --no-worker is given (when the worker runs as its own service)."""

from __future__ import annotations

import atexit
import os
import subprocess
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
        parser.add_argument("--no-worker", action="store_true", help="do not start a `chumchon worker` beside it")

    def handle(self, *args: Any, host: str, port: int, workers: int, dev: bool, no_worker: bool,
               **options: Any) -> None:
        if not no_worker:
            worker = subprocess.Popen([sys.executable, "-m", "chumchon", "worker"])
            atexit.register(worker.terminate)
        if dev or settings.DEBUG:
            call_command("runserver", f"{host}:{port}", use_reloader=False)
            return
        from gunicorn.app.wsgiapp import run

        sys.argv = ["gunicorn", "chumchon.wsgi:application", "--bind", f"{host}:{port}",
                    "--workers", str(workers), "--threads", "4", "--access-logfile", "-",
                    "--timeout", "120"]
        run()
