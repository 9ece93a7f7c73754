"""/alerts/ pages and /api/v1/alerts: the inbox, opening marks seen, acknowledge/resolve by POST,
outsiders get 404 and see nothing."""

from __future__ import annotations

import pytest
from django.test import Client

from chumchon.api.testing import api_client
from chumchon.care import services
from chumchon.care.models import Alert, AlertRecipient, AlertStatus
from chumchon.conftest import PASSWORD

pytestmark = pytest.mark.urls("chumchon.care.tests.urls")


def login(user) -> Client:
    client = Client()
    assert client.login(username=user.username, password=PASSWORD)
    return client


@pytest.fixture
def alert(volunteer, officer, flagged) -> Alert:
    return services.alerts_raise_for_assessment(assessment=flagged, actor=volunteer)[0]


def test_inbox_lists_the_alert_with_person_link(volunteer, alert, person_a):
    response = login(volunteer).get("/alerts/")
    assert response.status_code == 200
    html = response.content.decode()
    assert f'id="alert-{alert.pk}"' in html and f"/people/{person_a.pk}/" in html and "sev-high" in html


def test_opening_an_alert_marks_it_seen(volunteer, alert):
    client = login(volunteer)
    assert client.get(f"/alerts/{alert.pk}/").status_code == 200
    assert AlertRecipient.objects.get(alert=alert, user=volunteer).seen_at is not None


def test_acknowledge_and_resolve_buttons(volunteer, officer, alert):
    client = login(officer)
    response = client.post(f"/alerts/{alert.pk}/acknowledge/", HTTP_HX_REQUEST="true")
    assert response.status_code == 200 and f'id="alert-{alert.pk}"' in response.content.decode()
    assert Alert.objects.get(pk=alert.pk).status == AlertStatus.ACKNOWLEDGED
    response = client.post(f"/alerts/{alert.pk}/resolve/", {"next": "/alerts/"})
    assert response.status_code == 302 and response["Location"] == "/alerts/"
    assert Alert.objects.get(pk=alert.pk).status == AlertStatus.RESOLVED


def test_outsider_gets_404_on_alert_pages(outsider, coordinator, alert):
    assert login(coordinator).get("/alerts/").status_code == 404  # no RECEIVE_ALERTS anywhere: no inbox
    for user in (outsider, coordinator):
        client = login(user)
        assert client.get(f"/alerts/{alert.pk}/").status_code == 404
        assert client.post(f"/alerts/{alert.pk}/acknowledge/").status_code == 404
        assert client.post(f"/alerts/{alert.pk}/resolve/").status_code == 404
    assert Alert.objects.get(pk=alert.pk).status == AlertStatus.OPEN


def test_outsider_inbox_is_empty(outsider, alert):
    # the outsider receives alerts in their own tambon, but ours are not listed
    response = login(outsider).get("/alerts/?status=all")
    assert response.status_code == 200 and f"alert-{alert.pk}" not in response.content.decode()


def test_raise_by_hand_page(volunteer, person_a, outsider):
    client = login(volunteer)
    assert client.get(f"/people/{person_a.pk}/alerts/new/").status_code == 200
    response = client.post(f"/people/{person_a.pk}/alerts/new/", {"title": "ล้มในห้องน้ำ", "severity": "urgent"})
    assert response.status_code == 302
    assert Alert.objects.filter(person=person_a, title="ล้มในห้องน้ำ", severity="urgent").exists()
    assert login(outsider).get(f"/people/{person_a.pk}/alerts/new/").status_code == 404


def test_api_lists_reads_acknowledges_and_resolves(volunteer, officer, alert):
    client = api_client(officer)
    listed = client.api_get("/alerts")
    assert listed.status_code == 200 and [a["id"] for a in listed.json()["items"]] == [alert.pk]
    assert client.api_get(f"/alerts/{alert.pk}").json()["flag_code"] == "no_caregiver"
    assert AlertRecipient.objects.get(alert=alert, user=officer).seen_at is not None
    acknowledged = client.api_post(f"/alerts/{alert.pk}/acknowledge")
    assert acknowledged.status_code == 200 and acknowledged.json()["acknowledged_by"] == str(officer)
    assert client.api_post(f"/alerts/{alert.pk}/acknowledge").status_code == 422
    resolved = client.api_post(f"/alerts/{alert.pk}/resolve", {"note": "done"})
    assert resolved.status_code == 200 and resolved.json()["status"] == "resolved"


def test_api_raise_by_hand(volunteer, person_a):
    response = api_client(volunteer).api_post("/alerts", {"person_id": person_a.pk, "title": "ไม่มีอาหาร",
                                                          "severity": "urgent"})
    assert response.status_code == 201, response.content
    assert response.json()["severity"] == "urgent"
    bad = api_client(volunteer).api_post("/alerts", {"person_id": person_a.pk, "title": "x", "severity": "soon"})
    assert bad.status_code == 422 and bad.json()["detail"][0]["loc"] == ["body", "severity"]


def test_api_outsider_gets_404_and_an_empty_list(outsider, person_a, alert):
    client = api_client(outsider)
    assert client.api_get("/alerts").json()["items"] == []
    assert client.api_get(f"/alerts/{alert.pk}").status_code == 404
    assert client.api_post(f"/alerts/{alert.pk}/acknowledge").status_code == 404
    assert client.api_post(f"/alerts/{alert.pk}/resolve").status_code == 404
    assert client.api_post("/alerts", {"person_id": person_a.pk, "title": "x"}).status_code == 404
