"""Test helpers for the API: a client that sends a bearer token and JSON bodies."""

from __future__ import annotations

import json
import secrets
from datetime import timedelta
from typing import Any

from django.test import Client
from django.utils import timezone

from chumchon.accounts.models import ApiToken, User

API = "/api/v1"


def make_token(user: User, *, days: int = 1) -> str:
    """A bearer token for ``user`` without a password round-trip (the login itself is tested
    through ``POST /auth/token``)."""
    key = secrets.token_urlsafe(32)
    ApiToken.objects.create(user=user, key_hash=ApiToken.hash_key(key),
                            expires_at=timezone.now() + timedelta(days=days))
    return key


class ApiClient(Client):
    """``get``/``post``/``patch`` on paths under /api/v1, JSON bodies, the token in a header."""

    def __init__(self, token: str | None = None, **kwargs: Any) -> None:
        headers = {"Authorization": f"Bearer {token}"} if token else {}
        super().__init__(headers=headers, **kwargs)

    def api_get(self, path: str, **params: Any) -> Any:
        return self.get(API + path, params)

    def api_post(self, path: str, data: Any = None) -> Any:
        return self.post(API + path, json.dumps(data or {}), content_type="application/json")

    def api_patch(self, path: str, data: Any = None) -> Any:
        return self.patch(API + path, json.dumps(data or {}), content_type="application/json")


def api_client(user: User | None = None) -> ApiClient:
    return ApiClient(make_token(user) if user is not None else None)
