"""The API's plumbing: who may call it, the one error format, pagination, the docs page."""

from __future__ import annotations

import re
from datetime import timedelta
from typing import Any

import pytest
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.test import Client
from django.utils import timezone

from chumchon.accounts.models import ApiToken
from chumchon.api.errors import field_names, validation_error_items
from chumchon.api.pagination import MAX_LIMIT
from chumchon.api.testing import API, ApiClient, api_client, make_token
from chumchon.core.errors import StaleEdit

# Every operation the API offers, with a value for each path parameter.
PATH_VALUES = {"code": "931104", "household_id": "1", "person_id": "1", "assessment_id": "1", "visit_id": "1",
               "alert_id": "1", "forum_id": "1", "kind": "person", "record_id": "1",
               "committee_id": "1", "member_id": "1", "centre_id": "1", "organisation_id": "1", "service_id": "1",
               "relation_id": "1", "plan_id": "1", "goal_id": "1", "action_id": "1", "referral_id": "1",
               "programme_id": "1", "candidate_id": "1", "merge_id": "1",
               "run_id": "1", "import_id": "1"}
PUBLIC_OPERATIONS = {("post", f"{API}/auth/token")}


def _operations(client: Client) -> list[tuple[str, str]]:
    schema = client.get(f"{API}/openapi.json").json()
    operations = []
    for path, methods in schema["paths"].items():
        concrete = re.sub(r"\{(\w+)\}", lambda m: PATH_VALUES[m[1]], path)
        for method in methods:
            if (method, path) not in PUBLIC_OPERATIONS:
                operations.append((method, concrete))
    return operations


def _call(client: Client, method: str, path: str) -> Any:
    if method == "get":
        return client.get(path)
    return getattr(client, method)(path, "{}", content_type="application/json")


# ---------------------------------------------------------------------------
# Authentication
# ---------------------------------------------------------------------------


def test_openapi_lists_every_endpoint_of_the_registry(client):
    schema = client.get(f"{API}/openapi.json").json()
    expected = {
        "/auth/token": {"post"},
        "/areas": {"get"},
        "/areas/{code}": {"get"},
        "/areas/villages": {"post"},
        "/areas/communities": {"post"},
        "/households": {"get", "post"},
        "/households/{household_id}": {"get", "patch"},
        "/persons": {"get", "post"},
        "/persons/{person_id}": {"get", "patch"},
        "/persons/{person_id}/move": {"post"},
        "/persons/duplicates": {"get"},
        "/persons/counts": {"get"},
    }
    for path, methods in expected.items():
        assert set(schema["paths"][API + path]) >= methods, path


@pytest.mark.django_db
def test_every_endpoint_without_credentials_answers_401(client):
    operations = _operations(client)
    assert len(operations) >= 15
    for method, path in operations:
        response = _call(client, method, path)
        assert response.status_code == 401, (method, path, response.content)
        assert response.json() == {"detail": "Not authenticated"}
        assert response["WWW-Authenticate"].startswith("Bearer")


def test_every_endpoint_with_a_wrong_token_answers_401(client, volunteer):
    bad = ApiClient("not-a-real-token")
    for method, path in _operations(client):
        assert _call(bad, method, path).status_code == 401, (method, path)


def test_expired_token_answers_401(volunteer):
    key = make_token(volunteer)
    ApiToken.objects.update(expires_at=timezone.now() - timedelta(seconds=1))
    assert ApiClient(key).api_get("/areas").status_code == 401


def test_token_of_a_deactivated_user_answers_401(volunteer):
    client = api_client(volunteer)
    volunteer.is_active = False
    volunteer.save()
    assert client.api_get("/areas").status_code == 401


def test_bearer_token_identifies_the_user(volunteer, village_a):
    response = api_client(volunteer).api_get("/areas", level="village")
    assert response.status_code == 200
    assert [item["code"] for item in response.json()["items"]] == [village_a.code]


def test_logged_in_browser_session_may_use_the_api(client, volunteer, village_a):
    client.force_login(volunteer)
    response = client.get(f"{API}/areas", {"level": "village"})
    assert response.status_code == 200
    assert response.json()["count"] == 1


