"""The background task that runs an import queued from the web or the API (run by `chumchon worker`)."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django_tasks import task


@task()
def import_job_run_task(job_id: int) -> dict[str, Any]:
    """Run one waiting import as the user who queued it (their reach is checked again now)."""
    from chumchon.linkage.models import ImportJob, ImportStatus
    from chumchon.linkage.services.imports import import_run

    job = ImportJob.objects.select_related("source", "source__area", "created_by").get(pk=job_id)
    if job.status != ImportStatus.PENDING:
        return {"status": job.status}
    try:
        summary = import_run(actor=job.created_by, job=job)
    except ValidationError:
        return {"status": "failed"}  # the reason is on the job, for the page
    return {"status": "done", "summary": summary.line(), "linkage_run": _link_imported(job)}


def _link_imported(job: Any) -> int | None:
    """An imported row is only useful once it is linked to a registry person: when the officer who
    imported may link records, a linkage run of their area is queued (or the waiting one reused)."""
    from chumchon.accounts.roles import Capability
    from chumchon.accounts.scoping import can
    from chumchon.linkage.services.review import linkage_run_start

    actor = job.created_by
    if actor is None or not (job.created_count or job.updated_count) or not can(actor, Capability.LINK_RECORDS):
        return None
    return linkage_run_start(actor=actor).pk
