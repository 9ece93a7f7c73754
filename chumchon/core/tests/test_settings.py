from __future__ import annotations

import pytest
from django.core.exceptions import ImproperlyConfigured

from chumchon.settings import env_bool, parse_database_url


def test_sqlite_url_gives_a_file_database():
    config = parse_database_url("sqlite:////srv/chumchon/db.sqlite3")
    assert (config["ENGINE"], config["NAME"]) == ("django.db.backends.sqlite3", "/srv/chumchon/db.sqlite3")


def test_postgres_url_gives_host_port_user_and_options():
    config = parse_database_url("postgres://chumchon:s%40cret@db.local:5433/welfare?sslmode=require")
    assert config["ENGINE"] == "django.db.backends.postgresql"
    assert (config["USER"], config["PASSWORD"], config["HOST"], config["PORT"], config["NAME"]) == (
        "chumchon", "s@cret", "db.local", "5433", "welfare")
    assert config["OPTIONS"] == {"sslmode": "require"}


def test_unknown_database_scheme_fails_loudly():
    with pytest.raises(ImproperlyConfigured, match="CHUMCHON_DATABASE_URL"):
        parse_database_url("mysql://x/y")


def test_bad_boolean_fails_loudly(monkeypatch):
    monkeypatch.setenv("CHUMCHON_DEBUG", "maybe")
    with pytest.raises(ImproperlyConfigured, match="CHUMCHON_DEBUG"):
        env_bool("CHUMCHON_DEBUG", False)
