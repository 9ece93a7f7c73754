"""How far a running import has read, kept in a small file beside the uploads.

An import writes all its rows inside ONE transaction (decision 0010), so no other connection could
see progress saved in the database before the end; the page and the API read this file instead.
"""

from __future__ import annotations

import json
import os
from pathlib import Path

from django.conf import settings


def _path(job_id: int) -> Path:
    return Path(settings.IMPORTS_ROOT) / f"progress-{int(job_id)}.json"


def progress_write(job_id: int, *, read: int, total: int) -> None:
    path = _path(job_id)
    path.parent.mkdir(parents=True, exist_ok=True)
    temporary = path.with_suffix(".tmp")
    temporary.write_text(json.dumps({"read": read, "total": total}))
    os.replace(temporary, path)


def progress_read(job_id: int) -> tuple[int, int] | None:
    """(rows read, estimated total) of a running import, or None."""
    try:
        data = json.loads(_path(job_id).read_text())
        return int(data["read"]), int(data["total"])
    except (OSError, ValueError, KeyError, TypeError):
        return None


def progress_clear(job_id: int) -> None:
    _path(job_id).unlink(missing_ok=True)
