"""What a sender gets (Message) and answers (Result), and the one HTTP POST they share."""

from __future__ import annotations

import json
import urllib.error
import urllib.request
from dataclasses import dataclass
from datetime import datetime
from email.utils import parsedate_to_datetime
from typing import Any

from django.conf import settings
from django.utils import timezone

SENT, RETRY, FAILED = "sent", "retry", "failed"


@dataclass(frozen=True)
class Message:
    """An alert as it leaves the server: no national ID, no names (LINE groups and webhooks are
    outside Chumchon's scoping); the link leads to the alert page, which checks who opens it."""

    alert_id: int
    subject: str
    text: str
    payload: dict[str, Any]


@dataclass(frozen=True)
class Result:
    outcome: str
    http_status: int | None = None  # HTTP channels only
    error: str = ""  # what went wrong, or the start of the channel's error answer
    retry_after: float | None = None  # seconds the channel asked us to wait (429 Retry-After)

    @classmethod
    def sent(cls, http_status: int | None = None) -> Result:
        return cls(SENT, http_status)

    @classmethod
    def retry(cls, http_status: int | None = None, error: str = "", retry_after: float | None = None) -> Result:
        return cls(RETRY, http_status, error[:300], retry_after)

    @classmethod
    def failed(cls, http_status: int | None = None, error: str = "") -> Result:
        return cls(FAILED, http_status, error[:300])


def retry_after_seconds(value: str | None, *, now: datetime | None = None) -> float | None:
    """Retry-After as seconds (``120``) or as an HTTP date; None when absent or unreadable."""
    if not value:
        return None
    value = value.strip()
    if value.isdigit():
        return float(value)
    try:
        moment = parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    if moment.tzinfo is None:
        return None
    return max(0.0, (moment - (now or timezone.now())).total_seconds())


def _body_excerpt(exc: urllib.error.HTTPError) -> str:
    try:
        return exc.read(300).decode("utf-8", "replace")
    except Exception:
        return ""


def post_json(url: str, body: dict[str, Any], headers: dict[str, str] | None = None, *,
              keep_body: bool = True) -> Result:
    """POST ``body`` as JSON; 2xx sent, 429 and 5xx retry (429 with its Retry-After), other 4xx
    failed, no answer (refused, timeout, DNS) retry. ``keep_body``: keep the start of an error
    answer in the attempt (LINE explains its refusals there)."""
    data = json.dumps(body, ensure_ascii=False).encode("utf-8")
    request = urllib.request.Request(url, data=data, method="POST",
                                     headers={"Content-Type": "application/json", **(headers or {})})
    try:
        with urllib.request.urlopen(request, timeout=settings.OUTBOUND_HTTP_TIMEOUT) as response:
            return Result.sent(response.status)
    except urllib.error.HTTPError as exc:
        status = exc.code
        detail = _body_excerpt(exc).strip() if keep_body else ""
        if status == 429:
            return Result.retry(status, detail, retry_after_seconds(exc.headers.get("Retry-After")))
        if status >= 500:
            return Result.retry(status, detail)
        return Result.failed(status, detail)
    except (urllib.error.URLError, TimeoutError, OSError) as exc:
        reason = getattr(exc, "reason", exc)
        return Result.retry(error=f"{type(exc).__name__}: {reason}")
