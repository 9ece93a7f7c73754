"""Headless Chromium (Debian's package) driven by Playwright against a live test server.

Missing Chromium fails the run — it never skips — so CI cannot pass without browser tests.
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from typing import Any

import pytest

# Playwright's sync API runs an event loop in the test thread; the ORM calls in fixtures are
# still synchronous and safe there.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

CHROMIUM_FLAGS = [
    "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
]


def chromium_path() -> str:
    candidates = [os.environ.get("CHUMCHON_CHROMIUM", ""), "/usr/bin/chromium", "/usr/bin/chromium-browser",
                  shutil.which("chromium") or ""]
    for candidate in candidates:
        if candidate and os.access(candidate, os.X_OK):
            return candidate
    pytest.fail("Chromium is missing: run `bash scripts/ensure-system-deps` (apt-get install chromium) "
                "or set CHUMCHON_CHROMIUM. Browser tests never skip.")


@pytest.fixture
def phone(live_server: Any) -> Iterator[Any]:
    """A cheap Android phone in Phatthalung that shares its location.

    Playwright is started and stopped inside each test: while its event loop runs, this thread
    sees another database connection object, one without the serialized copy of the area tree
    that serialized_rollback restores before the next test."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=chromium_path(), headless=True,
                                             args=CHROMIUM_FLAGS)
        context = browser.new_context(base_url=live_server.url, locale="th-TH",
                                      viewport={"width": 412, "height": 915},
                                      geolocation={"latitude": 7.512345, "longitude": 100.123456},
                                      permissions=["geolocation"])
        context.set_default_timeout(10_000)
        page = context.new_page()
        errors: list[str] = []
        page.on("pageerror", lambda error: errors.append(str(error)))
        yield page
        browser.close()
        # ORM calls made while Playwright's loop runs opened a connection of their own; close it
        # here, in the same context, so that no session outlives the test database.
        from django.db import connections

        connections.close_all()
        assert errors == [], f"JavaScript errors on the page: {errors}"


def log_in(page: Any, username: str, password: str) -> None:
    page.goto("/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", password)
    page.click("button[type=submit].primary")
    page.wait_for_url(lambda url: "/login/" not in url)
