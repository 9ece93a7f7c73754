"""POST /api/v1/auth/token: a username and password for a bearer token."""

from __future__ import annotations

from datetime import datetime, timedelta

from django.conf import settings
from django.utils import timezone

from chumchon.accounts.models import ApiToken
from chumchon.api.testing import ApiClient
from chumchon.conftest import PASSWORD
from chumchon.core.models import AuditEntry


def test_token_login_gives_a_working_token_that_expires(volunteer, village_a):
    response = ApiClient().api_post("/auth/token", {"username": "vol_a", "password": PASSWORD})
    assert response.status_code == 200
    body = response.json()
    assert len(body["token"]) >= 32
    expires_at = datetime.fromisoformat(body["expires_at"])
    expected = timezone.now() + timedelta(days=settings.API_TOKEN_DAYS)
    assert abs((expires_at - expected).total_seconds()) < 60
    # Only the hash is stored, and the login is audited.
    stored = ApiToken.objects.get(user=volunteer)
    assert stored.key_hash == ApiToken.hash_key(body["token"]) != body["token"]
    assert AuditEntry.objects.filter(verb="token.create", actor=volunteer).exists()

    areas = ApiClient(body["token"]).api_get("/areas", level="village")
    assert areas.status_code == 200
    assert [item["code"] for item in areas.json()["items"]] == [village_a.code]


def test_wrong_password_answers_401_and_creates_no_token(volunteer):
    response = ApiClient().api_post("/auth/token", {"username": "vol_a", "password": "wrong-password"})
    assert response.status_code == 401
    assert "token" not in response.json()
    assert response.json()["detail"]
    assert not ApiToken.objects.exists()


def test_unknown_user_answers_401(db):
    response = ApiClient().api_post("/auth/token", {"username": "nobody", "password": PASSWORD})
    assert response.status_code == 401
    assert not ApiToken.objects.exists()


def test_deactivated_user_cannot_get_a_token(volunteer):
    volunteer.is_active = False
    volunteer.save()
    response = ApiClient().api_post("/auth/token", {"username": "vol_a", "password": PASSWORD})
    assert response.status_code == 401
    assert not ApiToken.objects.exists()


def test_missing_password_answers_422_naming_the_field(db):
    response = ApiClient().api_post("/auth/token", {"username": "vol_a"})
    assert response.status_code == 422
    assert [item["loc"] for item in response.json()["detail"]] == [["body", "password"]]
