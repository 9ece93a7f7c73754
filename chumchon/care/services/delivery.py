"""Delivery of alerts over e-mail, LINE and webhooks.

Rows are planned in the transaction that raises (or escalates) the alert, so a crash or a channel
that is down loses nothing; the worker's periodic job ``care.deliveries_send`` sends what is due.
A channel that is down (no answer, timeout, 429, 5xx) leaves the delivery pending, with the attempt
listed, and it is tried again after 30 s, 60 s, 120 s, ... (ALERT_RETRY_SECONDS, doubling, capped at
ALERT_RETRY_MAX_SECONDS; a 429's Retry-After wins). A refusal for good (another 4xx, a mailbox that
does not exist) fails the delivery, visibly, on the alert page and in the API.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Iterable
from datetime import datetime, timedelta
from urllib.parse import urlsplit

from django.conf import settings
from django.db import transaction
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from chumchon.care import channels
from chumchon.care.channels.base import FAILED, RETRY, SENT, Message, Result
from chumchon.care.models import Alert, AlertChannel, ChannelKind, Delivery, DeliveryAttempt, DeliveryStatus
from chumchon.core.audit import log_action

logger = logging.getLogger("chumchon.care.delivery")

# While a worker sends a delivery, the row is pushed this far into the future so that a second
# worker does not pick it up too; the outcome then sets the real next time.
CLAIM_SECONDS = 300


def backoff_seconds(attempts: int) -> float:
    """Seconds to wait after the ``attempts``-th failed try: base, 2×base, 4×base, ... capped."""
    base, cap = settings.ALERT_RETRY_SECONDS, settings.ALERT_RETRY_MAX_SECONDS
    return float(min(cap, base * 2 ** max(0, min(attempts - 1, 30))))


def alert_link(alert: Alert) -> str:
    return f"{settings.SITE_URL}{reverse('care:alert_detail', args=[alert.pk])}"


def alert_message(alert: Alert) -> Message:
    """The text that leaves the server, in Thai: severity, title, area, escalation, link.
    No names and no national ID: a LINE group or a webhook is outside Chumchon's scoping."""
    with translation.override("th"):
        severity = str(alert.get_severity_display())
        area = alert.area.label
        lines = [f"[{severity}] {alert.title}", area]
        if alert.escalation_level:
            lines.append(_("Not acknowledged in time: escalated (step %(level)s).") % {"level": alert.escalation_level})
        lines.append(_("Open and acknowledge: %(link)s") % {"link": alert_link(alert)})
        subject = _("Chumchon alert: %(title)s") % {"title": alert.title}
    payload = {"alert_id": alert.pk, "title": alert.title, "severity": alert.severity, "area_code": alert.area_id,
               "area_name": area, "status": alert.status, "escalation_level": alert.escalation_level,
               "created_at": alert.created_at.isoformat(), "link": alert_link(alert)}
    return Message(alert_id=alert.pk, subject=subject[:200], text="\n".join(lines), payload=payload)


def deliveries_plan(alert: Alert, *, user_ids: Iterable[int], area_codes: Iterable[str],
                    now: datetime | None = None) -> list[Delivery]:
    """One pending Delivery per channel of each user and area given, for channels this server has
    set up. Call inside the transaction that addresses the alert; the worker sends them."""
    moment = now or timezone.now()
    users, areas = list(user_ids), list(area_codes)
    if not users and not areas:
        return []
    found = AlertChannel.objects.filter(user_id__in=users) | AlertChannel.objects.filter(area_id__in=areas)
    rows = [Delivery(alert=alert, user_id=channel.user_id, area_id=channel.area_id, kind=channel.kind,
                     target=channel.target, next_attempt_at=moment)
            for channel in found.order_by("pk") if channels.enabled(channel.kind)]
    created = Delivery.objects.bulk_create(rows, ignore_conflicts=True)
    if created:
        transaction.on_commit(_wake_worker)
    return created


