"""People and households of a village, what rights and benefits they already have, and the
lawful basis under which Chumchon holds their data (PDPA)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from chumchon.core.review import ReviewStatus
from chumchon.core.thai import format_be, format_national_id, mask_national_id


class Household(models.Model):
    area = models.ForeignKey("areas.Area", verbose_name=_("village"), on_delete=models.PROTECT,
                             related_name="households")
    house_no = models.CharField(_("house number"), max_length=20, blank=True)
    soi = models.CharField(_("soi"), max_length=100, blank=True)
    road = models.CharField(_("road"), max_length=100, blank=True)
    # รหัสประจำบ้าน: 11 digits, the first 4 are the registration office.
    house_code = models.CharField(_("house code"), max_length=11, blank=True)
    place_name = models.CharField(_("building or village name"), max_length=150, blank=True)
    latitude = models.DecimalField(_("latitude"), max_digits=9, decimal_places=6, null=True, blank=True)
    longitude = models.DecimalField(_("longitude"), max_digits=9, decimal_places=6, null=True, blank=True)
    is_active = models.BooleanField(_("in use"), default=True)
    version = models.PositiveIntegerField(default=1)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("household")
        verbose_name_plural = _("households")
        constraints = [
            models.UniqueConstraint(
                fields=["area", "house_no"], condition=Q(is_active=True) & ~Q(house_no=""),
                name="household_unique_house_no_per_village",
            )
        ]

    def __str__(self) -> str:
        return self.address_line

    @property
    def area_code(self) -> str:
        return str(self.area_id)

    @property
    def address_line(self) -> str:
        parts = [f"บ้านเลขที่ {self.house_no}" if self.house_no else "ไม่มีเลขที่บ้าน"]
        if self.soi:
            parts.append(f"ซ.{self.soi}")
        if self.road:
            parts.append(f"ถ.{self.road}")
        return " ".join(parts)


class Sex(models.TextChoices):
    MALE = "male", _("male")
    FEMALE = "female", _("female")


class Relation(models.TextChoices):
    HEAD = "head", _("head of household")
    SPOUSE = "spouse", _("spouse")
    CHILD = "child", _("child")
    CHILD_IN_LAW = "child_in_law", _("son- or daughter-in-law")
    GRANDCHILD = "grandchild", _("grandchild")
    PARENT = "parent", _("parent")
    GRANDPARENT = "grandparent", _("grandparent")
    SIBLING = "sibling", _("brother or sister")
    RELATIVE = "relative", _("other relative")
    OTHER = "other", _("not related")


class NoIdReason(models.TextChoices):
    STATELESS = "stateless", _("stateless or without Thai nationality")
    NOT_REGISTERED = "not_registered", _("birth not registered")
    UNKNOWN = "unknown", _("not known yet")


class HealthCoverage(models.TextChoices):
    UCS = "ucs", _("universal coverage (gold card)")
    SOCIAL_SECURITY = "social_security", _("social security")
    CIVIL_SERVANT = "civil_servant", _("civil servant scheme")
    LOCAL_GOVERNMENT = "local_government", _("local government officer scheme")
    OTHER = "other", _("other")
    NONE = "none", _("none")
    UNKNOWN = "unknown", _("not known")


class DisabilityType(models.IntegerChoices):
    """The 7 types of the MSDHS notification B.E. 2555 (2012)."""

    VISUAL = 1, _("visual")
    HEARING = 2, _("hearing or communication")
    MOBILITY = 3, _("mobility or physical")
    MENTAL = 4, _("mental or behavioural")
    INTELLECTUAL = 5, _("intellectual")
    LEARNING = 6, _("learning")
    AUTISM = 7, _("autism")


class Allowance(models.TextChoices):
    ELDERLY = "elderly", _("elderly allowance")
    DISABILITY = "disability", _("disability allowance")
    CHILD_SUPPORT = "child_support", _("child support grant")
    OTHER = "other", _("other allowance")


class PersonStatus(models.TextChoices):
    ACTIVE = "active", _("lives here")
    MOVED_AWAY = "moved_away", _("moved away")
    DECEASED = "deceased", _("deceased")
    # Folded into another record of the same person by record linkage (see merged_into); hidden
    # from lists, search, counts and the duplicate check; can be undone (linkage.MergeEvent).
    MERGED = "merged", _("merged into another record")


class Person(models.Model):
    household = models.ForeignKey(Household, verbose_name=_("household"), null=True, blank=True,
                                  on_delete=models.PROTECT, related_name="members")
    # The person's current village; equal to the household's area when there is a household.
    area = models.ForeignKey("areas.Area", verbose_name=_("village"), on_delete=models.PROTECT,
                             related_name="persons")
    relation_to_head = models.CharField(_("relation to head"), max_length=20, choices=Relation.choices,
                                        blank=True)
    title = models.CharField(_("title"), max_length=40, blank=True)
    first_name = models.CharField(_("first name"), max_length=100)
    last_name = models.CharField(_("last name"), max_length=100, blank=True)
    nickname = models.CharField(_("nickname"), max_length=50, blank=True)
    sex = models.CharField(_("sex"), max_length=10, choices=Sex.choices, blank=True)
    birth_date = models.DateField(_("birth date"), null=True, blank=True)
    birth_year_only = models.BooleanField(_("only the birth year is known"), default=False)
    national_id = models.CharField(_("national ID"), max_length=13, null=True, blank=True)
    no_id_reason = models.CharField(_("why there is no national ID"), max_length=20,
                                    choices=NoIdReason.choices, blank=True)
    phone = models.CharField(_("phone"), max_length=20, blank=True)

    # What the person already has.
    has_id_card = models.BooleanField(_("has an ID card"), default=False)
    has_welfare_card = models.BooleanField(_("has a state welfare card"), default=False)
    has_disability_card = models.BooleanField(_("has a disability card"), default=False)
    disability_types = models.JSONField(_("disability types"), default=list, blank=True)
    health_coverage = models.CharField(_("health coverage"), max_length=20, choices=HealthCoverage.choices,
                                       default=HealthCoverage.UNKNOWN)
    allowances = models.JSONField(_("allowances received"), default=list, blank=True)

    # Vulnerability as recorded by a person; child and elder groups come from the birth date, and
    # is_disabled is also set whenever a disability card or type is recorded.
    is_disabled = models.BooleanField(_("disabled"), default=False)
    is_awaiting_rehab = models.BooleanField(_("patient awaiting rehabilitation"), default=False)
    is_bedbound = models.BooleanField(_("bed-bound"), default=False)
    is_poor = models.BooleanField(_("poor household member"), default=False)

    status = models.CharField(_("status"), max_length=12, choices=PersonStatus.choices,
                              default=PersonStatus.ACTIVE)
    merged_into = models.ForeignKey("self", verbose_name=_("merged into"), null=True, blank=True,
                                    on_delete=models.PROTECT, related_name="merged_records")
    # Derived on save by the service: Thai dictionary order and the text the search box reads.
    review_status = models.CharField(_("verification"), max_length=12, choices=ReviewStatus.choices,
                                     default=ReviewStatus.SUBMITTED)
    registered_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("registered by"), null=True,
                                      blank=True, on_delete=models.SET_NULL, related_name="+")
    sort_key = models.CharField(max_length=220, db_index=True, editable=False, default="")
    search_text = models.CharField(max_length=400, editable=False, default="")
    # Duplicate check at entry (people.matchkeys): "<tambon>|<birth year>|<sound of the Thai-normalised
    # first name>" and the same with the last name; empty when the birth year or name is unknown.
    dup_key_first = models.CharField(max_length=40, editable=False, default="", db_index=True)
    dup_key_last = models.CharField(max_length=40, editable=False, default="", db_index=True)
    version = models.PositiveIntegerField(default=1)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("person")
        verbose_name_plural = _("people")
        constraints = [
            models.UniqueConstraint(fields=["national_id"], condition=Q(national_id__isnull=False),
                                    name="person_unique_national_id"),
        ]
        indexes = [models.Index(fields=["area", "sort_key"], name="person_area_sort")]

    def __str__(self) -> str:
        return self.full_name

    @property
    def area_code(self) -> str:
        return str(self.area_id)

    @property
    def full_name(self) -> str:
        return f"{self.title}{self.first_name} {self.last_name}".strip()

    @property
    def masked_id(self) -> str:
        return mask_national_id(self.national_id or "")

    @property
    def formatted_id(self) -> str:
        return format_national_id(self.national_id or "")

    @property
    def birth_date_be(self) -> str:
        return format_be(self.birth_date, year_only=self.birth_year_only)


class PersonMove(models.Model):
    """A person moving between households or villages; the history is never rewritten."""

    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="moves")
    moved_on = models.DateField(_("moved on"))
    from_household = models.ForeignKey(Household, null=True, blank=True, on_delete=models.SET_NULL,
                                       related_name="+")
    to_household = models.ForeignKey(Household, null=True, blank=True, on_delete=models.SET_NULL,
                                     related_name="+")
    from_area = models.ForeignKey("areas.Area", null=True, on_delete=models.PROTECT, related_name="+")
    to_area = models.ForeignKey("areas.Area", null=True, on_delete=models.PROTECT, related_name="+")
    from_relation = models.CharField(max_length=20, blank=True)
    to_relation = models.CharField(max_length=20, blank=True)
    note = models.CharField(_("note"), max_length=300, blank=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL,
                                    related_name="+")
    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-moved_on", "-id"]
        verbose_name = _("move")
        verbose_name_plural = _("moves")

    def __str__(self) -> str:
        return f"{self.person_id}: {self.from_area_id} → {self.to_area_id} ({self.moved_on})"


class LawfulBasis(models.TextChoices):
    CONSENT = "consent", _("explicit consent (PDPA s.19, s.26)")
    PUBLIC_TASK = "public_task", _("public task of the local government (s.24(4))")
    SOCIAL_PROTECTION = "social_protection", _("health or social care under law (s.26(5))")
    VITAL_INTEREST = "vital_interest", _("preventing danger to life (s.24(2), s.26(1))")
    LEGAL_OBLIGATION = "legal_obligation", _("legal obligation (s.24(6))")
    RESEARCH = "research", _("research or statistics with safeguards (s.24(1))")


class GivenBy(models.TextChoices):
    SELF = "self", _("the person")
    PARENT = "parent", _("parent (minor)")
    GUARDIAN = "guardian", _("guardian")
    CURATOR = "curator", _("curator")
    NOT_APPLICABLE = "n/a", _("not applicable")


class DataBasis(models.Model):
    """The lawful basis or consent under which a person's data is held, with who recorded it."""

    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="data_bases")
    basis = models.CharField(_("lawful basis"), max_length=20, choices=LawfulBasis.choices)
    purposes = models.CharField(_("purposes"), max_length=300)
    notice_version = models.CharField(_("privacy notice version"), max_length=20, blank=True)
    given_by = models.CharField(_("given by"), max_length=10, choices=GivenBy.choices,
                                default=GivenBy.NOT_APPLICABLE)
    given_on = models.DateField(_("date"))
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL,
                                    related_name="+")
    recorded_at = models.DateTimeField(auto_now_add=True)
    withdrawn_on = models.DateField(_("withdrawn on"), null=True, blank=True)

    class Meta:
        ordering = ["-given_on", "-id"]
        verbose_name = _("lawful basis record")
        verbose_name_plural = _("lawful basis records")

    def __str__(self) -> str:
        return f"{self.person_id}: {self.basis} {self.given_on}"

    @property
    def area_code(self) -> str:
        return str(self.person.area_id)
