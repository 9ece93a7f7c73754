"""``{% if user|can_do:"read_audit" %}``: show a link only to those whose roles allow it. The page
itself still checks (and answers 404); this only keeps dead links out of the menu."""

from __future__ import annotations

from typing import Any

from django import template

from chumchon.accounts.scoping import can

register = template.Library()


@register.filter
def can_do(user: Any, capability: str) -> bool:
    return can(user, capability)