def _wake_worker() -> None:
    """Send right away on the next worker pass, not only when the periodic job comes round."""
    try:
        from chumchon.care.tasks import deliveries_send_task

        deliveries_send_task.enqueue()
    except Exception:  # the periodic job is the safety net
        logger.warning("could not enqueue the alert delivery task", exc_info=True)


def _claim(delivery: Delivery, moment: datetime) -> bool:
    return bool(Delivery.objects.filter(pk=delivery.pk, status=DeliveryStatus.PENDING,
                                        next_attempt_at=delivery.next_attempt_at)
                .update(next_attempt_at=moment + timedelta(seconds=CLAIM_SECONDS)))


def _record(delivery: Delivery, result: Result, moment: datetime) -> None:
    DeliveryAttempt.objects.create(delivery=delivery, at=moment, outcome=result.outcome,
                                   http_status=result.http_status, error=result.error)
    delivery.attempts += 1
    status = f"HTTP {result.http_status}" if result.http_status else ""
    delivery.last_error = " ".join(part for part in (status, result.error) if part)[:300] \
        if result.outcome != SENT else ""
    if result.outcome == SENT:
        delivery.status, delivery.sent_at, delivery.next_attempt_at = DeliveryStatus.SENT, moment, moment
    elif result.outcome == FAILED:
        delivery.status, delivery.next_attempt_at = DeliveryStatus.FAILED, moment
        log_action(actor=None, verb="alert.delivery_failed", obj=delivery.alert,
                   data={"delivery": delivery.pk, "channel": delivery.kind, "status": result.http_status,
                         "error": result.error})
    else:
        wait = backoff_seconds(delivery.attempts)
        if result.retry_after is not None:
            wait = max(1.0, result.retry_after)
        delivery.next_attempt_at = moment + timedelta(seconds=wait)
    delivery.save(update_fields=["attempts", "last_error", "status", "sent_at", "next_attempt_at"])


def delivery_send(delivery: Delivery, *, now: datetime | None = None) -> Result:
    """Try one delivery now and record the attempt (the caller has claimed it)."""
    moment = now or timezone.now()
    result = channels.send(delivery, alert_message(delivery.alert))
    if result.outcome not in (SENT, RETRY, FAILED):
        result = Result.retry(error=f"unknown outcome {result.outcome}")
    with transaction.atomic():
        _record(delivery, result, moment)
    return result


def _endpoint(delivery: Delivery) -> str:
    """What is down when a send gets no answer: LINE or the mail server as a whole, a webhook's host."""
    if delivery.kind == ChannelKind.WEBHOOK:
        return f"webhook:{urlsplit(delivery.target).netloc}"
    return delivery.kind


def deliveries_send_due(*, now: datetime | None = None, limit: int = 200,
                        budget_seconds: float = 60.0) -> dict[str, int]:
    """Send the pending deliveries whose time has come (the worker's periodic job). Idempotent:
    each row is claimed before it is sent, so two workers never send one delivery twice.
    A channel that does not answer at all is tried once per pass (the others wait for the next
    pass rather than each waiting out the timeout), and a pass stops after ``budget_seconds``
    so that escalation is not held up."""
    moment = now or timezone.now()
    started = time.monotonic()
    counts = {SENT: 0, RETRY: 0, FAILED: 0}
    down: set[str] = set()
    due = list(Delivery.objects.filter(status=DeliveryStatus.PENDING, next_attempt_at__lte=moment)
               .select_related("alert__area").order_by("next_attempt_at", "pk")[:limit])
    for delivery in due:
        if time.monotonic() - started > budget_seconds:
            break
        if _endpoint(delivery) in down or not _claim(delivery, moment):
            continue
        result = delivery_send(delivery, now=moment)
        counts[result.outcome] += 1
        if result.outcome == RETRY and result.http_status is None:
            down.add(_endpoint(delivery))
    return counts
