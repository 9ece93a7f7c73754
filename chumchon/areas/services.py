"""Villages (หมู่ที่) and municipal communities, created by an officer of their tambon."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from chumchon.accounts.roles import Capability
from chumchon.accounts.scoping import require_area
from chumchon.areas.models import Area, AreaLevel
from chumchon.core.audit import diff, log_action, snapshot
from chumchon.core.thai import normalize_text, to_ascii_digits

MANAGE = Capability.MANAGE_AREAS


def _tambon(*, actor: Any, tambon_code: str) -> Area:
    tambon = Area.objects.filter(code=str(tambon_code), level=AreaLevel.SUBDISTRICT).first()
    if tambon is None:
        raise ValidationError({"tambon_code": _("No subdistrict has the code “%(code)s”.") % {"code": tambon_code}})
    require_area(actor, MANAGE, tambon.code)
    if not tambon.is_active:
        successors = ", ".join(tambon.successors) or "-"
        raise ValidationError({"tambon_code": _("Subdistrict %(code)s was abolished; use the new code: %(successors)s")
                               % {"code": tambon.code, "successors": successors}})
    return tambon


def _number(value: Any, field: str, high: int) -> int:
    try:
        number = int(to_ascii_digits(str(value)).strip())
    except ValueError:
        raise ValidationError({field: _("Must be a number.")}) from None
    if not 1 <= number <= high:
        raise ValidationError({field: _("Must be between 1 and %(high)s.") % {"high": high}})
    return number


def _name(value: str) -> str:
    name = normalize_text(value)
    if len(name) > 120:
        raise ValidationError({"name_th": _("The name is longer than 120 characters.")})
    return name


@transaction.atomic
def village_create(*, actor: Any, tambon_code: str, moo: Any, name_th: str = "", name_en: str = "") -> Area:
    """หมู่ที่ N of a tambon: code = tambon code + 2-digit moo."""
    tambon = _tambon(actor=actor, tambon_code=tambon_code)
    number = _number(moo, "moo", 99)
    code = f"{tambon.code}{number:02d}"
    if Area.objects.filter(code=code).exists():
        raise ValidationError({"moo": _("Moo %(number)s of %(tambon)s already exists.")
                               % {"number": number, "tambon": tambon.label}})
    village = Area(code=code, level=AreaLevel.VILLAGE, parent=tambon, number=number, official_code=code,
                   name_th=_name(name_th), name_en=normalize_text(name_en)[:120],
                   postcodes=tambon.postcodes)
    try:
        with transaction.atomic():
            village.save(force_insert=True)
    except IntegrityError:
        raise ValidationError({"moo": _("Moo %(number)s already exists.") % {"number": number}}) from None
    log_action(actor=actor, verb="area.village_create", obj=village,
               data={"after": snapshot(village, ["parent", "number", "name_th", "name_en"])})
    return village


@transaction.atomic
def community_create(*, actor: Any, tambon_code: str, number: Any, name_th: str, official_code: str = "",
                     name_en: str = "") -> Area:
    """A municipal community (ชุมชน) of a tambon; its municipal code is kept as ``official_code``."""
    tambon = _tambon(actor=actor, tambon_code=tambon_code)
    count = _number(number, "number", 999)
    name = _name(name_th)
    if not name:
        raise ValidationError({"name_th": _("Please enter the community name.")})
    official = to_ascii_digits(official_code).strip()
    if official and (not official.isdigit() or len(official) != 8):
        raise ValidationError({"official_code": _("A community code is 8 digits.")})
    code = f"{tambon.code}C{count:03d}"
    if Area.objects.filter(code=code).exists():
        raise ValidationError({"number": _("Community %(number)s of %(tambon)s already exists.")
                               % {"number": count, "tambon": tambon.label}})
    community = Area(code=code, level=AreaLevel.COMMUNITY, parent=tambon, number=count, name_th=name,
                     name_en=normalize_text(name_en)[:120], official_code=official,
                     postcodes=tambon.postcodes)
    community.save(force_insert=True)
    log_action(actor=actor, verb="area.community_create", obj=community,
               data={"after": snapshot(community, ["parent", "number", "name_th", "official_code"])})
    return community


@transaction.atomic
def local_area_update(*, actor: Any, area: Area, name_th: str | None = None, name_en: str | None = None,
                      is_active: bool | None = None) -> Area:
    if area.level not in (AreaLevel.VILLAGE, AreaLevel.COMMUNITY):
        raise ValidationError({"code": _("Only villages and communities can be edited.")})
    require_area(actor, MANAGE, area.code)
    before = snapshot(area, ["name_th", "name_en", "is_active"])
    if name_th is not None:
        area.name_th = _name(name_th)
    if name_en is not None:
        area.name_en = normalize_text(name_en)[:120]
    if is_active is not None:
        area.is_active = is_active
    area.save()
    log_action(actor=actor, verb="area.update", obj=area,
               data={"changes": diff(before, snapshot(area, ["name_th", "name_en", "is_active"]))})
    return area
