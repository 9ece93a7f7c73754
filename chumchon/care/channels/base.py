"""What a sender gets (Message) and answers (Result), and the one HTTP POST they share."""

from __future__ import annotations

import http.client
import ipaddress
import json
import socket
import ssl
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


class RefusedAddress(OSError):
    """The host resolved to an address the server must not post to (its own network)."""


def non_global_address(host: str, port: int) -> str:
    """The first address ``host`` resolves to that is not on the public internet (loopback, private,
    carrier-grade NAT 100.64.0.0/10, link-local, reserved, multicast...), or "" if every one is.
    Raises OSError when the host does not resolve."""
    for address in _resolve(host, port):
        if not _is_public(address):
            return str(address)
    return ""


def _resolve(host: str, port: int) -> list[ipaddress.IPv4Address | ipaddress.IPv6Address]:
    infos = socket.getaddrinfo(host, port, proto=socket.IPPROTO_TCP)
    return [ipaddress.ip_address(str(info[4][0]).split("%")[0]) for info in infos]


def _is_public(address: ipaddress.IPv4Address | ipaddress.IPv6Address) -> bool:
    if isinstance(address, ipaddress.IPv6Address) and address.ipv4_mapped is not None:
        address = address.ipv4_mapped
    return address.is_global and not address.is_multicast


def _checked_connection(address: tuple[str, int], timeout: Any = socket._GLOBAL_DEFAULT_TIMEOUT,  # type: ignore[attr-defined]
                        source_address: Any = None) -> socket.socket:
    """Resolve once, refuse if any address is not public, then connect to a checked address (not to
    the name again), so a DNS answer that changes between the check and the connection (rebinding)
    cannot lead the request into the server's own network. TLS still checks the certificate
    against the host name (http.client wraps the socket with server_hostname)."""
    host, port = address
    resolved = _resolve(host, port)
    bad = [str(ip) for ip in resolved if not _is_public(ip)]
    if bad or not resolved:
        raise RefusedAddress(f"refused: {bad[0] if bad else host} is not a public internet address")
    last: OSError | None = None
    for ip in resolved:
        try:
            return socket.create_connection((str(ip), port), timeout, source_address)
        except OSError as exc:
            last = exc
    raise last or OSError(f"could not connect to {host}")


class _GuardedHTTPConnection(http.client.HTTPConnection):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._create_connection = _checked_connection


class _GuardedHTTPSConnection(http.client.HTTPSConnection):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._create_connection = _checked_connection


class _GuardedHTTPHandler(urllib.request.HTTPHandler):
    def http_open(self, req: urllib.request.Request) -> Any:
        return self.do_open(_GuardedHTTPConnection, req)


class _GuardedHTTPSHandler(urllib.request.HTTPSHandler):
    def https_open(self, req: urllib.request.Request) -> Any:
        return self.do_open(_GuardedHTTPSConnection, req, context=ssl.create_default_context())


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    """A 3xx is not followed (urllib would turn the POST into a GET to any host the answer names):
    the answer comes back as an HTTPError with its 3xx status and the delivery fails."""

    def redirect_request(self, *args: Any, **kwargs: Any) -> None:
        return None


def _opener(*, public_only: bool) -> urllib.request.OpenerDirector:
    if public_only:  # no proxy either: the address checked must be the one connected to
        return urllib.request.build_opener(urllib.request.ProxyHandler({}), _NoRedirect,
                                           _GuardedHTTPHandler, _GuardedHTTPSHandler)
    return urllib.request.build_opener(_NoRedirect)


def _body_excerpt(exc: urllib.error.HTTPError) -> str:
    try:
        return exc.read(300).decode("utf-8", "replace")
    except Exception:
        return ""


def post_json(url: str, body: dict[str, Any], headers: dict[str, str] | None = None, *,
              keep_body: bool = True, public_only: bool = False) -> Result:
    """POST ``body`` as JSON; 2xx sent, 429 and 5xx retry (429 with its Retry-After), other 4xx
    failed, no answer (refused, timeout, DNS) retry. ``keep_body``: keep the start of an error
    answer in the attempt (LINE explains its refusals there). Redirects are never followed (a 3xx
    fails). ``public_only``: refuse (fail) a host with any address outside the public internet."""
    data = json.dumps(body, ensure_ascii=False).encode("utf-8")
    request = urllib.request.Request(url, data=data, method="POST",
                                     headers={"Content-Type": "application/json", **(headers or {})})
    try:
        with _opener(public_only=public_only).open(request, timeout=settings.OUTBOUND_HTTP_TIMEOUT) as response:
            return Result.sent(response.status)
    except urllib.error.HTTPError as exc:
        status = exc.code
        detail = _body_excerpt(exc).strip() if keep_body else ""
        if status == 429:
            return Result.retry(status, detail, retry_after_seconds(exc.headers.get("Retry-After")))
        if status >= 500:
            return Result.retry(status, detail)
        if 300 <= status < 400:
            return Result.failed(status, "redirect refused: the receiver must answer at the address given")
        return Result.failed(status, detail)
    except (urllib.error.URLError, TimeoutError, OSError) as exc:
        reason = getattr(exc, "reason", exc)
        if isinstance(reason, RefusedAddress) or isinstance(exc, RefusedAddress):
            return Result.failed(error=str(reason))
        return Result.retry(error=f"{type(exc).__name__}: {reason}")
