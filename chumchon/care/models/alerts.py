"""Alerts for the responsible people of an area, who must acknowledge them in time: an alert
still open at ``ack_due_at`` escalates one level up (tambon → district → province), and each
step is kept as an AlertEscalation. Delivery over e-mail, LINE and webhooks: models/delivery.py."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

USER = settings.AUTH_USER_MODEL


class Severity(models.TextChoices):
    URGENT = "urgent", _("urgent")
    HIGH = "high", _("high")
    NORMAL = "normal", _("normal")


class AlertStatus(models.TextChoices):
    OPEN = "open", pgettext_lazy("alert status", "open")
    ACKNOWLEDGED = "acknowledged", _("acknowledged")
    RESOLVED = "resolved", _("resolved")


class Alert(models.Model):
    area = models.ForeignKey("areas.Area", verbose_name=_("area"), on_delete=models.PROTECT, related_name="+")
    person = models.ForeignKey("people.Person", verbose_name=_("person"), null=True, blank=True,
                               on_delete=models.CASCADE, related_name="alerts")
    household = models.ForeignKey("people.Household", verbose_name=_("household"), null=True, blank=True,
                                  on_delete=models.CASCADE, related_name="alerts")
    assessment = models.ForeignKey("visits.Assessment", null=True, blank=True, on_delete=models.SET_NULL,
                                   related_name="alerts")
    flag_code = models.CharField(_("flag"), max_length=60, blank=True)  # empty when raised by hand
    severity = models.CharField(_("severity"), max_length=10, choices=Severity.choices, default=Severity.HIGH)
    title = models.CharField(_("title"), max_length=200)
    message = models.TextField(_("message"), blank=True)
    status = models.CharField(_("status"), max_length=14, choices=AlertStatus.choices, default=AlertStatus.OPEN)
    raised_by = models.ForeignKey(USER, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    acknowledged_by = models.ForeignKey(USER, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    acknowledged_at = models.DateTimeField(null=True, blank=True)
    resolved_by = models.ForeignKey(USER, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    resolved_at = models.DateTimeField(null=True, blank=True)
    # When the alert escalates if nobody has acknowledged it; empty once acknowledged or when
    # there is no level left above.
    ack_due_at = models.DateTimeField(_("acknowledge by"), null=True, blank=True)
    escalation_level = models.PositiveSmallIntegerField(_("escalations"), default=0)

    class Meta:
        verbose_name = _("alert")
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["area", "status"], name="alert_area_status"),
                   models.Index(fields=["status", "ack_due_at"], name="alert_status_ack_due")]
        constraints = [
            # One open alert per person and flag: a repeated assessment does not pile up duplicates.
            models.UniqueConstraint(fields=["person", "flag_code"],
                                    condition=models.Q(status="open", person__isnull=False) & ~models.Q(flag_code=""),
                                    name="alert_one_open_per_person_flag"),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def area_code(self) -> str:
        return str(self.area_id)


class AlertEscalation(models.Model):
    """One step up: the alert was not acknowledged in time and went to the people of ``area``."""

    alert = models.ForeignKey(Alert, on_delete=models.CASCADE, related_name="escalations")
    level = models.PositiveSmallIntegerField(_("escalation"))  # 1 for the first step up
    area = models.ForeignKey("areas.Area", verbose_name=_("area"), on_delete=models.PROTECT, related_name="+")
    at = models.DateTimeField(_("escalated at"))

    class Meta:
        ordering = ["alert", "level"]
        constraints = [models.UniqueConstraint(fields=["alert", "level"], name="alertescalation_alert_level")]

    def __str__(self) -> str:
        return f"{self.alert_id} ↑{self.level} {self.area_id}"

    @property
    def reached_nobody(self) -> bool:
        """The "no one to escalate to" step: no recipient and no LINE group got the alert."""
        return not self.recipients.all() and not self.alert.deliveries.filter(area_id=self.area_id).exists()


class AlertRecipient(models.Model):
    """Who an alert was addressed to (when raised, or by an escalation), and when they saw it.
    Only a recipient may acknowledge the alert."""

    alert = models.ForeignKey(Alert, on_delete=models.CASCADE, related_name="recipients")
    user = models.ForeignKey(USER, on_delete=models.CASCADE, related_name="alert_receipts")
    seen_at = models.DateTimeField(null=True, blank=True)
    escalation = models.ForeignKey(AlertEscalation, null=True, blank=True, on_delete=models.CASCADE,
                                   related_name="recipients")

    class Meta:
        constraints = [models.UniqueConstraint(fields=["alert", "user"], name="alertrecipient_alert_user")]
        indexes = [models.Index(fields=["user", "seen_at"], name="alertrecipient_user_seen")]

    def __str__(self) -> str:
        return f"{self.alert_id} → {self.user_id}"
