"""Who does what for whom, where: organisations, their services, relations between them,
committees and their meetings, child development centres — and the shared vocabularies (target
groups, kinds of support) that let a need found at a visit be matched to a service."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

USER = settings.AUTH_USER_MODEL


class Vocabulary(models.TextChoices):
    ORG_KIND = "org_kind", _("kind of organisation")
    TARGET_GROUP = "target_group", _("target group")
    SUPPORT_KIND = "support_kind", _("kind of support")


class Term(models.Model):
    """One word of a shared vocabulary. Shipped terms come from a data migration; an administrator
    may add more (they are data, not code)."""

    vocabulary = models.CharField(_("vocabulary"), max_length=20, choices=Vocabulary.choices)
    code = models.SlugField(_("code"), max_length=40)
    label_th = models.CharField(_("Thai label"), max_length=120)
    label_en = models.CharField(_("English label"), max_length=120, blank=True)
    sort = models.PositiveSmallIntegerField(default=100)
    is_active = models.BooleanField(_("in use"), default=True)

    class Meta:
        verbose_name = _("vocabulary term")
        ordering = ["vocabulary", "sort", "code"]
        constraints = [models.UniqueConstraint(fields=["vocabulary", "code"], name="term_vocabulary_code")]

    def __str__(self) -> str:
        return self.label

    @property
    def label(self) -> str:
        from django.utils.translation import get_language

        return self.label_en if (get_language() or "th").startswith("en") and self.label_en else self.label_th


class NeedRule(models.Model):
    """What an assessment result calls for: a person whose current result under ``instrument_code``
    has ``result_code`` (a classification or a flag) needs ``support_kind``. The target group comes
    from the person (child, elder, disabled…), or from ``target_group`` when set."""

    instrument_code = models.CharField(max_length=60)
    result_code = models.CharField(max_length=60)
    support_kind = models.ForeignKey(Term, on_delete=models.PROTECT, related_name="+",
                                     limit_choices_to={"vocabulary": Vocabulary.SUPPORT_KIND})
    target_group = models.ForeignKey(Term, null=True, blank=True, on_delete=models.PROTECT, related_name="+",
                                     limit_choices_to={"vocabulary": Vocabulary.TARGET_GROUP})

    class Meta:
        constraints = [models.UniqueConstraint(fields=["instrument_code", "result_code", "support_kind"],
                                               name="needrule_unique")]

    def __str__(self) -> str:
        return f"{self.instrument_code}:{self.result_code} → {self.support_kind_id}"


class Organisation(models.Model):
    name = models.CharField(_("name"), max_length=200)
    kind = models.ForeignKey(Term, verbose_name=_("kind"), on_delete=models.PROTECT, related_name="+",
                             limit_choices_to={"vocabulary": Vocabulary.ORG_KIND})
    parent = models.ForeignKey("self", verbose_name=_("parent organisation"), null=True, blank=True,
                               on_delete=models.SET_NULL, related_name="children")
    # Where the organisation is registered (its home): scoping reads and writes go by this code.
    area = models.ForeignKey("areas.Area", verbose_name=_("registered in"), on_delete=models.PROTECT,
                             related_name="+")
    areas = models.ManyToManyField("areas.Area", verbose_name=_("areas covered"), blank=True, related_name="+")
    description = models.TextField(_("description"), blank=True)
    address = models.CharField(_("address"), max_length=300, blank=True)
    phone = models.CharField(_("phone"), max_length=40, blank=True)
    email = models.EmailField(_("e-mail"), blank=True)
    website = models.URLField(_("website"), blank=True)
    contacts = models.JSONField(_("contacts"), default=list, blank=True)  # [{name, role, phone, email}]
    latitude = models.DecimalField(_("latitude"), max_digits=9, decimal_places=6, null=True, blank=True)
    longitude = models.DecimalField(_("longitude"), max_digits=9, decimal_places=6, null=True, blank=True)
    external_id = models.CharField(max_length=100, blank=True)  # id in an imported directory (HSDS)
    is_active = models.BooleanField(_("in use"), default=True)
    version = models.PositiveIntegerField(default=1)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("organisation")
        ordering = ["name", "pk"]
        indexes = [models.Index(fields=["area", "name"], name="organisation_area_name")]

    def __str__(self) -> str:
        return self.name

    @property
    def area_code(self) -> str:
        return str(self.area_id)


class OrganisationStaff(models.Model):
    """A user who works for an organisation (agency staff see what is referred to it)."""

    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="staff")
    user = models.ForeignKey(USER, on_delete=models.CASCADE, related_name="organisations")
    position = models.CharField(_("position"), max_length=120, blank=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["organisation", "user"], name="orgstaff_org_user")]

    def __str__(self) -> str:
        return f"{self.user_id} @ {self.organisation_id}"


class Service(models.Model):
    organisation = models.ForeignKey(Organisation, verbose_name=_("organisation"), on_delete=models.CASCADE,
                                     related_name="services")
    name = models.CharField(_("name"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    target_groups = models.ManyToManyField(Term, verbose_name=_("target groups"), related_name="+",
                                           limit_choices_to={"vocabulary": Vocabulary.TARGET_GROUP})
    support_kinds = models.ManyToManyField(Term, verbose_name=_("kinds of support"), related_name="+",
                                           limit_choices_to={"vocabulary": Vocabulary.SUPPORT_KIND})
    areas = models.ManyToManyField("areas.Area", verbose_name=_("areas served"), related_name="+")
    eligibility = models.TextField(_("who is eligible"), blank=True)
    capacity = models.PositiveIntegerField(_("capacity (people per year)"), null=True, blank=True)
    external_id = models.CharField(max_length=100, blank=True)
    is_active = models.BooleanField(_("in use"), default=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("service")
        ordering = ["organisation", "name", "pk"]

    def __str__(self) -> str:
        return self.name

    @property
    def area_code(self) -> str:
        return str(self.organisation.area_id)


class RelationKind(models.TextChoices):
    SUPPORTS = "supports", _("supports")
    FUNDS = "funds", _("funds")
    COORDINATES = "coordinates", _("coordinates with")
    REPORTS_TO = "reports_to", _("reports to")
    MEMBER_OF = "member_of", _("member of")


class Relation(models.Model):
    source = models.ForeignKey(Organisation, verbose_name=_("from"), on_delete=models.CASCADE,
                               related_name="relations_out")
    target = models.ForeignKey(Organisation, verbose_name=_("to"), on_delete=models.CASCADE,
                               related_name="relations_in")
    kind = models.CharField(_("relation"), max_length=12, choices=RelationKind.choices)
    note = models.TextField(_("note"), blank=True)
    started_on = models.DateField(_("from date"), null=True, blank=True)
    ended_on = models.DateField(_("until"), null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("relation")
        constraints = [
            models.CheckConstraint(condition=~models.Q(source=models.F("target")), name="relation_not_self"),
            models.UniqueConstraint(fields=["source", "target", "kind"], name="relation_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.source_id} {self.kind} {self.target_id}"


class Committee(models.Model):
    """A committee or team: a tambon working group, a provincial support team…"""

    name = models.CharField(_("name"), max_length=200)
    area = models.ForeignKey("areas.Area", verbose_name=_("area"), on_delete=models.PROTECT, related_name="+")
    organisation = models.ForeignKey(Organisation, verbose_name=_("organisation"), null=True, blank=True,
                                     on_delete=models.SET_NULL, related_name="committees")
    purpose = models.TextField(_("purpose"), blank=True)
    is_active = models.BooleanField(_("in use"), default=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("committee")
        ordering = ["name", "pk"]

    def __str__(self) -> str:
        return self.name

    @property
    def area_code(self) -> str:
        return str(self.area_id)


class CommitteeMember(models.Model):
    committee = models.ForeignKey(Committee, on_delete=models.CASCADE, related_name="members")
    name = models.CharField(_("name"), max_length=200)
    user = models.ForeignKey(USER, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    organisation = models.ForeignKey(Organisation, null=True, blank=True, on_delete=models.SET_NULL,
                                     related_name="+")
    role = models.CharField(_("role"), max_length=120, blank=True)
    joined_on = models.DateField(_("joined on"), null=True, blank=True)
    left_on = models.DateField(_("left on"), null=True, blank=True)

    class Meta:
        ordering = ["committee", "pk"]

    def __str__(self) -> str:
        return self.name


class Meeting(models.Model):
    committee = models.ForeignKey(Committee, on_delete=models.CASCADE, related_name="meetings")
    held_on = models.DateField(_("date"))
    place = models.CharField(_("place"), max_length=200, blank=True)
    agenda = models.TextField(_("agenda"), blank=True)
    decisions = models.TextField(_("decisions"), blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-held_on", "-pk"]

    def __str__(self) -> str:
        return f"{self.committee_id} {self.held_on}"


class Attendance(models.Model):
    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="attendance")
    member = models.ForeignKey(CommitteeMember, on_delete=models.CASCADE, related_name="attendance")
    present = models.BooleanField(_("present"), default=True)
    note = models.CharField(_("note"), max_length=200, blank=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["meeting", "member"], name="attendance_meeting_member")]

    def __str__(self) -> str:
        return f"{self.member_id} {'present' if self.present else 'absent'}"


class ChildCentre(models.Model):
    """A child development centre (ศูนย์พัฒนาเด็กเล็ก): an organisation of that kind, with its
    owning local government, caregivers, enrolled children and the support it received."""

    organisation = models.OneToOneField(Organisation, on_delete=models.CASCADE, related_name="centre")
    owner = models.ForeignKey(Organisation, verbose_name=_("owning local government"), null=True, blank=True,
                              on_delete=models.SET_NULL, related_name="owned_centres")
    capacity = models.PositiveIntegerField(_("places"), null=True, blank=True)

    def __str__(self) -> str:
        return self.organisation.name

    @property
    def area_code(self) -> str:
        return str(self.organisation.area_id)


class CentreCaregiver(models.Model):
    centre = models.ForeignKey(ChildCentre, on_delete=models.CASCADE, related_name="caregivers")
    name = models.CharField(_("name"), max_length=200)
    position = models.CharField(_("position"), max_length=120, blank=True)
    user = models.ForeignKey(USER, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    started_on = models.DateField(_("started on"), null=True, blank=True)

    def __str__(self) -> str:
        return self.name


class Training(models.Model):
    caregiver = models.ForeignKey(CentreCaregiver, on_delete=models.CASCADE, related_name="trainings")
    course = models.CharField(_("course"), max_length=200)
    provider = models.CharField(_("given by"), max_length=200, blank=True)
    completed_on = models.DateField(_("completed on"))
    hours = models.PositiveIntegerField(_("hours"), null=True, blank=True)

    class Meta:
        ordering = ["-completed_on", "pk"]

    def __str__(self) -> str:
        return self.course


class Enrolment(models.Model):
    centre = models.ForeignKey(ChildCentre, on_delete=models.CASCADE, related_name="enrolments")
    person = models.ForeignKey("people.Person", on_delete=models.CASCADE, related_name="centre_enrolments")
    enrolled_on = models.DateField(_("enrolled on"))
    left_on = models.DateField(_("left on"), null=True, blank=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["centre", "person", "enrolled_on"], name="enrolment_unique")]

    def __str__(self) -> str:
        return f"{self.person_id} @ {self.centre_id}"


class SupportReceived(models.Model):
    centre = models.ForeignKey(ChildCentre, on_delete=models.CASCADE, related_name="support")
    giver = models.ForeignKey(Organisation, verbose_name=_("given by"), null=True, blank=True,
                              on_delete=models.SET_NULL, related_name="+")
    giver_name = models.CharField(_("given by (name)"), max_length=200, blank=True)
    kind = models.ForeignKey(Term, verbose_name=_("kind of support"), on_delete=models.PROTECT, related_name="+",
                             limit_choices_to={"vocabulary": Vocabulary.SUPPORT_KIND})
    description = models.CharField(_("what"), max_length=300)
    received_on = models.DateField(_("received on"))
    value_baht = models.DecimalField(_("worth (baht)"), max_digits=12, decimal_places=2, null=True, blank=True)

    class Meta:
        ordering = ["-received_on", "pk"]

    def __str__(self) -> str:
        return self.description


class CentreAssessment(models.Model):
    """A quality assessment of a centre under an instrument (subject "centre")."""

    centre = models.ForeignKey(ChildCentre, on_delete=models.CASCADE, related_name="assessments")
    instrument_code = models.CharField(max_length=60)
    instrument_version = models.PositiveIntegerField()
    assessed_on = models.DateField(_("assessed on"))
    answers = models.JSONField(default=dict)
    score = models.DecimalField(max_digits=8, decimal_places=2, null=True, blank=True)
    classification = models.CharField(max_length=40, blank=True)
    result = models.JSONField(default=dict, blank=True)
    assessor = models.ForeignKey(USER, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-assessed_on", "-pk"]

    def __str__(self) -> str:
        return f"{self.instrument_code} {self.assessed_on}"
