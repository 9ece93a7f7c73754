"""Individual quality-of-life plans (แผนพัฒนาคุณภาพชีวิตรายบุคคล) and LTC care plans: problems,
goals with a measurable target, actions, and the reviews recorded at each revisit.

A goal's target is stored structured so it can be judged without a person reading it:
- ``score``: the latest score under ``instrument_code`` compared with ``target_score``;
- ``classification``: the latest classification equals (or no longer equals) ``target_classification``;
- ``flag_cleared``: the latest assessment under the instrument no longer raises ``flag_code``;
- ``right``: the registry shows the person has ``right_code`` (an ID card, an allowance…);
- ``evidence``: judged by a user who records what they saw ("roof repaired").
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

USER = settings.AUTH_USER_MODEL


class PlanKind(models.TextChoices):
    QUALITY_OF_LIFE = "qol", _("individual quality-of-life plan")
    LTC = "ltc", _("long-term care plan")


class PlanStatus(models.TextChoices):
    DRAFT = "draft", _("draft")
    SUBMITTED = "submitted", _("waiting for approval")
    APPROVED = "approved", _("approved")
    UNDER_REVIEW = "under_review", _("under review")
    CLOSED = "closed", pgettext_lazy("plan status", "closed")


OPEN_PLAN_STATUSES = (PlanStatus.DRAFT, PlanStatus.SUBMITTED, PlanStatus.APPROVED, PlanStatus.UNDER_REVIEW)


class CarePlan(models.Model):
    person = models.ForeignKey("people.Person", verbose_name=_("person"), on_delete=models.PROTECT,
                               related_name="care_plans")
    kind = models.CharField(_("kind of plan"), max_length=4, choices=PlanKind.choices,
                            default=PlanKind.QUALITY_OF_LIFE)
    status = models.CharField(_("status"), max_length=14, choices=PlanStatus.choices, default=PlanStatus.DRAFT)
    summary = models.TextField(_("summary"), blank=True)
    author = models.ForeignKey(USER, verbose_name=_("written by"), null=True, on_delete=models.SET_NULL,
                               related_name="+")
    submitted_at = models.DateTimeField(null=True, blank=True)
    approved_by = models.ForeignKey(USER, verbose_name=_("approved by"), null=True, blank=True,
                                    on_delete=models.SET_NULL, related_name="+")
    approved_at = models.DateTimeField(null=True, blank=True)
    returned_reason = models.TextField(_("why it was returned"), blank=True)
    closed_at = models.DateTimeField(null=True, blank=True)
    closed_reason = models.TextField(_("why it was closed"), blank=True)
    version = models.PositiveIntegerField(default=1)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("care plan")
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.UniqueConstraint(fields=["person", "kind"], condition=~models.Q(status="closed"),
                                    name="careplan_one_open_per_person_kind"),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} #{self.pk}"

    @property
    def area_code(self) -> str:
        """The person's current village: a plan follows the person when they move."""
        return str(self.person.area_id)


class GoalMeasure(models.TextChoices):
    SCORE = "score", _("score under an assessment")
    CLASSIFICATION = "classification", _("result of an assessment")
    FLAG_CLEARED = "flag_cleared", _("a warning no longer raised")
    RIGHT = "right", _("a right or benefit received")
    EVIDENCE = "evidence", _("evidence seen by a person")


class Comparison(models.TextChoices):
    AT_LEAST = ">=", _("at least")
    AT_MOST = "<=", _("at most")
    EQUALS = "==", _("is")
    NOT_EQUALS = "!=", _("is no longer")


class Outcome(models.TextChoices):
    PENDING = "pending", _("not judged yet")
    MET = "met", _("met")
    PARTLY_MET = "partly_met", _("partly met")
    NOT_MET = "not_met", _("not met")


class OutcomeSource(models.TextChoices):
    NONE = "", _("not judged yet")
    ASSESSMENT = "assessment", _("from a re-assessment")
    REGISTRY = "registry", _("from the registry")
    EVIDENCE = "evidence", _("from evidence recorded")


