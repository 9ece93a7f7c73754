"""``log_action``: every service calls it for every write; views call it for sensitive reads."""

from __future__ import annotations

import datetime
import decimal
from typing import Any

from django.db import models

from chumchon.core.models import AuditEntry


def _plain(value: Any) -> Any:
    if isinstance(value, datetime.date | datetime.datetime):
        return value.isoformat()
    if isinstance(value, decimal.Decimal):
        return str(value)
    if isinstance(value, models.Model):
        return value.pk
    if isinstance(value, list | tuple | set | frozenset):
        return [_plain(item) for item in value]
    if isinstance(value, dict):
        return {str(key): _plain(item) for key, item in value.items()}
    return value


def snapshot(obj: models.Model, fields: list[str]) -> dict[str, Any]:
    """The values of ``fields`` in a JSON-friendly form, for before/after records."""
    out: dict[str, Any] = {}
    for name in fields:
        field = obj._meta.get_field(name)
        attname = getattr(field, "attname", name)
        out[name] = _plain(getattr(obj, attname))
    return out


def diff(before: dict[str, Any], after: dict[str, Any]) -> dict[str, dict[str, Any]]:
    """Only what changed: ``{field: {"before": x, "after": y}}``."""
    return {
        key: {"before": before.get(key), "after": after.get(key)}
        for key in sorted(set(before) | set(after))
        if before.get(key) != after.get(key)
    }


def log_action(
    *,
    actor: Any,
    verb: str,
    obj: models.Model | None = None,
    object_type: str = "",
    object_id: str = "",
    area_code: str = "",
    data: dict[str, Any] | None = None,
) -> AuditEntry:
    if obj is not None:
        object_type = object_type or obj._meta.label_lower
        object_id = object_id or str(obj.pk)
        area_code = area_code or str(getattr(obj, "area_code", "") or "")
    user = actor if getattr(actor, "is_authenticated", False) else None
    return AuditEntry.objects.create(
        actor=user,
        verb=verb,
        object_type=object_type,
        object_id=object_id,
        object_label=str(obj)[:200] if obj is not None else "",
        area_code=area_code,
        data=_plain(data or {}),
    )
