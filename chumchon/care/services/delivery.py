"""Delivery of alerts over e-mail, LINE and webhooks.

Rows are planned in the transaction that raises (or escalates) the alert, so a crash or a channel
that is down loses nothing; the worker's periodic job ``care.deliveries_send`` sends what is due.
A channel that is down (no answer, timeout, 429, 5xx) leaves the delivery pending, with the attempt
listed, and it is tried again after 30 s, 60 s, 120 s, ... (ALERT_RETRY_SECONDS, doubling, capped at
ALERT_RETRY_MAX_SECONDS; a 429's Retry-After wins). A refusal for good (another 4xx, a mailbox that
does not exist) fails the delivery, visibly, on the alert page and in the API, and so does a delivery
still not sent after ALERT_DELIVERY_GIVE_UP_HOURS ("gave up") or to a user no longer active.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Iterable
from datetime import datetime, timedelta
from typing import Any
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
from chumchon.core.thai import mask_ids_in_text

logger = logging.getLogger("chumchon.care.delivery")

# While a worker sends a delivery, the row is pushed this far into the future so that a second
# worker does not pick it up too; the outcome then sets the real next time.
CLAIM_SECONDS = 300
MESSAGE_ERROR = "could not build the message"


def backoff_seconds(attempts: int) -> float:
    """Seconds to wait after the ``attempts``-th failed try: base, 2×base, 4×base, ... capped."""
    base, cap = settings.ALERT_RETRY_SECONDS, settings.ALERT_RETRY_MAX_SECONDS
    return float(min(cap, base * 2 ** max(0, min(attempts - 1, 30))))


def alert_link(alert: Alert) -> str:
    return f"{settings.SITE_URL}{reverse('care:alert_detail', args=[alert.pk])}"


def alert_message(alert: Alert) -> Message:
    """The text that leaves the server, in Thai: severity, title, area, escalation, link.
    No names and no national ID: a LINE group or a webhook is outside Chumchon's scoping. A title
    typed by hand is free text, so any 13-digit run in it is masked like a national ID."""
    title = mask_ids_in_text(alert.title)
    with translation.override("th"):
        severity = str(alert.get_severity_display())
        area = alert.area.label
        lines = [f"[{severity}] {title}", area]
        if alert.escalation_level:
            lines.append(_("Not acknowledged in time: escalated (step %(level)s).") % {"level": alert.escalation_level})
        lines.append(_("Open and acknowledge: %(link)s") % {"link": alert_link(alert)})
        subject = _("Chumchon alert: %(title)s") % {"title": title}
    payload = {"alert_id": alert.pk, "title": title, "severity": alert.severity, "area_code": alert.area_id,
               "area_name": area, "status": alert.status, "escalation_level": alert.escalation_level,
               "created_at": alert.created_at.isoformat(), "link": alert_link(alert)}
    return Message(alert_id=alert.pk, subject=" ".join(subject.split())[:200], text="\n".join(lines),
                   payload=payload)


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


def _retry_wait(delivery: Delivery, result: Result) -> float:
    """Seconds until the next try: the back-off, or a 429's Retry-After, never above the maximum
    (a huge Retry-After must not overflow the date arithmetic nor park the delivery for years)."""
    cap = float(settings.ALERT_RETRY_MAX_SECONDS)
    if result.retry_after is not None:
        try:
            return min(cap, max(1.0, float(result.retry_after)))
        except (TypeError, ValueError, OverflowError):
            return cap
    return min(cap, backoff_seconds(delivery.attempts))


def _later(moment: datetime, seconds: float) -> datetime:
    try:
        return moment + timedelta(seconds=seconds)
    except OverflowError:
        return moment + timedelta(seconds=settings.ALERT_RETRY_MAX_SECONDS)


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
        delivery.next_attempt_at = _later(moment, _retry_wait(delivery, result))
    delivery.save(update_fields=["attempts", "last_error", "status", "sent_at", "next_attempt_at"])


def delivery_send(delivery: Delivery, *, now: datetime | None = None) -> Result:
    """Try one delivery now and record the attempt (the caller has claimed it). A delivery older
    than ALERT_DELIVERY_GIVE_UP_HOURS, or to a user who is no longer active, is not sent: it fails,
    with the reason in its attempts. Building the message cannot fail the pass, only this delivery."""
    moment = now or timezone.now()
    result = _not_to_send(delivery, moment)
    if result is None:
        try:
            message = alert_message(delivery.alert)
        except Exception as exc:
            logger.exception("could not build the message of alert %s", delivery.alert_id)
            result = Result.retry(error=f"{MESSAGE_ERROR}: {type(exc).__name__}")
        else:
            result = channels.send(delivery, message)
    if result.outcome not in (SENT, RETRY, FAILED):
        result = Result.retry(error=f"unknown outcome {result.outcome}")
    with transaction.atomic():
        _record(delivery, result, moment)
    return result


def _not_to_send(delivery: Delivery, moment: datetime) -> Result | None:
    hours = settings.ALERT_DELIVERY_GIVE_UP_HOURS
    if delivery.created_at and delivery.created_at < moment - timedelta(hours=hours):
        return Result.failed(error=f"gave up: not delivered within {hours} hours")
    if delivery.user is not None and not delivery.user.is_active:
        return Result.failed(error="not sent: the recipient is no longer an active user")
    return None


def _endpoint(delivery: Delivery) -> str:
    """What is down when a send gets no answer: LINE or the mail server as a whole, a webhook's host."""
    if delivery.kind == ChannelKind.WEBHOOK:
        return f"webhook:{urlsplit(delivery.target).netloc}"
    return delivery.kind


