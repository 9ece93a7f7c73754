"""A generic webhook: POST the alert's few public fields as JSON to the URL the user gave.

Any user may give a URL, so the server refuses to post anywhere but the public internet (loopback,
private, carrier-grade NAT, link-local, reserved addresses: another service's admin port, a cloud
metadata address) unless CHUMCHON_ALERT_WEBHOOK_PRIVATE_OK is set for an intranet. Every address the
host resolves to is checked, the connection goes to a checked address (not to the name again), no
proxy is used and redirects are never followed (channels/base.py). The receiver's answer body is not
kept: attempts are shown to every recipient of the alert."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlsplit

from django.conf import settings

from chumchon.care.channels.base import Message, Result, non_global_address, post_json


def private_address(url: str) -> str:
    """The first address the URL's host resolves to that is not on the public internet ("" if none).
    An unresolvable host is not private (the send will fail and be retried)."""
    parts = urlsplit(url)
    try:
        return non_global_address(parts.hostname or "", parts.port or (443 if parts.scheme == "https" else 80))
    except (OSError, UnicodeError, ValueError):
        return ""


def send(delivery: Any, message: Message) -> Result:
    public_only = not settings.ALERT_WEBHOOK_PRIVATE_OK
    if public_only:
        address = private_address(delivery.target)
        if address:
            return Result.failed(error=f"refused: {address} is not a public internet address")
    return post_json(delivery.target, message.payload, {"User-Agent": "Chumchon-alerts/1"}, keep_body=False,
                     public_only=public_only)
