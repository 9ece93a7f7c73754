"""The Thai area tree: province › district › subdistrict › village (หมู่ที่) or municipal community.

The primary key is the hierarchical code, so "everything within tambon 931104" is
``area_id LIKE '931104%'`` on an indexed column of any table that points at an area.

- province ``CC``, district ``CCAA``, subdistrict ``CCAATT`` (DOPA codes, from geothai);
- village ``CCAATTMM`` (tambon code + 2-digit moo number, the official 8-digit code);
- municipal community ``CCAATTCNNN`` (tambon code + ``C`` + its number). Its municipal code
  (e.g. ``50990063``) does not nest under the tambon, so it is kept in ``official_code``.
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class AreaLevel(models.TextChoices):
    PROVINCE = "province", _("province")
    DISTRICT = "district", _("district")
    SUBDISTRICT = "subdistrict", _("subdistrict")
    VILLAGE = "village", _("village")
    COMMUNITY = "community", _("community")


LOCAL_LEVELS = (AreaLevel.VILLAGE, AreaLevel.COMMUNITY)


class Area(models.Model):
    code = models.CharField(_("code"), max_length=12, primary_key=True)
    level = models.CharField(_("level"), max_length=12, choices=AreaLevel.choices, db_index=True)
    parent = models.ForeignKey(
        "self", verbose_name=_("parent area"), null=True, blank=True,
        on_delete=models.PROTECT, related_name="children",
    )
    name_th = models.CharField(_("Thai name"), max_length=120)
    name_en = models.CharField(_("English name"), max_length=120, blank=True)
    # Village: the moo number; community: its number within the tambon.
    number = models.PositiveSmallIntegerField(_("number"), null=True, blank=True)
    official_code = models.CharField(_("official code"), max_length=12, blank=True)
    postcodes = models.CharField(_("postcodes"), max_length=60, blank=True)
    is_active = models.BooleanField(_("in use"), default=True)
    # For abolished DOPA codes: the codes that took their place.
    successors = models.JSONField(_("successor codes"), default=list, blank=True)
    abolished_on = models.DateField(_("abolished on"), null=True, blank=True)

    class Meta:
        ordering = ["code"]
        verbose_name = _("area")
        verbose_name_plural = _("areas")

    def __str__(self) -> str:
        return self.label

    @property
    def area_code(self) -> str:
        return self.code

    @property
    def label(self) -> str:
        if self.level == AreaLevel.VILLAGE:
            return f"หมู่ {self.number} {self.name_th}".strip()
        if self.level == AreaLevel.COMMUNITY:
            return f"ชุมชน{self.name_th}"
        prefix = {
            AreaLevel.PROVINCE: "" if self.code == "10" else "จ.",
            AreaLevel.DISTRICT: "" if self.code.startswith("10") else "อ.",
            AreaLevel.SUBDISTRICT: "แขวง" if self.code.startswith("10") else "ต.",
        }.get(AreaLevel(self.level), "")
        return f"{prefix}{self.name_th}"

    @property
    def tambon_code(self) -> str:
        return self.code[:6]
