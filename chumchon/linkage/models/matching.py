"""Record linkage results: uncertain pairs for an officer to decide (MatchCandidate), merges of
two registry persons with everything needed to undo them (MergeEvent), and runs of the linkage
engine started from the web (LinkageRun, whose progress the officer's page polls).

An uncertain pair is always between two registry persons (``people.Person``): the engine first
links every source record to a person, then proposes person pairs it is unsure about. The pair is
stored with ``person_a_id < person_b_id``; at most one *pending* row per pair, and a pair once
decided "different" is never proposed again (the engine checks ``MatchCandidate`` before adding).
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

USER = settings.AUTH_USER_MODEL


class CandidateStatus(models.TextChoices):
    PENDING = "pending", _("waiting for review")
    SAME = "same", _("same person")
    DIFFERENT = "different", _("different people")


class MatchCandidate(models.Model):
    """Two persons who may be one. ``score`` is the match probability (0–1). ``evidence`` holds,
    per compared field, the comparison level and the Thai-normalised values of both sides, e.g.
    ``{"first_name": {"level": "similar", "a": "สมสัก", "b": "สมศักดิ์"}, ...}``."""

    person_a = models.ForeignKey("people.Person", on_delete=models.CASCADE, related_name="+")
    person_b = models.ForeignKey("people.Person", on_delete=models.CASCADE, related_name="+")
    score = models.FloatField(_("match probability"))
    evidence = models.JSONField(_("evidence"), default=dict, blank=True)
    status = models.CharField(_("status"), max_length=10, choices=CandidateStatus.choices,
                              default=CandidateStatus.PENDING)
    decided_by = models.ForeignKey(USER, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    decided_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("possible duplicate")
        verbose_name_plural = _("possible duplicates")
        ordering = ["-score", "pk"]
        constraints = [
            models.CheckConstraint(condition=Q(person_a__lt=F("person_b")), name="matchcandidate_a_lt_b"),
            models.UniqueConstraint(fields=["person_a", "person_b"], condition=Q(status="pending"),
                                    name="matchcandidate_one_pending_pair"),
        ]
        indexes = [models.Index(fields=["status", "person_a"], name="matchcandidate_status_a"),
                   models.Index(fields=["person_b"], name="matchcandidate_b")]

    def __str__(self) -> str:
        return f"{self.person_a_id}~{self.person_b_id} ({self.score:.2f})"


class MergeEvent(models.Model):
    """``merged`` folded into ``kept``. ``moved`` maps each related model label to the pks of its
    rows moved from the merged person to the kept one (``{"visits.visit": [3, 7], ...}``; for a
    many-to-many, ``"visits.visit.present"``); ``kept_before`` holds the kept person's fields the
    merge filled (their values before; ``kept_after`` what it wrote, so an undo leaves alone a field
    someone edited since); ``merged_before`` the merged person's fields the merge
    changed (status, national_id...). Undo (``person_unmerge``) puts everything back."""

    kept = models.ForeignKey("people.Person", verbose_name=_("kept person"), on_delete=models.PROTECT,
                             related_name="+")
    merged = models.ForeignKey("people.Person", verbose_name=_("merged person"), on_delete=models.PROTECT,
                               related_name="+")
    actor = models.ForeignKey(USER, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    reason = models.CharField(_("reason"), max_length=300, blank=True)
    candidate = models.ForeignKey(MatchCandidate, null=True, blank=True, on_delete=models.SET_NULL,
                                  related_name="merges")
    automatic = models.BooleanField(_("merged automatically"), default=False)
    moved = models.JSONField(default=dict, blank=True)
    kept_before = models.JSONField(default=dict, blank=True)
    kept_after = models.JSONField(default=dict, blank=True)  # what the merge wrote there
    merged_before = models.JSONField(default=dict, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    undone_at = models.DateTimeField(_("undone at"), null=True, blank=True)
    undone_by = models.ForeignKey(USER, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")

    class Meta:
        verbose_name = _("merge")
        verbose_name_plural = _("merges")
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["kept"], name="mergeevent_kept"),
                   models.Index(fields=["merged"], name="mergeevent_merged")]

    def __str__(self) -> str:
        return f"{self.merged_id} → {self.kept_id}"


class RunStatus(models.TextChoices):
    PENDING = "pending", _("waiting")
    RUNNING = "running", _("running")
    DONE = "done", pgettext_lazy("linkage run status", "done")
    FAILED = "failed", _("failed")


class LinkageRun(models.Model):
    """One run of ``linkage_run`` started by an officer (button) or the command line. The
    background task updates ``phase``/``done``/``total`` through the progress callback; the page
    polls them. ``summary`` is the LinkSummary as a dict."""

    area = models.ForeignKey("areas.Area", on_delete=models.PROTECT, related_name="+",
                             help_text="the area of the officer who started the run")
    status = models.CharField(_("status"), max_length=10, choices=RunStatus.choices, default=RunStatus.PENDING)
    phase = models.CharField(max_length=40, blank=True)
    done = models.PositiveIntegerField(default=0)
    total = models.PositiveIntegerField(default=0)
    summary = models.JSONField(default=dict, blank=True)
    message = models.TextField(blank=True)  # why a failed run failed, in Thai
    task_id = models.CharField(max_length=64, blank=True)
    created_by = models.ForeignKey(USER, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("linkage run")
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return f"linkage run {self.pk} ({self.status})"

    @property
    def area_code(self) -> str:
        return str(self.area_id)

    @property
    def percent(self) -> int:
        return int(100 * self.done / self.total) if self.total else 0
