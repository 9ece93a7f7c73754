"""A generic webhook: POST the alert's few public fields as JSON to the URL the user gave.

Any user may give a URL, so the server refuses to post to its own network (loopback, private,
link-local addresses: another service's admin port, a cloud metadata address) unless
CHUMCHON_ALERT_WEBHOOK_PRIVATE_OK is set for an intranet. The receiver's answer body is not kept:
attempts are shown to every recipient of the alert."""

from __future__ import annotations

import ipaddress
import socket
from typing import Any
from urllib.parse import urlsplit

from django.conf import settings

from chumchon.care.channels.base import Message, Result, post_json


def private_address(url: str) -> str:
    """The first loopback, private, link-local or reserved address the URL's host resolves to ("" if none).
    An unresolvable host is not private (the send will fail and be retried)."""
    parts = urlsplit(url)
    host = parts.hostname or ""
    try:
        infos = socket.getaddrinfo(host, parts.port or (443 if parts.scheme == "https" else 80),
                                   proto=socket.IPPROTO_TCP)
    except (OSError, UnicodeError):
        return ""
    for info in infos:
        address = ipaddress.ip_address(info[4][0])
        if (address.is_private or address.is_loopback or address.is_link_local or address.is_reserved
                or address.is_multicast or address.is_unspecified):
            return str(address)
    return ""


def send(delivery: Any, message: Message) -> Result:
    if not settings.ALERT_WEBHOOK_PRIVATE_OK:
        address = private_address(delivery.target)
        if address:
            return Result.failed(error=f"refused: {address} is an address on the server's own network")
    return post_json(delivery.target, message.payload, {"User-Agent": "Chumchon-alerts/1"}, keep_body=False)
