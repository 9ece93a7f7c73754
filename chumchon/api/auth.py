"""Who is calling: a bearer token (apps, scripts) or the Django session (a logged-in browser,
so the docs page can be tried). Anything else is 401."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.http import HttpRequest
from ninja.security import APIKeyCookie, HttpBearer

from chumchon.accounts.models import User
from chumchon.accounts.services import token_user


class BearerAuth(HttpBearer):
    """``Authorization: Bearer <token>`` from ``POST /api/v1/auth/token``."""

    def authenticate(self, request: HttpRequest, token: str) -> Any | None:
        user = token_user(token.strip()) if token.strip() else None
        if user is not None:
            request.user = user
        return user


class SessionAuth(APIKeyCookie):
    """ninja's ``django_auth``, except that a request without a logged-in session is simply not
    authenticated here (→ 401) instead of failing the CSRF check (→ 403). Session users still
    pass the CSRF check on unsafe methods."""

    param_name: str = settings.SESSION_COOKIE_NAME

    def _get_key(self, request: HttpRequest) -> str | None:
        if not request.user.is_authenticated:
            return None
        return super()._get_key(request)

    def authenticate(self, request: HttpRequest, key: str | None) -> Any | None:
        if key and request.user.is_authenticated:
            return request.user
        return None


bearer_auth = BearerAuth()
session_auth = SessionAuth()
# Bearer first: an API client with a token never needs a CSRF token.
API_AUTH = [bearer_auth, session_auth]


def caller(request: HttpRequest) -> User:
    """The authenticated user of an API request (set by ninja from ``API_AUTH``)."""
    user: User = request.auth  # type: ignore[attr-defined]
    return user
