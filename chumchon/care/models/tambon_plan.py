"""The tambon plan: individual needs rolled up by village and dimension into programmes with
budget lines, funding sources, a responsible organisation, status and progress."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

USER = settings.AUTH_USER_MODEL


class Dimension(models.TextChoices):
    """The five dimensions of quality of life the tambon plan is organised by (as TPMAP)."""

    HEALTH = "health", _("health")
    LIVING = "living", _("living conditions")
    EDUCATION = "education", _("education")
    INCOME = "income", _("income")
    ACCESS = "access", _("access to public services and rights")


class ProgrammeStatus(models.TextChoices):
    DRAFT = "draft", _("draft")
    APPROVED = "approved", _("approved")
    IN_PROGRESS = "in_progress", _("in progress")
    DONE = "done", _("done")
    CANCELLED = "cancelled", _("cancelled")


class Programme(models.Model):
    tambon = models.ForeignKey("areas.Area", verbose_name=_("subdistrict"), on_delete=models.PROTECT,
                               related_name="+")
    fiscal_year = models.PositiveIntegerField(_("fiscal year (B.E.)"))
    name = models.CharField(_("name"), max_length=200)
    dimension = models.CharField(_("dimension"), max_length=10, choices=Dimension.choices)
    support_kind = models.ForeignKey("network.Term", verbose_name=_("kind of support"), null=True, blank=True,
                                     on_delete=models.PROTECT, related_name="+")
    villages = models.ManyToManyField("areas.Area", verbose_name=_("villages"), blank=True, related_name="+")
    people_count = models.PositiveIntegerField(_("people"), default=0)
    responsible_organisation = models.ForeignKey("network.Organisation", verbose_name=_("responsible organisation"),
                                                 null=True, blank=True, on_delete=models.SET_NULL,
                                                 related_name="+")
    status = models.CharField(_("status"), max_length=12, choices=ProgrammeStatus.choices,
                              default=ProgrammeStatus.DRAFT)
    progress = models.PositiveSmallIntegerField(_("progress (%)"), default=0)
    created_by = models.ForeignKey(USER, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("programme")
        ordering = ["fiscal_year", "dimension", "name", "pk"]
        constraints = [
            models.CheckConstraint(condition=models.Q(progress__lte=100), name="programme_progress_max_100"),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def area_code(self) -> str:
        return str(self.tambon_id)

    @property
    def budget_total(self) -> object:
        return sum((line.amount for line in self.budget_lines.all()), start=0)


class BudgetLine(models.Model):
    programme = models.ForeignKey(Programme, on_delete=models.CASCADE, related_name="budget_lines")
    description = models.CharField(_("item"), max_length=200)
    amount = models.DecimalField(_("amount (baht)"), max_digits=12, decimal_places=2)
    funding_source = models.CharField(_("funding source"), max_length=200)

    class Meta:
        verbose_name = _("budget line")
        ordering = ["programme", "pk"]
        constraints = [models.CheckConstraint(condition=models.Q(amount__gte=0), name="budgetline_amount_not_negative")]

    def __str__(self) -> str:
        return self.description

    @property
    def area_code(self) -> str:
        return str(self.programme.tambon_id)