class Goal(models.Model):
    plan = models.ForeignKey(CarePlan, on_delete=models.CASCADE, related_name="goals")
    problem = models.CharField(_("problem"), max_length=300)
    # Where the problem came from: "barthel_adl:bed_bound", "right:disability_card" or "" (by hand).
    source_code = models.CharField(max_length=100, blank=True)
    support_kind = models.ForeignKey("network.Term", verbose_name=_("kind of support"), null=True, blank=True,
                                     on_delete=models.PROTECT, related_name="+")
    description = models.CharField(_("goal"), max_length=300)
    measure = models.CharField(_("measured by"), max_length=14, choices=GoalMeasure.choices)
    instrument_code = models.CharField(_("instrument"), max_length=60, blank=True)
    comparison = models.CharField(max_length=2, choices=Comparison.choices, blank=True)
    target_score = models.DecimalField(_("target score"), max_digits=8, decimal_places=2, null=True, blank=True)
    target_classification = models.CharField(_("target result"), max_length=40, blank=True)
    flag_code = models.CharField(_("warning"), max_length=60, blank=True)
    right_code = models.CharField(_("right"), max_length=40, blank=True)
    # The person's state when the goal was set (before), and the latest judged (after).
    baseline_assessment = models.ForeignKey("visits.Assessment", null=True, blank=True, on_delete=models.SET_NULL,
                                            related_name="+")
    baseline_score = models.DecimalField(max_digits=8, decimal_places=2, null=True, blank=True)
    baseline_classification = models.CharField(max_length=40, blank=True)
    baseline_on = models.DateField(null=True, blank=True)
    latest_assessment = models.ForeignKey("visits.Assessment", null=True, blank=True, on_delete=models.SET_NULL,
                                          related_name="+")
    latest_score = models.DecimalField(max_digits=8, decimal_places=2, null=True, blank=True)
    latest_classification = models.CharField(max_length=40, blank=True)
    latest_on = models.DateField(null=True, blank=True)
    outcome = models.CharField(_("outcome"), max_length=10, choices=Outcome.choices, default=Outcome.PENDING)
    outcome_source = models.CharField(max_length=10, choices=OutcomeSource.choices, blank=True)
    outcome_note = models.TextField(_("evidence"), blank=True)
    outcome_by = models.ForeignKey(USER, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    outcome_on = models.DateField(_("judged on"), null=True, blank=True)
    met_on = models.DateField(_("met on"), null=True, blank=True)
    created_by = models.ForeignKey(USER, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("goal")
        ordering = ["plan", "pk"]

    def __str__(self) -> str:
        return self.description

    @property
    def area_code(self) -> str:
        return self.plan.area_code

    @property
    def is_open(self) -> bool:
        return self.outcome != Outcome.MET


class ActionStatus(models.TextChoices):
    PLANNED = "planned", _("planned")
    IN_PROGRESS = "in_progress", _("in progress")
    DONE = "done", _("done")
    CANCELLED = "cancelled", _("cancelled")


class Action(models.Model):
    goal = models.ForeignKey(Goal, on_delete=models.CASCADE, related_name="actions")
    description = models.CharField(_("what will be done"), max_length=300)
    organisation = models.ForeignKey("network.Organisation", verbose_name=_("responsible organisation"),
                                     null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    service = models.ForeignKey("network.Service", verbose_name=_("service"), null=True, blank=True,
                                on_delete=models.SET_NULL, related_name="+")
    responsible_name = models.CharField(_("responsible person"), max_length=200, blank=True)
    responsible_user = models.ForeignKey(USER, verbose_name=_("responsible user"), null=True, blank=True,
                                         on_delete=models.SET_NULL, related_name="+")
    fund_source = models.CharField(_("fund or budget source"), max_length=200, blank=True)
    due_on = models.DateField(_("due on"), null=True, blank=True)
    status = models.CharField(_("status"), max_length=12, choices=ActionStatus.choices, default=ActionStatus.PLANNED)
    referral = models.ForeignKey("care.Referral", verbose_name=_("referral"), null=True, blank=True,
                                 on_delete=models.SET_NULL, related_name="actions")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("action")
        ordering = ["goal", "due_on", "pk"]

    def __str__(self) -> str:
        return self.description

    @property
    def area_code(self) -> str:
        return self.goal.plan.area_code


class PlanReview(models.Model):
    """A review of the plan at a revisit: what changed, by whom."""

    plan = models.ForeignKey(CarePlan, on_delete=models.CASCADE, related_name="reviews")
    reviewed_on = models.DateField(_("review date"))
    note = models.TextField(_("note"))
    reviewer = models.ForeignKey(USER, verbose_name=_("reviewed by"), null=True, on_delete=models.SET_NULL,
                                 related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("plan review")
        ordering = ["-reviewed_on", "-pk"]

    def __str__(self) -> str:
        return f"{self.plan_id} {self.reviewed_on}"

    @property
    def area_code(self) -> str:
        return self.plan.area_code
