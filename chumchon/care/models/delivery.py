"""Where alerts go besides the in-app inbox, and what happened when they were sent.

- AlertChannel: a user's own e-mail address, LINE user/group id or webhook URL, or an area's LINE
  group (the Kalasin model), set by a tambon officer.
- Delivery: one row per (recipient or area, channel) and alert, created in the same transaction as
  the alert, sent by the worker; pending until the channel accepts it, retried with back-off.
- DeliveryAttempt: each try, with its time and the channel's answer (HTTP status or error).
"""

from __future__ import annotations

import uuid

from django.db import models
from django.utils.translation import gettext_lazy as _

from chumchon.care.models.alerts import USER, Alert


class ChannelKind(models.TextChoices):
    EMAIL = "email", _("e-mail")
    LINE = "line", _("LINE")
    WEBHOOK = "webhook", _("webhook")


class AlertChannel(models.Model):
    user = models.ForeignKey(USER, null=True, blank=True, on_delete=models.CASCADE, related_name="alert_channels")
    area = models.ForeignKey("areas.Area", null=True, blank=True, on_delete=models.CASCADE, related_name="+")
    kind = models.CharField(_("channel"), max_length=10, choices=ChannelKind.choices)
    target = models.CharField(_("address"), max_length=500)  # e-mail address, LINE id or URL
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("alert channel")
        constraints = [
            models.CheckConstraint(condition=models.Q(user__isnull=False, area__isnull=True)
                                   | models.Q(user__isnull=True, area__isnull=False),
                                   name="alertchannel_user_or_area"),
            models.UniqueConstraint(fields=["user", "kind"], condition=models.Q(user__isnull=False),
                                    name="alertchannel_one_per_user_kind"),
            models.UniqueConstraint(fields=["area", "kind"], condition=models.Q(area__isnull=False),
                                    name="alertchannel_one_per_area_kind"),
        ]

    def __str__(self) -> str:
        return f"{self.kind} {self.user_id or self.area_id}"


class DeliveryStatus(models.TextChoices):
    PENDING = "pending", _("waiting to be sent")
    SENT = "sent", _("sent")
    FAILED = "failed", _("failed")


class Delivery(models.Model):
    alert = models.ForeignKey(Alert, on_delete=models.CASCADE, related_name="deliveries")
    user = models.ForeignKey(USER, null=True, blank=True, on_delete=models.CASCADE, related_name="+")
    area = models.ForeignKey("areas.Area", null=True, blank=True, on_delete=models.CASCADE, related_name="+")
    kind = models.CharField(_("channel"), max_length=10, choices=ChannelKind.choices)
    target = models.CharField(max_length=500)  # the address when the alert was raised
    status = models.CharField(_("status"), max_length=10, choices=DeliveryStatus.choices,
                              default=DeliveryStatus.PENDING)
    attempts = models.PositiveIntegerField(default=0)
    next_attempt_at = models.DateTimeField()
    sent_at = models.DateTimeField(null=True, blank=True)
    last_error = models.CharField(max_length=300, blank=True)
    # Sent as LINE's X-Line-Retry-Key: a retried push that LINE already accepted is not sent twice.
    retry_key = models.UUIDField(default=uuid.uuid4, editable=False, unique=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("delivery")
        ordering = ["alert", "pk"]
        indexes = [models.Index(fields=["status", "next_attempt_at"], name="delivery_status_next")]
        constraints = [
            models.UniqueConstraint(fields=["alert", "user", "kind"], condition=models.Q(user__isnull=False),
                                    name="delivery_one_per_alert_user_kind"),
            models.UniqueConstraint(fields=["alert", "area", "kind"], condition=models.Q(area__isnull=False),
                                    name="delivery_one_per_alert_area_kind"),
        ]

    def __str__(self) -> str:
        return f"{self.alert_id} {self.kind} {self.status}"


class DeliveryAttempt(models.Model):
    delivery = models.ForeignKey(Delivery, on_delete=models.CASCADE, related_name="attempt_log")
    at = models.DateTimeField()
    outcome = models.CharField(max_length=10)  # sent, retry, failed
    http_status = models.PositiveSmallIntegerField(null=True, blank=True)
    error = models.CharField(max_length=300, blank=True)

    class Meta:
        ordering = ["delivery", "at", "pk"]

    def __str__(self) -> str:
        return f"{self.delivery_id} {self.outcome} {self.http_status or self.error}"
