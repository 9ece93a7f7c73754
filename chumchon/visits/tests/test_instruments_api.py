"""API: GET /api/v1/instruments and /api/v1/instruments/{code} — any signed-in user may read the
definitions (they hold no personal data); 401 without credentials; 404 for an unknown code."""

from __future__ import annotations

from typing import Any

import pytest

from chumchon.api.testing import api_client

pytestmark = pytest.mark.django_db


def test_list_needs_authentication() -> None:
    assert api_client().api_get("/instruments").status_code == 401
    assert api_client().api_get("/instruments/barthel_adl").status_code == 401


def test_list_gives_every_shipped_instrument(volunteer: Any) -> None:
    response = api_client(volunteer).api_get("/instruments")
    assert response.status_code == 200
    rows = {row["code"]: row for row in response.json()}
    assert {"barthel_adl", "dspm", "growth", "child_rearing", "basic_needs", "basic_rights", "house_safety",
            "caregiver"} <= set(rows)
    assert rows["barthel_adl"] == {"code": "barthel_adl", "version": 1, "subject": "person", "source": "shipped",
                                   "title": rows["barthel_adl"]["title"]}
    assert rows["basic_needs"]["subject"] == "household"


def test_outsider_and_coordinator_may_read_definitions_too(outsider: Any, coordinator: Any) -> None:
    for user in (outsider, coordinator):
        assert api_client(user).api_get("/instruments/dspm").status_code == 200


def test_detail_gives_items_with_codes_options_and_scores(volunteer: Any) -> None:
    body = api_client(volunteer).api_get("/instruments/barthel_adl").json()
    assert body["version"] == 1 and body["versions"] == [1]
    items = {item["code"]: item for group in body["groups"] for item in group["items"]}
    assert [(o["value"], o["score"]) for o in items["transfer"]["options"]] == [
        ("0", 0), ("1", 1), ("2", 2), ("3", 3)]
    assert items["caregiver"]["type"] == "choice"
    assert items["cognitive_impairment"]["type"] == "yes_no"
    bands = {b["code"]: (b["min"], b["max"]) for b in body["classifications"]}
    assert bands == {"bed_bound": (0, 4), "home_bound": (5, 11), "social_bound": (12, 20)}
    assert {f["code"]: f["severity"] for f in body["flags"]} == {
        "bedbound_no_caregiver": "urgent", "homebound_no_caregiver": "high"}
    assert body["follow_up"][0] == {"when": {"score_lte": 11}, "days": 182, "at_age_months": []}
    assert [r["key"] for r in body["results"]] == ["ltc_group", "dependent"]


def test_detail_gives_skip_rules_and_ranges(volunteer: Any) -> None:
    dspm = api_client(volunteer).api_get("/instruments/dspm").json()
    referral = next(g for g in dspm["groups"] if g["code"] == "referral")
    assert referral["show_if"]["all"][0] == {"previous_classification": "suspected_delay"}
    growth = api_client(volunteer).api_get("/instruments/growth").json()
    weight = growth["groups"][0]["items"][0]
    assert (weight["code"], weight["type"], weight["min"], weight["max"], weight["unit"]) == (
        "weight_kg", "number", 0.5, 40, "kg")
    assert growth["scoring"]["bands"]["hfa"][0]["code"] == "short"


def test_detail_by_version_and_unknown_codes(volunteer: Any) -> None:
    client = api_client(volunteer)
    assert client.api_get("/instruments/growth", version=1).json()["version"] == 1
    assert client.api_get("/instruments/growth", version=7).status_code == 404
    assert client.api_get("/instruments/no_such_form").status_code == 404
    assert client.api_get("/instruments/growth", version="x").status_code == 422


def test_labels_follow_the_requested_language(volunteer: Any) -> None:
    client = api_client(volunteer)
    thai = client.get("/api/v1/instruments/barthel_adl", HTTP_ACCEPT_LANGUAGE="th").json()
    english = client.get("/api/v1/instruments/barthel_adl", HTTP_ACCEPT_LANGUAGE="en").json()
    assert thai["classifications"][0]["label"] == "ติดเตียง"
    assert english["classifications"][0]["label"] == "Bed-bound"