def _endpoint_down(result: Result) -> bool:
    """No answer at all (refused, timeout, DNS) or 429: the channel itself is down or busy."""
    if result.outcome != RETRY:
        return False
    if result.http_status == 429:
        return True
    # a mailbox the server cannot take just now (4xx for one recipient) says nothing of the others
    return (result.http_status is None and not result.error.startswith(MESSAGE_ERROR)
            and not result.error.endswith("recipient refused"))


def _due() -> Any:
    return Delivery.objects.filter(status=DeliveryStatus.PENDING)


def _postpone(endpoint: str, kind: str, moment: datetime, until: datetime) -> int:
    """The endpoint is down (or asked us to slow down): its other due rows wait until ``until``,
    in one UPDATE and without counting an attempt, so they do not hold up the other channels."""
    rows = _due().filter(kind=kind, next_attempt_at__lte=moment)
    if kind == ChannelKind.WEBHOOK:
        ids = [pk for pk, target in rows.values_list("pk", "target")
               if f"webhook:{urlsplit(target).netloc}" == endpoint]
        rows = _due().filter(pk__in=ids, next_attempt_at__lte=moment)
    return int(rows.update(next_attempt_at=until))


def deliveries_send_due(*, now: datetime | None = None, limit: int = 200,
                        budget_seconds: float = 60.0) -> dict[str, int]:
    """Send the pending deliveries whose time has come (the worker's periodic job). Idempotent:
    each row is claimed before it is sent, so two workers never send one delivery twice.
    A channel that does not answer at all, or answers 429, is tried once per pass: its other due
    rows are put off by the back-off in one UPDATE and the pass goes on with the other channels.
    At most ``limit`` sends per pass, and a pass stops after ``budget_seconds`` so that escalation
    is not held up."""
    moment = now or timezone.now()
    started = time.monotonic()
    counts = {SENT: 0, RETRY: 0, FAILED: 0}
    down: set[str] = set()
    tried = 0
    for _round in range(limit + 1):  # each round ends with a send or an endpoint put off
        due = list(_due().filter(next_attempt_at__lte=moment).select_related("alert__area", "user")
                   .order_by("next_attempt_at", "pk")[:limit - tried])
        refetch = False
        for delivery in due:
            if time.monotonic() - started > budget_seconds or tried >= limit:
                return counts
            if _endpoint(delivery) in down or not _claim(delivery, moment):
                continue
            tried += 1
            result = delivery_send(delivery, now=moment)
            counts[result.outcome] += 1
            if _endpoint_down(result):
                endpoint = _endpoint(delivery)
                down.add(endpoint)
                if _postpone(endpoint, delivery.kind, moment, delivery.next_attempt_at):
                    refetch = True  # rows beyond this batch may now be due for the other channels
                    break
        if not refetch or tried >= limit:
            break
    return counts
