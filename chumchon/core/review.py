"""The verification states a field record goes through (a person's registration, an assessment),
as the source documents describe: collected, submitted, checked by a second visit, accepted by
the village forum — or sent back for correction with a reason."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class ReviewStatus(models.TextChoices):
    DRAFT = "draft", _("draft")
    SUBMITTED = "submitted", _("submitted")
    VERIFIED = "verified", _("verified")
    ACCEPTED = "accepted", _("accepted by the village forum")
    CORRECTION = "correction", _("sent back for correction")
    DISPUTED = "disputed", _("disputed at the village forum")


S = ReviewStatus
# from → the states it may move to. Verification and forum moves have extra rules (a second
# person, photo evidence, an open forum), enforced by chumchon.visits.services.review.
TRANSITIONS: dict[str, frozenset[str]] = {
    S.DRAFT: frozenset({S.SUBMITTED}),
    S.SUBMITTED: frozenset({S.VERIFIED, S.CORRECTION}),
    S.VERIFIED: frozenset({S.ACCEPTED, S.CORRECTION, S.DISPUTED}),
    S.ACCEPTED: frozenset({S.CORRECTION, S.DISPUTED}),
    S.CORRECTION: frozenset({S.SUBMITTED}),
    S.DISPUTED: frozenset({S.CORRECTION, S.ACCEPTED}),
}


def can_move(from_status: str, to_status: str) -> bool:
    return to_status in TRANSITIONS.get(from_status, frozenset())
