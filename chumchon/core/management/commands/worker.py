"""`chumchon worker`: run queued background tasks (imports, linkage, deliveries) and periodic jobs."""

from __future__ import annotations

import time
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand
from django.db import close_old_connections
from django_tasks_db.management.commands.db_worker import Worker

from chumchon.core import periodic


def run_queued_tasks(*, worker_id: str = "chumchon") -> None:
    """Run every task that is ready now, then return (the db_worker in batch mode)."""
    Worker(queue_names=["*"], interval=0, batch=True, backend_name="default", startup_delay=False,
           max_tasks=None, worker_id=worker_id, excluded_queue_names=[]).run()


class Command(BaseCommand):
    help = "Run queued background tasks and the periodic jobs (alert escalation, delivery retries)."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--once", action="store_true",
                            help="run every periodic job and every ready task once, then stop")
        parser.add_argument("--interval", type=float, default=settings.WORKER_INTERVAL_SECONDS,
                            help="seconds to wait when there is nothing to do")

    def handle(self, *args: Any, once: bool, interval: float, **options: Any) -> None:
        if once:
            periodic.run_due(force=True)
            run_queued_tasks()
            return
        self.stdout.write(f"Chumchon worker: periodic jobs {', '.join(j.name for j in periodic.jobs()) or '-'}")
        while True:
            close_old_connections()
            periodic.run_due()
            run_queued_tasks()
            close_old_connections()
            time.sleep(interval)
