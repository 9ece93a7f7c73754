"""Pages and API of alert channels, deliveries on the alert, escalation shown, times per area:
each with its outsider, who gets 404 or sees nothing of ours."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from django.test import Client

from chumchon.accounts.roles import Role
from chumchon.api.testing import api_client
from chumchon.care import services
from chumchon.care.models import Alert, AlertChannel, AlertStatus, Delivery
from chumchon.care.services.delivery import deliveries_send_due
from chumchon.care.services.escalation import alerts_escalate_due
from chumchon.care.stats import duration_text
from chumchon.care.tests.fakes import LINE_TOKEN, Answer, closed_port_url, fake_http
from chumchon.conftest import PASSWORD, make_user

pytestmark = pytest.mark.urls("chumchon.care.tests.urls")
LINE_ID = "U" + "5" * 32


def login(user: Any) -> Client:
    client = Client()
    assert client.login(username=user.username, password=PASSWORD)
    return client


@pytest.fixture
def alert(volunteer: Any, officer: Any, person_a: Any) -> Alert:
    return services.alert_raise(actor=volunteer, person_id=person_a.pk, title="ล้มในห้องน้ำ", severity="urgent")


def test_my_channels_page_saves_and_refuses_a_bad_line_id(officer):
    client = login(officer)
    assert client.get("/alerts/channels/").status_code == 200
    response = client.post("/alerts/channels/", {"email": "officer@example.org", "line_id": "somchai",
                                                 "webhook_url": ""})
    assert response.status_code == 200 and "has-error" in response.content.decode()
    assert not AlertChannel.objects.filter(user=officer).exists()
    response = client.post("/alerts/channels/", {"email": "officer@example.org", "line_id": LINE_ID, "webhook_url": ""})
    assert response.status_code == 302
    assert set(AlertChannel.objects.filter(user=officer).values_list("kind", "target")) == {
        ("email", "officer@example.org"), ("line", LINE_ID)}
    assert LINE_ID in client.get("/alerts/channels/").content.decode()


def test_my_channels_page_is_404_without_alerts_and_shows_only_ones_own(coordinator, outsider, officer):
    services.my_channels_set(actor=officer, email="officer@example.org")
    assert login(coordinator).get("/alerts/channels/").status_code == 404
    html = login(outsider).get("/alerts/channels/").content.decode()
    assert "officer@example.org" not in html


def test_area_groups_page_lists_the_tambon_and_its_villages_for_the_officer(officer, volunteer, outsider,
                                                                            coordinator, village_a, village_b):
    client = login(officer)
    html = client.get("/alerts/groups/").content.decode()
    assert f'id="area-{village_a.code}"' in html and f'id="area-{village_b.code}"' in html
    assert 'id="area-931104"' in html
    response = client.post(f"/alerts/groups/{village_a.code}/", {"line_id": "C" + "6" * 32})
    assert response.status_code == 302
    assert AlertChannel.objects.get(area=village_a).target == "C" + "6" * 32
    client.post(f"/alerts/groups/{village_b.code}/", {"line_id": "not a group"})
    assert not AlertChannel.objects.filter(area=village_b).exists()
    for user in (volunteer, outsider, coordinator):
        other = login(user)
        assert other.get("/alerts/groups/").status_code == 404
        assert other.post(f"/alerts/groups/{village_a.code}/", {"line_id": ""}).status_code == 404
    assert AlertChannel.objects.filter(area=village_a).exists()


def test_alert_page_shows_deliveries_attempts_and_failures(settings, volunteer, officer, person_a):
    with fake_http(line=True) as line:
        settings.LINE_CHANNEL_TOKEN, settings.LINE_API_BASE = LINE_TOKEN, closed_port_url()
        settings.ALERT_WEBHOOK_PRIVATE_OK = True
        services.my_channels_set(actor=officer, line_id=LINE_ID)
        services.my_channels_set(actor=volunteer, webhook_url=line.url + "/hook")
        alert = services.alert_raise(actor=volunteer, person_id=person_a.pk, title="ล้ม", severity="urgent")
        line.answer(Answer(400, body='{"message":"bad webhook"}'))
        deliveries_send_due()
    line_delivery = Delivery.objects.get(alert=alert, kind="line")
    hook = Delivery.objects.get(alert=alert, kind="webhook")
    html = login(officer).get(f"/alerts/{alert.pk}/").content.decode()
    assert f'id="delivery-{line_delivery.pk}" class="delivery-pending"' in html
    assert f'id="delivery-{hook.pk}" class="delivery-failed"' in html and "HTTP 400" in html
    assert "refused" in html.lower()  # LINE down: the attempt and its error are listed


def test_alert_page_and_inbox_say_it_was_escalated(volunteer, officer, tambon, person_a, alert):
    district = make_user("district_cm", Role.CARE_MANAGER, tambon.code[:4], display_name="ผู้จัดการอำเภอ")
    alerts_escalate_due(now=alert.created_at + timedelta(minutes=31))
    html = login(district).get(f"/alerts/{alert.pk}/").content.decode()
    assert 'id="escalations"' in html and "ผู้จัดการอำเภอ" in html
    assert "escalated" in login(officer).get("/alerts/").content.decode()


def test_a_non_recipient_gets_no_buttons_and_a_reason_when_posting(volunteer, officer, tambon, alert):
    newcomer = make_user("new_cm", Role.CARE_MANAGER, tambon.code)
    client = login(newcomer)
    html = client.get(f"/alerts/{alert.pk}/").content.decode()
    assert 'id="not-recipient"' in html and f"/alerts/{alert.pk}/acknowledge/" not in html
    response = client.post(f"/alerts/{alert.pk}/acknowledge/", follow=True)
    assert response.status_code == 200
    assert [m.level_tag for m in response.context["messages"]] == ["error"]
    assert Alert.objects.get(pk=alert.pk).status == AlertStatus.OPEN
    assert f"/alerts/{alert.pk}/acknowledge/" in login(officer).get(f"/alerts/{alert.pk}/").content.decode()


def test_stats_page_shows_times_per_village_and_tambon(volunteer, officer, outsider, coordinator, village_a, alert):
    services.alert_acknowledge(actor=officer, alert_id=alert.pk, now=alert.created_at + timedelta(minutes=12))
    services.alert_resolve(actor=officer, alert_id=alert.pk, now=alert.created_at + timedelta(hours=3, minutes=5))
    html = login(officer).get("/alerts/stats/").content.decode()
    assert f'data-area="{village_a.code}"' in html and 'data-area="931104"' in html
    assert duration_text(timedelta(minutes=12)) in html and duration_text(timedelta(hours=3, minutes=5)) in html
    assert f'data-area="{village_a.code}"' in login(coordinator).get("/alerts/stats/").content.decode()
    outsider_html = login(outsider).get("/alerts/stats/").content.decode()
    assert f'data-area="{village_a.code}"' not in outsider_html and 'data-area="931104"' not in outsider_html


def test_stats_medians_counts_open_and_overdue(volunteer, officer, village_a, person_a):
    from chumchon.care.stats import alert_times_by_area

    made = [services.alert_raise(actor=volunteer, person_id=person_a.pk, title=str(n), severity="urgent")
            for n in range(4)]
    for alert, minutes in zip(made[:3], (10, 20, 60), strict=True):
        services.alert_acknowledge(actor=officer, alert_id=alert.pk, now=alert.created_at + timedelta(minutes=minutes))
    services.alert_resolve(actor=officer, alert_id=made[0].pk, now=made[0].created_at + timedelta(hours=2))
    later = made[3].created_at + timedelta(minutes=45)  # the fourth is past its 30 minutes
    groups = alert_times_by_area(user=officer, now=later)
    [village] = groups["villages"]
    assert (village.code, village.raised, village.acknowledged, village.resolved) == (village_a.code, 4, 3, 1)
    assert village.ack_median == timedelta(minutes=20) and village.resolve_median == timedelta(hours=2)
    assert (village.open, village.overdue) == (1, 1)
    assert groups["tambons"][0].raised == 4


def test_stats_page_is_404_without_counts(officer, alert):
    from chumchon.accounts.models import User

    nobody = User.objects.create_user(username="nobody", password=PASSWORD)
    assert login(nobody).get("/alerts/stats/").status_code == 404


def test_api_detail_lists_deliveries_with_attempts_and_escalations(settings, volunteer, officer, tambon, person_a):
    settings.LINE_CHANNEL_TOKEN, settings.LINE_API_BASE = LINE_TOKEN, closed_port_url()
    services.my_channels_set(actor=officer, line_id=LINE_ID)
    alert = services.alert_raise(actor=volunteer, person_id=person_a.pk, title="ล้ม", severity="urgent")
    deliveries_send_due()
    make_user("district_cm", Role.CARE_MANAGER, tambon.code[:4])
    alerts_escalate_due(now=alert.created_at + timedelta(minutes=31))
    body = api_client(officer).api_get(f"/alerts/{alert.pk}").json()
    [delivery] = body["deliveries"]
    assert delivery["channel"] == "line" and delivery["status"] == "pending" and delivery["next_attempt_at"]
    assert delivery["attempts"][0]["outcome"] == "retry" and "refused" in delivery["attempts"][0]["error"].lower()
    assert body["escalation_level"] == 1
    [step] = body["escalations"]
    assert step["area_code"] == "9311" and step["level"] == 1 and len(step["recipients"]) == 1
    assert set(delivery) == {"id", "channel", "to", "status", "attempts", "next_attempt_at", "sent_at",
                             "last_error"}  # no address field
    assert delivery["to"] == str(officer)
    for viewer in (officer, volunteer):  # the address is in no answer, not even to its owner's colleagues
        raw = api_client(viewer).api_get(f"/alerts/{alert.pk}").content.decode()
        assert LINE_ID not in raw and LINE_ID[1:] not in raw


def test_api_my_channels_get_and_put(officer, outsider):  # the outsider sees their own, empty
    client = api_client(officer)
    assert client.api_get("/alerts/channels/me").json() == {"email": "", "line_id": "", "webhook_url": ""}
    response = client.put("/api/v1/alerts/channels/me", f'{{"email": "o@example.org", "line_id": "{LINE_ID}"}}',
                          content_type="application/json")
    assert response.status_code == 200 and response.json()["line_id"] == LINE_ID
    bad = client.put("/api/v1/alerts/channels/me", '{"webhook_url": "javascript:alert(1)"}',
                     content_type="application/json")
    assert bad.status_code == 422 and bad.json()["detail"][0]["loc"][-1] == "webhook_url"
    assert api_client(outsider).api_get("/alerts/channels/me").json()["email"] == ""


def test_api_my_channels_is_404_for_someone_who_receives_no_alerts(coordinator):
    client = api_client(coordinator)
    assert client.api_get("/alerts/channels/me").status_code == 404
    assert client.put("/api/v1/alerts/channels/me", "{}", content_type="application/json").status_code == 404


def test_api_acknowledging_someone_elses_alert_is_422_and_out_of_reach_is_404(volunteer, officer, tambon,
                                                                               outsider, alert):
    newcomer = make_user("new_cm", Role.CARE_MANAGER, tambon.code)
    refused = api_client(newcomer).api_post(f"/alerts/{alert.pk}/acknowledge")
    assert refused.status_code == 422 and refused.json()["detail"][0]["loc"][-1] == "alert"
    assert api_client(outsider).api_post(f"/alerts/{alert.pk}/acknowledge").status_code == 404
    assert api_client(officer).api_post(f"/alerts/{alert.pk}/acknowledge").status_code == 200


def test_api_area_groups_and_stats_with_outsiders(officer, outsider, volunteer, village_a, alert):
    client = api_client(officer)
    codes = [a["code"] for a in client.api_get("/alerts/groups", limit=200).json()["items"]]
    assert village_a.code in codes and "931104" in codes
    put = client.put(f"/api/v1/alerts/groups/{village_a.code}", '{"line_id": "%s"}' % ("C" + "7" * 32),
                     content_type="application/json")
    assert put.status_code == 200 and put.json()["line_group"] == "C" + "7" * 32
    for user in (outsider, volunteer):
        other = api_client(user)
        assert village_a.code not in [a["code"] for a in other.api_get("/alerts/groups").json()["items"]]
        refused = other.put(f"/api/v1/alerts/groups/{village_a.code}", "{}", content_type="application/json")
        assert refused.status_code == 404
    assert [row["area_code"] for row in client.api_get("/alerts/stats").json()] == ["931104", village_a.code]
    assert api_client(outsider).api_get("/alerts/stats").json() == []


def test_an_invalid_area_group_form_does_not_clear_the_areas_line_group(officer, village_a):
    group = "C" + "7" * 32
    services.area_channel_set(actor=officer, area_code=village_a.code, line_id=group)
    response = login(officer).post(f"/alerts/groups/{village_a.code}/", {"line_id": "C" * 600}, follow=True)
    assert response.status_code == 200
    assert AlertChannel.objects.get(area=village_a).target == group  # still there
    assert village_a.label in response.content.decode() and "500" in response.content.decode()


def test_api_stats_is_404_for_someone_who_sees_no_counts_as_the_page(officer, alert):
    from chumchon.accounts.models import User

    nobody = User.objects.create_user(username="nobody", password=PASSWORD)
    assert login(nobody).get("/alerts/stats/").status_code == 404
    assert api_client(nobody).api_get("/alerts/stats").status_code == 404
    assert api_client(officer).api_get("/alerts/stats").status_code == 200
