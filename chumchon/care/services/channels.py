"""Where a user wants their alerts (e-mail, LINE, webhook; the inbox is always on), and an area's
LINE group, set by an officer who manages the area (the Kalasin model's group chat)."""

from __future__ import annotations

import re
from typing import Any

from django.core.exceptions import ValidationError
from django.core.validators import URLValidator, validate_email
from django.db import transaction
from django.utils.translation import gettext as _

from chumchon.accounts.roles import Capability
from chumchon.accounts.scoping import require_area
from chumchon.areas.models import Area
from chumchon.care.models import AlertChannel, ChannelKind
from chumchon.core.audit import log_action

# A LINE user (U…), group (C…) or room (R…) id as the Messaging API gives it: a letter and 32 hex digits.
LINE_ID = re.compile(r"^[UCR][0-9a-f]{32}$")
FIELDS = {"email": ChannelKind.EMAIL, "line_id": ChannelKind.LINE, "webhook_url": ChannelKind.WEBHOOK}


def _clean(kind: str, value: str, field: str) -> str:
    value = (value or "").strip()
    if not value:
        return ""
    if len(value) > 500:
        raise ValidationError({field: _("Keep it under 500 characters.")})
    if kind == ChannelKind.EMAIL:
        try:
            validate_email(value)
        except ValidationError:
            raise ValidationError({field: _("Enter an e-mail address like name@example.com.")}) from None
    elif kind == ChannelKind.LINE:
        if not LINE_ID.match(value):
            raise ValidationError({field: _("A LINE id is U, C or R followed by 32 letters and digits "
                                            "(from the LINE bot), not a LINE name or phone number.")})
    else:
        try:
            URLValidator(schemes=["http", "https"])(value)
        except ValidationError:
            raise ValidationError({field: _("Enter a web address that starts with https:// or http://.")}) from None
    return value


def _apply(owner: dict[str, Any], kind: str, target: str) -> bool:
    """Create, change or remove one channel; True if something changed."""
    current = AlertChannel.objects.filter(kind=kind, **owner).first()
    if not target:
        if current is None:
            return False
        current.delete()
        return True
    if current is None:
        AlertChannel.objects.create(kind=kind, target=target, **owner)
        return True
    if current.target == target:
        return False
    current.target = target
    current.save(update_fields=["target", "updated_at"])
    return True


@transaction.atomic
def my_channels_set(*, actor: Any, email: str = "", line_id: str = "", webhook_url: str = "") -> dict[str, str]:
    """Replace the actor's channels: an empty value turns that channel off. Returns them cleaned."""
    if not getattr(actor, "is_authenticated", False):
        raise ValidationError({"user": _("Log in first.")})
    values = {"email": email, "line_id": line_id, "webhook_url": webhook_url}
    cleaned = {field: _clean(FIELDS[field], value, field) for field, value in values.items()}
    changed = [field for field, value in cleaned.items() if _apply({"user": actor}, FIELDS[field], value)]
    if changed:
        log_action(actor=actor, verb="alert_channels.update", obj=actor, area_code="",
                   data={"changed": changed, "on": [field for field, value in cleaned.items() if value]})
    return cleaned


@transaction.atomic
def area_channel_set(*, actor: Any, area_code: str, line_id: str = "") -> AlertChannel | None:
    """The LINE group that receives the alerts of an area (empty: none). Needs MANAGE_AREAS there."""
    require_area(actor, Capability.MANAGE_AREAS, area_code)
    area = Area.objects.filter(code=area_code).first()
    if area is None:
        raise ValidationError({"area_code": _("No such area.")})
    target = _clean(ChannelKind.LINE, line_id, "line_id")
    if _apply({"area": area}, ChannelKind.LINE, target):
        log_action(actor=actor, verb="alert_channels.area_update", obj=area, data={"line_group": bool(target)})
    return AlertChannel.objects.filter(area=area, kind=ChannelKind.LINE).first()
