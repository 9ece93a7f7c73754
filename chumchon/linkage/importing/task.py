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
    return {"status": "done", "summary": summary.line()}
