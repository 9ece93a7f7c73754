"""Referrals: a person referred to an organisation's service, answered by the agency's staff.

Seen only by the person's current area (VIEW_HEALTH there) and by the staff of the receiving organisation."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

USER = settings.AUTH_USER_MODEL


class ReferralStatus(models.TextChoices):
    SENT = "sent", _("waiting for an answer")
    ACCEPTED = "accepted", _("accepted")
    DECLINED = "declined", _("declined")
    COMPLETED = "completed", _("done")
    CANCELLED = "cancelled", _("withdrawn")


OPEN_REFERRAL_STATUSES = (ReferralStatus.SENT, ReferralStatus.ACCEPTED)


class Referral(models.Model):
    person = models.ForeignKey("people.Person", verbose_name=_("person"), on_delete=models.PROTECT,
                               related_name="referrals")
    organisation = models.ForeignKey("network.Organisation", verbose_name=_("organisation"),
                                     on_delete=models.PROTECT, related_name="referrals")
    service = models.ForeignKey("network.Service", verbose_name=_("service"), on_delete=models.PROTECT,
                                related_name="referrals")
    reason = models.TextField(_("why the person is referred"))
    status = models.CharField(_("status"), max_length=10, choices=ReferralStatus.choices,
                              default=ReferralStatus.SENT)
    answer_due_on = models.DateField(_("answer due by"))
    referred_by = models.ForeignKey(USER, verbose_name=_("referred by"), null=True, on_delete=models.SET_NULL,
                                    related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    answered_by = models.ForeignKey(USER, verbose_name=_("answered by"), null=True, blank=True,
                                    on_delete=models.SET_NULL, related_name="+")
    answered_at = models.DateTimeField(null=True, blank=True)
    decline_reason = models.TextField(_("why it was declined"), blank=True)
    outcome_note = models.TextField(_("what was done"), blank=True)
    completed_by = models.ForeignKey(USER, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    completed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("referral")
        ordering = ["-created_at", "-pk"]
        indexes = [
            models.Index(fields=["organisation", "status"], name="referral_org_status"),
        ]

    def __str__(self) -> str:
        return f"{self.service} #{self.pk}"

    @property
    def area_code(self) -> str:
        """The person's current village: a referral follows the person when they move."""
        return str(self.person.area_id)
