"""Template filters for Thai readers: Buddhist Era dates, masked IDs, Thai digits."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from django import template
from django.utils import timezone

from chumchon.core.thai import format_be, format_national_id, mask_national_id, to_thai_digits

register = template.Library()


@register.filter
def be(value: date | datetime | None, style: str = "short") -> str:
    """``{{ person.birth_date|be }}`` → ``5 มิ.ย. 2510``; ``|be:"long"``, ``|be:"numeric"``."""
    if value is None or value == "":
        return ""
    if isinstance(value, datetime):
        local = timezone.localtime(value) if timezone.is_aware(value) else value
        return f"{format_be(local.date(), style=style)} {local:%H:%M}"
    return format_be(value, style=style)


@register.filter
def be_year(value: date | None) -> str:
    return "" if value is None else str(value.year + 543)


@register.filter
def masked_id(value: str | None) -> str:
    return mask_national_id(value or "")


@register.filter
def full_id(value: str | None) -> str:
    return format_national_id(value or "")


@register.filter
def thai_digits(value: Any) -> str:
    return to_thai_digits(str(value))
