"""Home visits, assessments under versioned instruments, photos, verification history and
village forums. Every row with personal data carries the area it belongs to (scoping)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from chumchon.core.review import ReviewStatus

USER = settings.AUTH_USER_MODEL


class InstrumentFile(models.Model):
    """A custom instrument an administrator added from a JSON or YAML file. Shipped instruments
    live in chumchon/visits/instruments/definitions/ and are not stored here."""

    code = models.SlugField(_("code"), max_length=60)
    version = models.PositiveIntegerField(_("version"))
    title = models.CharField(_("title"), max_length=200)
    source = models.TextField(_("definition file"))
    source_format = models.CharField(max_length=4, choices=[("json", "JSON"), ("yaml", "YAML")])
    uploaded_by = models.ForeignKey(USER, null=True, on_delete=models.SET_NULL, related_name="+")
    uploaded_at = models.DateTimeField(auto_now_add=True)
    is_active = models.BooleanField(_("in use"), default=True)

    class Meta:
        verbose_name = _("custom instrument")
        constraints = [models.UniqueConstraint(fields=["code", "version"], name="instrumentfile_code_version")]

    def __str__(self) -> str:
        return f"{self.code} v{self.version}"


class VisitPurpose(models.TextChoices):
    COLLECT = "collect", _("data collection")
    VERIFY = "verify", _("verification visit")
    FOLLOW_UP = "follow_up", _("follow-up")


class Visit(models.Model):
    household = models.ForeignKey("people.Household", verbose_name=_("household"), null=True, blank=True,
                                  on_delete=models.PROTECT, related_name="visits")
    area = models.ForeignKey("areas.Area", verbose_name=_("village"), on_delete=models.PROTECT, related_name="+")
    visited_on = models.DateField(_("visit date"))
    purpose = models.CharField(_("purpose"), max_length=12, choices=VisitPurpose.choices,
                               default=VisitPurpose.COLLECT)
    collector = models.ForeignKey(USER, verbose_name=_("visited by"), null=True, on_delete=models.SET_NULL,
                                  related_name="+")
    present = models.ManyToManyField("people.Person", verbose_name=_("present"), blank=True,
                                     related_name="visits_present")
    latitude = models.DecimalField(_("latitude"), max_digits=9, decimal_places=6, null=True, blank=True)
    longitude = models.DecimalField(_("longitude"), max_digits=9, decimal_places=6, null=True, blank=True)
    gps_accuracy_m = models.FloatField(_("GPS accuracy (m)"), null=True, blank=True)
    note = models.TextField(_("note"), blank=True)
    # The phone makes this id when a draft starts: a retried submit of the same draft saves once.
    client_key = models.CharField(max_length=40, null=True, blank=True, unique=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("visit")
        indexes = [models.Index(fields=["area", "visited_on"], name="visit_area_date")]

    def __str__(self) -> str:
        return f"{self.area_id} {self.visited_on}"

    @property
    def area_code(self) -> str:
        return str(self.area_id)


class Assessment(models.Model):
    person = models.ForeignKey("people.Person", verbose_name=_("person"), null=True, blank=True,
                               on_delete=models.PROTECT, related_name="assessments")
    household = models.ForeignKey("people.Household", verbose_name=_("household"), null=True, blank=True,
                                  on_delete=models.PROTECT, related_name="assessments")
    area = models.ForeignKey("areas.Area", verbose_name=_("village"), on_delete=models.PROTECT, related_name="+")
    visit = models.ForeignKey(Visit, null=True, blank=True, on_delete=models.PROTECT, related_name="assessments")
    instrument_code = models.CharField(_("instrument"), max_length=60)
    instrument_version = models.PositiveIntegerField(_("instrument version"))
    assessed_on = models.DateField(_("assessed on"))
    answers = models.JSONField(_("answers"), default=dict)
    score = models.DecimalField(_("score"), max_digits=8, decimal_places=2, null=True, blank=True)
    classification = models.CharField(_("result"), max_length=40, blank=True)
    result = models.JSONField(default=dict, blank=True)  # computed details: domain results, z-scores, bands
    flags = models.JSONField(default=list, blank=True)  # flag codes raised by the instrument's rules
    due_on = models.DateField(_("due again on"), null=True, blank=True)
    collector = models.ForeignKey(USER, verbose_name=_("assessed by"), null=True, on_delete=models.SET_NULL,
                                  related_name="+")
    review_status = models.CharField(_("verification"), max_length=12, choices=ReviewStatus.choices,
                                     default=ReviewStatus.SUBMITTED)
    client_key = models.CharField(max_length=40, null=True, blank=True, unique=True)
    version = models.PositiveIntegerField(default=1)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("assessment")
        indexes = [
            models.Index(fields=["person", "instrument_code", "assessed_on"], name="assessment_person_instr"),
            models.Index(fields=["area", "instrument_code", "classification"], name="assessment_area_class"),
        ]
        constraints = [
            models.CheckConstraint(condition=models.Q(person__isnull=False) | models.Q(household__isnull=False),
                                   name="assessment_has_subject"),
        ]

    def __str__(self) -> str:
        return f"{self.instrument_code} {self.assessed_on}"

    @property
    def area_code(self) -> str:
        return str(self.area_id)


class CurrentStatus(models.Model):
    """The latest assessment per person (or household) and instrument: what lists filter by and
    what the follow-up schedule reads. Kept by the assessment service, never written elsewhere."""

    person = models.ForeignKey("people.Person", null=True, blank=True, on_delete=models.CASCADE,
                               related_name="current_statuses")
    household = models.ForeignKey("people.Household", null=True, blank=True, on_delete=models.CASCADE,
                                  related_name="current_statuses")
    area = models.ForeignKey("areas.Area", on_delete=models.PROTECT, related_name="+")
    instrument_code = models.CharField(max_length=60)
    assessment = models.ForeignKey(Assessment, on_delete=models.CASCADE, related_name="+")
    classification = models.CharField(max_length=40, blank=True)
    score = models.DecimalField(max_digits=8, decimal_places=2, null=True, blank=True)
    flags = models.JSONField(default=list, blank=True)
    assessed_on = models.DateField()
    due_on = models.DateField(null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["person", "instrument_code"], condition=models.Q(person__isnull=False),
                                    name="currentstatus_person_instr"),
            models.UniqueConstraint(fields=["household", "instrument_code"],
                                    condition=models.Q(household__isnull=False), name="currentstatus_household_instr"),
        ]
        indexes = [
            models.Index(fields=["area", "instrument_code", "classification"], name="currentstatus_area_class"),
            models.Index(fields=["area", "due_on"], name="currentstatus_area_due"),
        ]

    def __str__(self) -> str:
        return f"{self.instrument_code}: {self.classification}"

    @property
    def area_code(self) -> str:
        return str(self.area_id)


class PhotoPurpose(models.TextChoices):
    ANSWER = "answer", _("answer to a question")
    VISIT = "visit", _("visit photo")
    EVIDENCE = "evidence", _("verification evidence")


class Photo(models.Model):
    """A photo kept under PRIVATE_FILES_ROOT and served only by the scoped photo view."""

    area = models.ForeignKey("areas.Area", on_delete=models.PROTECT, related_name="+")
    visit = models.ForeignKey(Visit, null=True, blank=True, on_delete=models.CASCADE, related_name="photos")
    assessment = models.ForeignKey(Assessment, null=True, blank=True, on_delete=models.CASCADE,
                                   related_name="photos")
    person = models.ForeignKey("people.Person", null=True, blank=True, on_delete=models.CASCADE,
                               related_name="photos")
    purpose = models.CharField(max_length=10, choices=PhotoPurpose.choices, default=PhotoPurpose.VISIT)
    item_code = models.CharField(max_length=60, blank=True)  # the instrument item a photo answers
    path = models.CharField(max_length=200)  # relative to PRIVATE_FILES_ROOT
    content_type = models.CharField(max_length=40)
    width = models.PositiveIntegerField()
    height = models.PositiveIntegerField()
    size_bytes = models.PositiveIntegerField()
    uploaded_by = models.ForeignKey(USER, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("photo")

    def __str__(self) -> str:
        return f"photo {self.pk}"

    @property
    def area_code(self) -> str:
        return str(self.area_id)


class Review(models.Model):
    """One move of a record through the verification states, with who, why and the evidence."""

    person = models.ForeignKey("people.Person", null=True, blank=True, on_delete=models.CASCADE,
                               related_name="reviews")
    assessment = models.ForeignKey(Assessment, null=True, blank=True, on_delete=models.CASCADE,
                                   related_name="reviews")
    area = models.ForeignKey("areas.Area", on_delete=models.PROTECT, related_name="+")
    from_status = models.CharField(max_length=12, choices=ReviewStatus.choices)
    to_status = models.CharField(max_length=12, choices=ReviewStatus.choices)
    reason = models.TextField(_("reason"), blank=True)
    visit = models.ForeignKey(Visit, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    photo = models.ForeignKey(Photo, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    forum = models.ForeignKey("visits.Forum", null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    actor = models.ForeignKey(USER, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created_at", "pk"]

    def __str__(self) -> str:
        return f"{self.from_status} → {self.to_status}"

    @property
    def area_code(self) -> str:
        return str(self.area_id)


class Forum(models.Model):
    """A village forum (เวทีประชาคม) where the community checks the list of its people."""

    area = models.ForeignKey("areas.Area", verbose_name=_("village"), on_delete=models.PROTECT, related_name="+")
    held_on = models.DateField(_("date"))
    place = models.CharField(_("place"), max_length=200, blank=True)
    attendees = models.JSONField(_("attendees"), default=list, blank=True)  # [{"name": ..., "role": ...}]
    note = models.TextField(_("note"), blank=True)
    is_closed = models.BooleanField(_("closed"), default=False)
    created_by = models.ForeignKey(USER, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("village forum")
        ordering = ["-held_on", "-pk"]

    def __str__(self) -> str:
        return f"{self.area_id} {self.held_on}"

    @property
    def area_code(self) -> str:
        return str(self.area_id)


class ForumOutcome(models.TextChoices):
    CONFIRMED = "confirmed", _("confirmed")
    CORRECTED = "corrected", _("corrected")
    DISPUTED = "disputed", _("disputed")
    ADDED = "added", _("newly added")


class ForumEntry(models.Model):
    forum = models.ForeignKey(Forum, on_delete=models.CASCADE, related_name="entries")
    person = models.ForeignKey("people.Person", on_delete=models.CASCADE, related_name="forum_entries")
    outcome = models.CharField(_("outcome"), max_length=10, choices=ForumOutcome.choices)
    reason = models.TextField(_("reason"), blank=True)
    recorded_by = models.ForeignKey(USER, null=True, on_delete=models.SET_NULL, related_name="+")
    recorded_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["forum", "person"], name="forumentry_forum_person")]

    def __str__(self) -> str:
        return f"{self.forum_id}: {self.person_id} {self.outcome}"
