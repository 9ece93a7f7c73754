"""Delivery of alerts over LINE, webhooks and e-mail against local fake servers: the request exactly
as LINE defines it, retries with back-off, 429's Retry-After, a channel that is down, refusals."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest

from chumchon.care import services
from chumchon.care.models import Alert, AlertChannel, ChannelKind, Delivery, DeliveryStatus
from chumchon.care.services.delivery import backoff_seconds, deliveries_send_due
from chumchon.care.tests.fakes import LINE_TOKEN, Answer, closed_port_url, fake_http, fake_smtp
from chumchon.core.models import AuditEntry

OFFICER_LINE = "U" + "1" * 32
GROUP_LINE = "C" + "a" * 32


@pytest.fixture
def line(settings: Any) -> Any:
    with fake_http(line=True) as server:
        settings.LINE_CHANNEL_TOKEN = LINE_TOKEN
        settings.LINE_API_BASE = server.url
        settings.ALERT_RETRY_SECONDS = 30
        settings.ALERT_RETRY_MAX_SECONDS = 3600
        yield server


def raise_alert(volunteer: Any, person: Any, title: str = "ผู้สูงอายุล้ม ไม่มีคนดูแล") -> Alert:
    return services.alert_raise(actor=volunteer, person_id=person.pk, title=title, severity="urgent")


def officer_on_line(officer: Any) -> None:
    services.my_channels_set(actor=officer, line_id=OFFICER_LINE)


def only_delivery(alert: Alert) -> Delivery:
    return Delivery.objects.get(alert=alert)


def test_raising_plans_one_delivery_per_recipient_channel_and_area_group(line, volunteer, officer, outsider,
                                                                         person_a, village_a):
    services.my_channels_set(actor=officer, line_id=OFFICER_LINE, email="officer@example.org")
    services.my_channels_set(actor=volunteer, webhook_url="https://hooks.example.org/chumchon")
    services.my_channels_set(actor=outsider, line_id="U" + "2" * 32)
    services.area_channel_set(actor=officer, area_code=village_a.code, line_id=GROUP_LINE)
    alert = raise_alert(volunteer, person_a)
    planned = {(d.user.username if d.user else d.area_id, d.kind, d.target, d.status)
               for d in Delivery.objects.filter(alert=alert).select_related("user")}
    assert planned == {("officer", "line", OFFICER_LINE, "pending"),
                       ("officer", "email", "officer@example.org", "pending"),
                       ("vol_a", "webhook", "https://hooks.example.org/chumchon", "pending"),
                       (village_a.code, "line", GROUP_LINE, "pending")}


def test_line_is_off_when_the_server_has_no_channel_token(settings, volunteer, officer, person_a):
    officer_on_line(officer)
    settings.LINE_CHANNEL_TOKEN = ""
    assert not Delivery.objects.filter(alert=raise_alert(volunteer, person_a)).exists()


def test_line_push_is_sent_exactly_as_the_messaging_api_defines_it(line, volunteer, officer, person_a):
    officer_on_line(officer)
    alert = raise_alert(volunteer, person_a)
    delivery = only_delivery(alert)
    assert deliveries_send_due(now=delivery.next_attempt_at) == {"sent": 1, "retry": 0, "failed": 0}
    assert line.problems == []
    [request] = line.received
    assert request.headers["x-line-retry-key"] == str(delivery.retry_key)
    assert request.body["to"] == OFFICER_LINE
    text = request.body["messages"][0]["text"]
    assert "ผู้สูงอายุล้ม ไม่มีคนดูแล" in text and f"/alerts/{alert.pk}/" in text and "หมู่ 1" in text
    assert person_a.first_name not in text and person_a.national_id not in text
    delivery.refresh_from_db()
    assert delivery.status == DeliveryStatus.SENT and delivery.attempts == 1 and delivery.sent_at is not None
    assert list(delivery.attempt_log.values_list("outcome", "http_status")) == [("sent", 200)]


def test_a_text_longer_than_line_allows_is_cut_to_5000_characters(line, volunteer, officer, person_a, settings):
    # Titles are at most 200 characters (the database refuses more); a long site address in the
    # link is what can push a message past LINE's 5,000.
    officer_on_line(officer)
    alert = raise_alert(volunteer, person_a)
    settings.SITE_URL = "https://" + "a" * 6000 + ".example"
    deliveries_send_due(now=only_delivery(alert).next_attempt_at)
    assert line.problems == [] and len(line.received[0].body["messages"][0]["text"]) == 5000


def test_500_then_200_is_delivered_on_the_second_attempt_after_the_back_off(line, volunteer, officer, person_a):
    officer_on_line(officer)
    delivery = only_delivery(raise_alert(volunteer, person_a))
    start = delivery.next_attempt_at
    line.answer(Answer(500, body='{"message":"oops"}'), Answer(200))
    assert deliveries_send_due(now=start)["retry"] == 1
    delivery.refresh_from_db()
    assert delivery.status == DeliveryStatus.PENDING and delivery.next_attempt_at == start + timedelta(seconds=30)
    assert deliveries_send_due(now=start + timedelta(seconds=29)) == {"sent": 0, "retry": 0, "failed": 0}
    assert len(line.received) == 1  # nothing sent before the back-off is over
    assert deliveries_send_due(now=start + timedelta(seconds=31))["sent"] == 1
    delivery.refresh_from_db()
    assert delivery.status == DeliveryStatus.SENT and delivery.attempts == 2
    assert list(delivery.attempt_log.values_list("outcome", "http_status")) == [("retry", 500), ("sent", 200)]
    # the retry carried the same key, so LINE would not show the message twice
    assert line.received[0].headers["x-line-retry-key"] == line.received[1].headers["x-line-retry-key"]
    assert line.problems == []


def test_back_off_doubles_up_to_the_maximum(settings):
    settings.ALERT_RETRY_SECONDS, settings.ALERT_RETRY_MAX_SECONDS = 30, 200
    assert [backoff_seconds(n) for n in range(1, 6)] == [30, 60, 120, 200, 200]


def test_429_honours_retry_after(line, volunteer, officer, person_a):
    officer_on_line(officer)
    delivery = only_delivery(raise_alert(volunteer, person_a))
    start = delivery.next_attempt_at
    line.answer(Answer(429, {"Retry-After": "120"}, '{"message":"The API rate limit has been exceeded."}'),
                Answer(200))
    deliveries_send_due(now=start)
    delivery.refresh_from_db()
    assert delivery.status == DeliveryStatus.PENDING
    assert delivery.next_attempt_at == start + timedelta(seconds=120)  # not the 30 s back-off
    assert deliveries_send_due(now=start + timedelta(seconds=119))["sent"] == 0
    assert deliveries_send_due(now=start + timedelta(seconds=120))["sent"] == 1
    assert list(delivery.attempt_log.values_list("http_status", flat=True)) == [429, 200]


def test_line_down_stays_pending_with_attempts_listed_then_goes_out_when_it_returns(settings, line, volunteer,
                                                                                   officer, person_a):
    officer_on_line(officer)
    alert = raise_alert(volunteer, person_a)
    delivery = only_delivery(alert)
    start = delivery.next_attempt_at
    settings.LINE_API_BASE = closed_port_url()  # LINE unreachable: connection refused
    deliveries_send_due(now=start)
    deliveries_send_due(now=start + timedelta(seconds=31))
    delivery.refresh_from_db()
    assert delivery.status == DeliveryStatus.PENDING and delivery.attempts == 2
    attempts = list(delivery.attempt_log.all())
    assert [a.outcome for a in attempts] == ["retry", "retry"] and all("refused" in a.error.lower() for a in attempts)
    assert [a.at for a in attempts] == [start, start + timedelta(seconds=31)]
    assert delivery.next_attempt_at == start + timedelta(seconds=31 + 60)
    settings.LINE_API_BASE = line.url  # LINE is back
    assert deliveries_send_due(now=start + timedelta(seconds=91))["sent"] == 1
    assert only_delivery(alert).status == DeliveryStatus.SENT and line.problems == []


def test_400_fails_for_good_and_is_visible(line, volunteer, officer, person_a):
    officer_on_line(officer)
    alert = raise_alert(volunteer, person_a)
    delivery = only_delivery(alert)
    line.answer(Answer(400, body='{"message":"The property, \'to\', in the request body is invalid"}'))
    assert deliveries_send_due(now=delivery.next_attempt_at)["failed"] == 1
    delivery.refresh_from_db()
    assert delivery.status == DeliveryStatus.FAILED
    assert "400" in delivery.last_error and "invalid" in delivery.last_error
    assert AuditEntry.objects.filter(verb="alert.delivery_failed", object_id=str(alert.pk)).exists()
    assert deliveries_send_due(now=delivery.next_attempt_at + timedelta(days=1))["failed"] == 0
    assert len(line.received) == 1  # never tried again


def test_409_for_a_retry_key_line_already_accepted_counts_as_sent(line, volunteer, officer, person_a):
    officer_on_line(officer)
    delivery = only_delivery(raise_alert(volunteer, person_a))
    line.answer(Answer(409, {"x-line-accepted-request-id": "abc"}, '{"message":"The retry key is already accepted"}'))
    deliveries_send_due(now=delivery.next_attempt_at)
    delivery.refresh_from_db()
    assert delivery.status == DeliveryStatus.SENT


def test_a_delivery_claimed_by_another_worker_is_not_sent_twice(line, volunteer, officer, person_a):
    from chumchon.care.services.delivery import _claim

    officer_on_line(officer)
    delivery = only_delivery(raise_alert(volunteer, person_a))
    assert _claim(delivery, delivery.next_attempt_at)  # the other worker took it
    assert not _claim(delivery, delivery.next_attempt_at)
    assert deliveries_send_due(now=delivery.next_attempt_at) == {"sent": 0, "retry": 0, "failed": 0}
    assert line.received == []


def test_webhook_gets_the_alerts_few_public_fields_as_json(settings, volunteer, officer, person_a):
    settings.ALERT_WEBHOOK_PRIVATE_OK = True  # the fake receiver listens on 127.0.0.1
    with fake_http(line=False) as hook:
        services.my_channels_set(actor=officer, webhook_url=hook.url + "/in")
        alert = raise_alert(volunteer, person_a)
        deliveries_send_due(now=only_delivery(alert).next_attempt_at)
    [request] = hook.received
    assert request.path == "/in" and request.headers["content-type"] == "application/json"
    assert set(request.body) == {"alert_id", "title", "severity", "area_code", "area_name", "status",
                                 "escalation_level", "created_at", "link"}
    assert request.body["alert_id"] == alert.pk and request.body["severity"] == "urgent"
    flat = str(request.body)
    assert person_a.first_name not in flat and person_a.national_id not in flat


def test_webhook_500_is_retried_and_a_404_fails(settings, volunteer, officer, person_a):
    settings.ALERT_WEBHOOK_PRIVATE_OK = True
    with fake_http(line=False) as hook:
        services.my_channels_set(actor=officer, webhook_url=hook.url + "/in")
        delivery = only_delivery(raise_alert(volunteer, person_a))
        hook.answer(Answer(500), Answer(404))
        deliveries_send_due(now=delivery.next_attempt_at)
        delivery.refresh_from_db()
        assert delivery.status == DeliveryStatus.PENDING
        deliveries_send_due(now=delivery.next_attempt_at)
        delivery.refresh_from_db()
        assert delivery.status == DeliveryStatus.FAILED
        assert list(delivery.attempt_log.values_list("http_status", flat=True)) == [500, 404]
        assert delivery.last_error == "HTTP 404"  # the receiver's answer is not shown to others


def test_webhook_to_the_servers_own_network_is_refused(settings, volunteer, officer, person_a):
    settings.ALERT_WEBHOOK_PRIVATE_OK = False
    with fake_http(line=False) as hook:
        for url in (hook.url + "/in", "http://169.254.169.254/latest/meta-data", "http://10.0.0.5/hook"):
            services.my_channels_set(actor=officer, webhook_url=url)
            delivery = only_delivery(raise_alert(volunteer, person_a))
            deliveries_send_due(now=delivery.next_attempt_at)
            delivery.refresh_from_db()
            assert delivery.status == DeliveryStatus.FAILED and "refused" in delivery.last_error
            Delivery.objects.all().delete()
    assert hook.received == []


@pytest.fixture
def smtp(settings: Any) -> Any:
    with fake_smtp() as server:
        settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
        settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", server.port
        settings.EMAIL_USE_TLS = False
        yield server


def test_email_goes_out_through_smtp(smtp, volunteer, officer, person_a):
    services.my_channels_set(actor=officer, email="officer@example.org")
    alert = raise_alert(volunteer, person_a)
    assert deliveries_send_due(now=only_delivery(alert).next_attempt_at)["sent"] == 1
    [mail] = smtp.messages
    assert mail["to"] == ["officer@example.org"] and f"/alerts/{alert.pk}/" in mail["data"]


def test_email_to_a_mailbox_that_does_not_exist_fails(smtp, volunteer, officer, person_a):
    smtp.refuse.add("gone@example.org")
    services.my_channels_set(actor=officer, email="gone@example.org")
    delivery = only_delivery(raise_alert(volunteer, person_a))
    deliveries_send_due(now=delivery.next_attempt_at)
    delivery.refresh_from_db()
    assert delivery.status == DeliveryStatus.FAILED and "550" in delivery.last_error


def test_mail_server_down_keeps_the_email_pending(settings, smtp, volunteer, officer, person_a):
    services.my_channels_set(actor=officer, email="officer@example.org")
    delivery = only_delivery(raise_alert(volunteer, person_a))
    settings.EMAIL_PORT = int(closed_port_url().rsplit(":", 1)[1])
    deliveries_send_due(now=delivery.next_attempt_at)
    delivery.refresh_from_db()
    assert delivery.status == DeliveryStatus.PENDING and delivery.attempts == 1 and delivery.last_error
    settings.EMAIL_PORT = smtp.port
    deliveries_send_due(now=delivery.next_attempt_at)
    delivery.refresh_from_db()
    assert delivery.status == DeliveryStatus.SENT and len(smtp.messages) == 1


def test_channels_refuse_bad_addresses_with_a_clear_reason(officer):
    from django.core.exceptions import ValidationError

    for field, value in (("email", "not-an-address"), ("line_id", "somchai_line"), ("line_id", "0812345678"),
                         ("webhook_url", "ftp://example.org/x"), ("webhook_url", "hooks.example.org")):
        with pytest.raises(ValidationError) as caught:
            services.my_channels_set(actor=officer, **{field: value})
        assert field in caught.value.message_dict
    assert not AlertChannel.objects.filter(user=officer).exists()


def test_an_empty_value_turns_a_channel_off_and_changes_are_audited(officer):
    services.my_channels_set(actor=officer, email="officer@example.org", line_id=OFFICER_LINE)
    services.my_channels_set(actor=officer, email="officer@example.org")
    assert list(AlertChannel.objects.filter(user=officer).values_list("kind", flat=True)) == [ChannelKind.EMAIL]
    assert AuditEntry.objects.filter(verb="alert_channels.update", actor=officer).count() == 2


def test_area_line_group_is_set_by_an_officer_of_the_area_only(officer, volunteer, outsider, village_a):
    from django.http import Http404

    services.area_channel_set(actor=officer, area_code=village_a.code, line_id=GROUP_LINE)
    assert AlertChannel.objects.get(area=village_a).target == GROUP_LINE
    for user in (volunteer, outsider):  # a volunteer does not manage the area; the outsider is elsewhere
        with pytest.raises(Http404):
            services.area_channel_set(actor=user, area_code=village_a.code, line_id="")
    assert AlertChannel.objects.filter(area=village_a).exists()


def test_a_channel_that_does_not_answer_is_tried_once_per_pass(settings, line, volunteer, officer, person_a):
    officer_on_line(officer)
    first = only_delivery(raise_alert(volunteer, person_a))
    second = only_delivery(raise_alert(volunteer, person_a, title="อีกเรื่อง"))
    settings.LINE_API_BASE = closed_port_url()
    moment = max(first.next_attempt_at, second.next_attempt_at)
    assert deliveries_send_due(now=moment) == {"sent": 0, "retry": 1, "failed": 0}
    assert sorted(Delivery.objects.values_list("attempts", flat=True)) == [0, 1]  # the other waits, untried
    settings.LINE_API_BASE = line.url
    assert deliveries_send_due(now=moment + timedelta(seconds=31))["sent"] == 2


def test_a_message_the_mail_server_refuses_for_good_fails(smtp, volunteer, officer, person_a):
    smtp.refuse_data = True
    services.my_channels_set(actor=officer, email="officer@example.org")
    delivery = only_delivery(raise_alert(volunteer, person_a))
    deliveries_send_due(now=delivery.next_attempt_at)
    delivery.refresh_from_db()
    assert delivery.status == DeliveryStatus.FAILED and "554" in delivery.last_error


def test_retry_after_is_read_as_seconds_or_as_an_http_date():
    from datetime import UTC, datetime

    from chumchon.care.channels.base import retry_after_seconds

    now = datetime(2026, 11, 30, 8, 0, tzinfo=UTC)
    assert retry_after_seconds("120", now=now) == 120
    assert retry_after_seconds("Mon, 30 Nov 2026 08:02:30 GMT", now=now) == 150
    assert retry_after_seconds("Mon, 30 Nov 2026 07:00:00 GMT", now=now) == 0  # already past: now
    assert retry_after_seconds("soon", now=now) is None and retry_after_seconds(None) is None


def test_each_delivery_has_its_own_retry_key(line, volunteer, officer, person_a, village_a):
    officer_on_line(officer)
    services.area_channel_set(actor=officer, area_code=village_a.code, line_id=GROUP_LINE)
    alert = raise_alert(volunteer, person_a)
    deliveries_send_due(now=max(d.next_attempt_at for d in Delivery.objects.filter(alert=alert)))
    keys = {r.headers["x-line-retry-key"] for r in line.received}
    assert len(line.received) == 2 and len(keys) == 2 and line.problems == []
    assert {r.body["to"] for r in line.received} == {OFFICER_LINE, GROUP_LINE}


def test_when_the_person_moves_the_new_villages_people_get_the_open_alert_on_their_channels(
        line, volunteer, officer, person_a, village_b):
    from chumchon.accounts.roles import Role
    from chumchon.conftest import make_user
    from chumchon.people.services import household_create, person_move

    officer_on_line(officer)
    volunteer_b = make_user("vol_b", Role.VOLUNTEER, village_b.code)
    services.my_channels_set(actor=volunteer_b, line_id="U" + "b" * 32)
    services.area_channel_set(actor=officer, area_code=village_b.code, line_id=GROUP_LINE)
    alert = raise_alert(volunteer, person_a)
    person_move(actor=officer, person=person_a, to_household=household_create(actor=officer, area_code=village_b.code,
                                                                              house_no="7"))
    targets = set(Delivery.objects.filter(alert=alert).values_list("target", flat=True))
    assert targets == {OFFICER_LINE, "U" + "b" * 32, GROUP_LINE}  # the officer's is not doubled
