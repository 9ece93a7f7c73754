"""Errors the directory's services raise and both the pages and the API understand."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _


class DuplicateOrganisation(ValidationError):
    """An organisation of the same (normalised) name is already registered in that area. Nothing
    was written; the caller offers ``existing`` and saves again with ``confirm_new=True`` if it
    really is another organisation. The API answers 422 at ``name`` and ``confirm_new``."""

    def __init__(self, existing: list[Any]) -> None:
        self.existing = existing
        numbers = ", ".join(f"#{organisation.pk}" for organisation in existing)
        super().__init__({
            "name": _("An organisation of this name is already registered in this area (%(numbers)s).")
            % {"numbers": numbers},
            "confirm_new": _("Open the one already registered, or confirm that this is another organisation.")
        }, code="duplicate_organisation")
