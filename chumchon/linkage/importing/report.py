"""The error report: every rejected row as it was read, plus its row number and the reason in Thai.

UTF-8 with a BOM so that Excel shows Thai; every cell that a spreadsheet would run as a formula
(= + - @, tab, CR at the start) is written with a leading apostrophe (core/spreadsheet.py).
"""

from __future__ import annotations

import csv
from pathlib import Path
from typing import IO, Any

from django.utils.translation import gettext as _

from chumchon.core.spreadsheet import safe_row


class ErrorReport:
    """Opened lazily: a file is written only when a row is rejected."""

    def __init__(self, path: Path, headers: list[str]) -> None:
        self.path = path
        self.headers = headers
        self.count = 0
        self._handle: IO[str] | None = None
        self._plain: Any = None

    def add(self, row_number: int, values: list[str], reason: str) -> None:
        if self._handle is None:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            self._handle = self.path.open("w", encoding="utf-8-sig", newline="")
            self._plain = csv.writer(self._handle)
            self._plain.writerow(safe_row([_("row"), _("reason"), *self.headers]))
        self._plain.writerow(safe_row([row_number, reason, *values]))
        self.count += 1

    def close(self) -> None:
        if self._handle is not None:
            self._handle.close()
            self._handle = None

    @property
    def written(self) -> bool:
        return self.count > 0
