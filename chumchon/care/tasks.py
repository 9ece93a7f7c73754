"""Background tasks of the care app (run by `chumchon worker`)."""

from __future__ import annotations

from django_tasks import task


@task()
def deliveries_send_task() -> dict[str, int]:
    """Send the alert deliveries that are due: enqueued when an alert is raised or escalated, so
    that it goes out on the worker's next pass; the periodic job catches anything left."""
    from chumchon.care.services.delivery import deliveries_send_due

    return deliveries_send_due()
