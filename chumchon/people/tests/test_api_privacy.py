"""The API's privacy duties: bulk reads logged, possible duplicates refused until confirmed."""

from __future__ import annotations


def test_every_page_of_the_person_list_is_logged_in_the_callers_area(volunteer, person_a):
    from chumchon.api.testing import ApiClient, make_token
    from chumchon.core.models import AuditEntry

    api = ApiClient(make_token(volunteer))
    assert api.get("/api/v1/persons?limit=10&offset=0").status_code == 200
    entry = AuditEntry.objects.get(verb="person.list")
    assert (entry.actor, entry.area_code, entry.data["limit"]) == (volunteer, "93110401", "10")


def test_reading_a_household_is_logged(volunteer, household_a, person_a):
    from chumchon.api.testing import ApiClient, make_token
    from chumchon.core.models import AuditEntry

    api = ApiClient(make_token(volunteer))
    assert api.get(f"/api/v1/households/{household_a.pk}").status_code == 200
    assert AuditEntry.objects.filter(verb="household.view", object_id=str(household_a.pk)).count() == 1


def test_api_refuses_a_possible_duplicate_until_confirmed(officer, person_a, household_a):
    from chumchon.api.testing import ApiClient, make_token

    api = ApiClient(make_token(officer))
    body = {"household_id": household_a.pk, "first_name": "สมศรี", "last_name": "ใจดี", "birth_date": "2490",
            "no_id_reason": "unknown"}
    refused = api.api_post("/persons", body)
    assert refused.status_code == 422
    assert refused.json()["detail"][0]["loc"] == ["body", "confirm_new"]
    assert f"#{person_a.pk}" in refused.json()["detail"][0]["msg"]
    assert api.api_post("/persons", {**body, "confirm_new": True}).status_code == 201
