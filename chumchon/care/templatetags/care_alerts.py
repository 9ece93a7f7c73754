"""``{{ value|duration }}``: a timedelta as "2 h 15 min" (alert times per area)."""

from __future__ import annotations

from datetime import timedelta

from django import template

from chumchon.care.stats import duration_text

register = template.Library()


@register.filter
def duration(value: timedelta | None) -> str:
    return duration_text(value)
