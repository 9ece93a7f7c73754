"""Periodic jobs run by `chumchon worker` without anyone opening a page.

An app registers a job in its AppConfig.ready():

    periodic.register("care.alerts_escalate", every_seconds=60, func=alerts_escalate_due)

The worker calls each job when its interval has passed, inside its own try/except, so one failing
job neither stops the worker nor the others. Jobs must be idempotent: two workers, or a restart,
may run one twice.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from dataclasses import dataclass, field

logger = logging.getLogger("chumchon.worker")


@dataclass
class PeriodicJob:
    name: str
    every_seconds: float
    func: Callable[[], object]
    last_run: float = field(default=float("-inf"))

    def due(self, now: float) -> bool:
        return now - self.last_run >= self.every_seconds


_JOBS: dict[str, PeriodicJob] = {}


def register(name: str, *, every_seconds: float, func: Callable[[], object]) -> None:
    if every_seconds <= 0:
        raise ValueError("every_seconds must be positive")
    _JOBS[name] = PeriodicJob(name=name, every_seconds=every_seconds, func=func)


def jobs() -> list[PeriodicJob]:
    return list(_JOBS.values())


def run_due(*, now: float | None = None, force: bool = False) -> list[str]:
    """Run the jobs whose time has come; return the names of those that ran without error."""
    moment = time.monotonic() if now is None else now
    ran: list[str] = []
    for job in jobs():
        if not (force or job.due(moment)):
            continue
        job.last_run = moment
        try:
            job.func()
        except Exception:  # a failing job must not stop the worker or the other jobs
            logger.exception("periodic job %s failed", job.name)
        else:
            ran.append(job.name)
    return ran
