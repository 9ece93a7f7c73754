"""The project's URLs plus Helper D's pages and alert API, for tests that run before the lead wires
them into chumchon/urls.py and api/main.py (then this adds nothing)."""

from __future__ import annotations

from typing import Any

from django.urls import include, path

from chumchon.api.main import api
from chumchon.urls import urlpatterns as project_patterns


def _has_namespace(patterns: list[Any], namespace: str) -> bool:
    return any(getattr(p, "namespace", None) == namespace for p in patterns)


def _test_api() -> list[Any]:
    from chumchon.care.api import router

    if any(attached is router for _, attached in api._routers):
        return []
    from ninja import NinjaAPI

    from chumchon.api import errors
    from chumchon.api.auth import API_AUTH

    test_api = NinjaAPI(urls_namespace="test_care_api", auth=API_AUTH)
    errors.install(test_api)
    test_api.add_router("/alerts", router)
    return [path("api/v1/", test_api.urls)]


extra: list[Any] = _test_api()
if not _has_namespace(project_patterns, "care"):
    extra.append(path("", include("chumchon.care.urls")))
if not _has_namespace(project_patterns, "visits_due"):
    extra.append(path("", include("chumchon.visits.urls_due")))

urlpatterns = [*extra, *project_patterns]