def test_session_writes_need_the_csrf_token_but_bearer_writes_do_not(volunteer, village_a):
    browser = Client(enforce_csrf_checks=True)
    browser.force_login(volunteer)
    body = {"area_code": village_a.code, "house_no": "7"}
    refused = browser.post(f"{API}/households", body, content_type="application/json")
    assert refused.status_code == 403

    app = ApiClient(make_token(volunteer), enforce_csrf_checks=True)
    assert app.api_post("/households", body).status_code == 201


# ---------------------------------------------------------------------------
# Errors and pagination
# ---------------------------------------------------------------------------


def test_django_validation_errors_become_ninja_style_items():
    exc = ValidationError({"national_id": "เลขไม่ถูกต้อง", NON_FIELD_ERRORS: ["ทั้งแบบฟอร์ม"]})
    assert validation_error_items(exc) == [
        {"loc": ["body", "national_id"], "msg": "เลขไม่ถูกต้อง", "type": "invalid"},
        {"loc": ["body"], "msg": "ทั้งแบบฟอร์ม", "type": "invalid"},
    ]
    with_params = ValidationError("ยาว %(n)s", code="too_long", params={"n": 5})
    assert validation_error_items(with_params, "query") == [
        {"loc": ["query"], "msg": "ยาว 5", "type": "too_long"}
    ]


def test_field_names_renames_service_fields_to_api_fields_but_leaves_stale_edits_alone():
    with pytest.raises(ValidationError) as err, field_names({"area": "area_code"}):
        raise ValidationError({"area": "ไม่พบหมู่บ้าน", "house_no": "ซ้ำ"})
    assert set(err.value.message_dict) == {"area_code", "house_no"}
    with pytest.raises(StaleEdit), field_names({"area": "area_code"}):
        raise StaleEdit()


def test_schema_errors_and_service_errors_share_one_shape(officer, village_a):
    client = api_client(officer)
    schema_error = client.api_post("/persons", {"area_code": village_a.code, "has_id_card": "perhaps"})
    service_error = client.api_post("/persons", {"area_code": village_a.code, "first_name": ""})
    for response in (schema_error, service_error):
        assert response.status_code == 422
        for item in response.json()["detail"]:
            assert {"loc", "msg", "type"} <= set(item)
    assert {"loc": ["body", "has_id_card"]}.items() <= schema_error.json()["detail"][0].items()
    assert ["body", "first_name"] in [item["loc"] for item in service_error.json()["detail"]]


def test_unknown_record_answers_404_with_a_plain_body(officer):
    response = api_client(officer).api_get("/persons/999999")
    assert response.status_code == 404
    assert response.json() == {"detail": "Not found"}


def test_pagination_gives_count_and_refuses_limits_over_the_ceiling(officer, village_a):
    client = api_client(officer)
    page = client.api_get("/areas", parent="931104", limit=1, offset=1)
    assert page.status_code == 200
    body = page.json()
    assert body["count"] == 2
    assert [item["code"] for item in body["items"]] == ["93110402"]
    too_many = client.api_get("/areas", limit=MAX_LIMIT + 1)
    assert too_many.status_code == 422
    assert too_many.json()["detail"][0]["loc"] == ["query", "limit"]


# ---------------------------------------------------------------------------
# OpenAPI and the docs page
# ---------------------------------------------------------------------------


def test_openapi_json_is_valid_json_and_documents_bearer_auth(client):
    response = client.get(f"{API}/openapi.json")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/json")
    schema = response.json()
    assert schema["openapi"].startswith("3.")
    assert schema["info"]["title"] == "Chumchon API"
    assert schema["components"]["securitySchemes"]["BearerAuth"] == {"type": "http", "scheme": "bearer"}
    patch = schema["paths"][f"{API}/persons/{{person_id}}"]["patch"]
    assert {"200", "401", "404", "409", "422"} <= set(patch["responses"])


@pytest.mark.django_db
def test_docs_page_loads_swagger_from_local_static_files_only(client):
    response = client.get(f"{API}/docs")
    assert response.status_code == 200
    html = response.content.decode()
    urls = re.findall(r'(?:src|href)="([^"]*)"', html)
    assert any(url.endswith("swagger-ui-bundle.js") for url in urls)
    assert any(url.endswith("swagger-ui.css") for url in urls)
    for url in urls:
        assert url.startswith("/static/"), url
    assert "://" not in html
    assert f"{API}/openapi.json" in html
    for url in urls:
        asset = client.get(url)
        assert asset.status_code == 200, url
        asset.close()
