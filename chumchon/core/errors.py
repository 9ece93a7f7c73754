"""Errors that services raise and both the pages and the API understand."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _


class StaleEdit(ValidationError):
    """Someone else saved this record after it was opened here. Nothing was written."""

    def __init__(self) -> None:
        super().__init__(
            _("Someone else saved this record after you opened it. Reload it, check their "
              "changes and save again."),
            code="stale",
        )


class PossibleDuplicate(ValidationError):
    """The person being registered may already be in the registry. Nothing was written; the caller
    shows ``candidates`` and saves again with ``confirm_new=True`` if it is someone else."""

    def __init__(self, candidates: list[Any]) -> None:
        self.candidates = candidates
        numbers = ", ".join(f"#{candidate.person.pk}" for candidate in candidates)
        super().__init__({"confirm_new": _(
            "This may be someone already registered (%(numbers)s). Check, or confirm that this is "
            "a different person.") % {"numbers": numbers}}, code="possible_duplicate")
