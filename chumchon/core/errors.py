"""Errors that services raise and both the pages and the API understand."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _


class StaleEdit(ValidationError):
    """Someone else saved this record after it was opened here. Nothing was written."""

    def __init__(self) -> None:
        super().__init__(
            _("Someone else saved this record after you opened it. Reload it, check their "
              "changes and save again."),
            code="stale",
        )
