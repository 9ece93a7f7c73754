"""Background task: a linkage run started by an officer's button (``linkage_run_start``).

The engine writes its results in one transaction, so progress reported from inside it would not be
visible to the polling page (and SQLite would block a second writer): progress therefore goes to
a small JSON file beside the database (``progress_path``), read by ``run_progress``, and onto the
LinkageRun row whenever no transaction is open."""

from __future__ import annotations

import dataclasses
import json
import logging
import os
from pathlib import Path
from typing import Any

from django.conf import settings
from django.db import connection
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django_tasks import task

from chumchon.linkage.models import LinkageRun, RunStatus

log = logging.getLogger(__name__)


def _plain_summary(summary: Any) -> dict[str, Any]:
    if dataclasses.is_dataclass(summary) and not isinstance(summary, type):
        data = dataclasses.asdict(summary)
    else:
        data = dict(vars(summary)) if summary is not None else {}
    return {key: value for key, value in data.items() if isinstance(value, int | float | str | bool | None)}


def progress_path(run_id: int) -> Path:
    return Path(settings.DATA_DIR) / "linkage-runs" / f"{int(run_id)}.json"


def _write_progress(run_id: int, phase: str, done: int, total: int) -> None:
    path = progress_path(run_id)
    path.parent.mkdir(parents=True, exist_ok=True)
    temporary = path.with_suffix(".tmp")
    temporary.write_text(json.dumps({"phase": phase, "done": done, "total": total}))
    os.replace(temporary, path)


# What the officer reads for each phase linkage_run reports (services/linking.py, engine.py).
PHASE_LABELS = {
    "load": gettext_lazy("reading the records"),
    "match": gettext_lazy("comparing records"),
    "match:prepare": gettext_lazy("preparing names, dates and places"),
    "match:national_id": gettext_lazy("matching national IDs"),
    "match:id_repair": gettext_lazy("repairing mistyped national IDs"),
    "match:splink": gettext_lazy("comparing names, birth dates and places"),
    "match:clusters": gettext_lazy("grouping the records of each person"),
    "persons": gettext_lazy("registering new people"),
    "merges": gettext_lazy("merging clear duplicates"),
    "links": gettext_lazy("linking records to people"),
    "review": gettext_lazy("queueing uncertain pairs for review"),
    "done": gettext_lazy("finished"),
}


def phase_label(phase: str) -> str:
    return str(PHASE_LABELS.get(phase, PHASE_LABELS["match"] if phase.startswith("match") else phase))


def run_progress(run: LinkageRun) -> dict[str, Any]:
    """Phase (with its label), done and total of a run: from the progress file while it runs, else
    from the row."""
    progress = {"phase": run.phase, "done": run.done, "total": run.total}
    if run.status == RunStatus.RUNNING:
        try:
            data = json.loads(progress_path(run.pk).read_text())
            progress = {"phase": str(data["phase"]), "done": int(data["done"]), "total": int(data["total"])}
        except (OSError, ValueError, KeyError, TypeError):
            pass
    return {**progress, "label": phase_label(str(progress["phase"] or ""))}


def run_linkage(run_id: int) -> None:
    """What the task does; tests may call it directly."""
    from chumchon.accounts.models import User
    from chumchon.linkage.services.linking import linkage_run

    run = LinkageRun.objects.filter(pk=run_id, status=RunStatus.PENDING).first()
    if run is None:
        return  # already run (a repeated task) or gone
    LinkageRun.objects.filter(pk=run.pk).update(status=RunStatus.RUNNING, started_at=timezone.now())
    actor = User.objects.filter(pk=run.created_by_id).first() if run.created_by_id else None

    def progress(phase: str, done: int, total: int) -> None:
        phase, done, total = str(phase)[:40], max(0, int(done)), max(0, int(total))
        _write_progress(run.pk, phase, done, total)
        if not connection.in_atomic_block:
            LinkageRun.objects.filter(pk=run.pk).update(phase=phase, done=done, total=total)

    try:
        summary = linkage_run(actor=actor, progress=progress)
    except Exception as exc:
        log.exception("linkage run %s failed", run.pk)
        progress_path(run.pk).unlink(missing_ok=True)
        LinkageRun.objects.filter(pk=run.pk).update(
            status=RunStatus.FAILED, finished_at=timezone.now(),
            message=_("Linking stopped because of an error; nothing of this run was kept. (%(error)s)")
            % {"error": type(exc).__name__})
        return
    progress_path(run.pk).unlink(missing_ok=True)
    LinkageRun.objects.filter(pk=run.pk).update(status=RunStatus.DONE, finished_at=timezone.now(), phase="done",
                                                done=1, total=1, summary=_plain_summary(summary))


@task()
def linkage_run_task(run_id: int) -> None:
    run_linkage(run_id)
