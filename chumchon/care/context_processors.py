"""``alert_unseen`` for the nav badge: one count query per page, none for anonymous visitors."""

from __future__ import annotations

from django.http import HttpRequest

from chumchon.care.selectors import unseen_count


def alert_badge(request: HttpRequest) -> dict[str, int]:
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"alert_unseen": 0}
    return {"alert_unseen": unseen_count(user=user)}
