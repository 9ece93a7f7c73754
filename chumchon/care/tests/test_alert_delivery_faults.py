"""Faults a review found in alert delivery: webhooks led elsewhere by redirects or DNS, endless
Retry-After, national IDs leaving the server, one channel that is down holding up the others,
SMTP answers shown to everyone, deliveries retried for ever, a message that cannot be built."""

from __future__ import annotations

import socket
from datetime import timedelta
from typing import Any

import pytest

from chumchon.care import services
from chumchon.care.models import Alert, Delivery, DeliveryStatus
from chumchon.care.services.delivery import deliveries_send_due
from chumchon.care.tests.fakes import LINE_TOKEN, Answer, fake_http

OFFICER_LINE = "U" + "1" * 32


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


def only_delivery(alert: Alert) -> Delivery:
    return Delivery.objects.get(alert=alert)


def fake_dns(monkeypatch: Any, answers: dict[str, list[list[str]]]) -> None:
    """``host`` → one list of addresses per lookup (the last one repeats); other hosts as usual."""
    real = socket.getaddrinfo

    def getaddrinfo(host: Any, port: Any, *args: Any, **kwargs: Any) -> Any:
        if host in answers:
            queue = answers[host]
            addresses = queue[0] if len(queue) == 1 else queue.pop(0)
            return [(socket.AF_INET, socket.SOCK_STREAM, socket.IPPROTO_TCP, "", (address, port or 80))
                    for address in addresses]
        return real(host, port, *args, **kwargs)

    monkeypatch.setattr(socket, "getaddrinfo", getaddrinfo)


# 1. Webhooks: no redirects, only public addresses, and the address checked is the one connected to.

def test_a_webhook_answering_302_is_not_followed_and_the_delivery_fails(settings, volunteer, officer, person_a):
    settings.ALERT_WEBHOOK_PRIVATE_OK = True  # both fakes listen on 127.0.0.1
    with fake_http(line=False) as inside, fake_http(line=False) as hook:
        hook.answer(Answer(302, {"Location": inside.url + "/admin/delete-everything"}))
        services.my_channels_set(actor=officer, webhook_url=hook.url + "/in")
        delivery = only_delivery(raise_alert(volunteer, person_a))
        deliveries_send_due(now=delivery.next_attempt_at)
        assert len(hook.received) == 1
        assert inside.received == []  # nothing reached the server the redirect named
    delivery.refresh_from_db()
    assert delivery.status == DeliveryStatus.FAILED and delivery.attempts == 1
    assert list(delivery.attempt_log.values_list("outcome", "http_status")) == [("failed", 302)]


def test_line_answering_a_redirect_is_not_followed_either(line, volunteer, officer, person_a):
    with fake_http(line=False) as elsewhere:
        line.answer(Answer(302, {"Location": elsewhere.url + "/v2/bot/message/push"}))
        services.my_channels_set(actor=officer, line_id=OFFICER_LINE)
        delivery = only_delivery(raise_alert(volunteer, person_a))
        deliveries_send_due(now=delivery.next_attempt_at)
        assert elsewhere.received == []
    delivery.refresh_from_db()
    assert delivery.status == DeliveryStatus.FAILED and "302" in delivery.last_error


@pytest.mark.parametrize("address", ["100.64.3.4", "127.0.0.1", "10.1.2.3", "192.168.1.1", "169.254.169.254",
                                     "0.0.0.0", "198.18.0.1"])
def test_a_webhook_host_resolving_to_a_non_public_address_is_refused(monkeypatch, settings, volunteer, officer,
                                                                      person_a, address):
    settings.ALERT_WEBHOOK_PRIVATE_OK = False
    fake_dns(monkeypatch, {"hooks.example.org": [["93.184.216.34", address]]})  # one good, one bad
    services.my_channels_set(actor=officer, webhook_url="http://hooks.example.org/in")
    delivery = only_delivery(raise_alert(volunteer, person_a))
    deliveries_send_due(now=delivery.next_attempt_at)
    delivery.refresh_from_db()
    assert delivery.status == DeliveryStatus.FAILED
    assert "refused" in delivery.last_error and address in delivery.last_error


def test_a_webhook_host_whose_dns_changes_after_the_check_is_refused_at_connection(monkeypatch, settings,
                                                                                   volunteer, officer, person_a):
    settings.ALERT_WEBHOOK_PRIVATE_OK = False
    with fake_http(line=False) as inside:
        port = inside.server.server_address[1]
        # first lookup (the check) public, every later one (a rebinding attack) the server itself
        fake_dns(monkeypatch, {"hooks.example.org": [["93.184.216.34"], ["127.0.0.1"]]})
        services.my_channels_set(actor=officer, webhook_url=f"http://hooks.example.org:{port}/in")
        delivery = only_delivery(raise_alert(volunteer, person_a))
        deliveries_send_due(now=delivery.next_attempt_at)
        assert inside.received == []
    delivery.refresh_from_db()
    assert delivery.status == DeliveryStatus.FAILED and "127.0.0.1" in delivery.last_error


# 2. Retry-After is capped.

@pytest.mark.parametrize("retry_after", ["999999999999", "86400", "9" * 400])
def test_a_huge_retry_after_waits_the_maximum_and_the_pass_goes_on(line, settings, volunteer, officer, person_a,
                                                                   retry_after):
    services.my_channels_set(actor=officer, line_id=OFFICER_LINE)
    delivery = only_delivery(raise_alert(volunteer, person_a))
    start = delivery.next_attempt_at
    line.answer(Answer(429, {"Retry-After": retry_after}), Answer(200))
    assert deliveries_send_due(now=start) == {"sent": 0, "retry": 1, "failed": 0}
    delivery.refresh_from_db()
    assert delivery.status == DeliveryStatus.PENDING
    assert delivery.next_attempt_at == start + timedelta(seconds=settings.ALERT_RETRY_MAX_SECONDS)
    assert deliveries_send_due(now=delivery.next_attempt_at)["sent"] == 1


# 3. No national ID leaves the server, even in a title typed by hand.

def test_a_national_id_typed_in_a_title_reaches_line_and_webhooks_masked(line, settings, volunteer, officer,
                                                                         person_a):
    from chumchon.core.thai import national_id_check_digit

    first12 = "110170012345"
    national_id = first12 + str(national_id_check_digit(first12))
    spaced = f"{national_id[0]}-{national_id[1:5]}-{national_id[5:10]}-{national_id[10:12]}-{national_id[12]}"
    settings.ALERT_WEBHOOK_PRIVATE_OK = True
    with fake_http(line=False) as hook:
        services.my_channels_set(actor=officer, line_id=OFFICER_LINE)
        services.my_channels_set(actor=volunteer, webhook_url=hook.url + "/in")
        alert = raise_alert(volunteer, person_a, title=f"นายสมชาย {national_id} และ {spaced} ล้มในบ้าน")
        moment = max(Delivery.objects.filter(alert=alert).values_list("next_attempt_at", flat=True))
        assert deliveries_send_due(now=moment)["sent"] == 2
        [pushed], [posted] = line.received, hook.received
    outbound = pushed.body["messages"][0]["text"] + str(posted.body)
    assert "ล้มในบ้าน" in outbound
    for form in (national_id, spaced, national_id[:12]):
        assert form not in outbound
    assert line.problems == []


# 4. A channel that is down does not hold up the others.

def test_250_due_rows_for_a_line_that_is_down_do_not_hold_up_an_email(settings, line, volunteer, officer,
                                                                      person_a):
    from chumchon.care.models import ChannelKind
    from chumchon.care.tests.fakes import closed_port_url, fake_smtp

    alert = raise_alert(volunteer, person_a)
    start = alert.created_at
    Delivery.objects.bulk_create([Delivery(alert=alert, kind=ChannelKind.LINE, target="U" + f"{n:032x}",
                                           next_attempt_at=start - timedelta(minutes=10, seconds=-n))
                                  for n in range(250)])
    settings.LINE_API_BASE = closed_port_url()  # LINE down: connection refused
    with fake_smtp() as smtp:
        settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
        settings.EMAIL_HOST, settings.EMAIL_PORT, settings.EMAIL_USE_TLS = "127.0.0.1", smtp.port, False
        email = Delivery.objects.create(alert=alert, user=officer, kind=ChannelKind.EMAIL,
                                        target="officer@example.org", next_attempt_at=start)
        assert deliveries_send_due(now=start) == {"sent": 1, "retry": 1, "failed": 0}
        assert len(smtp.messages) == 1
    email.refresh_from_db()
    assert email.status == DeliveryStatus.SENT
    lines = Delivery.objects.filter(kind=ChannelKind.LINE)
    assert sum(lines.values_list("attempts", flat=True)) == 1  # LINE was tried once, the rest put off
    assert not lines.filter(next_attempt_at__lte=start).exists()
    assert lines.filter(status=DeliveryStatus.PENDING).count() == 250


def test_a_429_puts_off_the_other_rows_of_that_channel_for_the_pass(line, volunteer, officer, person_a):
    from chumchon.care.models import ChannelKind

    alert = raise_alert(volunteer, person_a)
    start = alert.created_at
    Delivery.objects.bulk_create([Delivery(alert=alert, kind=ChannelKind.LINE, target="U" + f"{n:032x}",
                                           next_attempt_at=start) for n in range(5)])
    line.answer(Answer(429, {"Retry-After": "120"}), Answer(200))
    assert deliveries_send_due(now=start) == {"sent": 0, "retry": 1, "failed": 0}
    assert len(line.received) == 1
    assert set(Delivery.objects.values_list("next_attempt_at", flat=True)) == {start + timedelta(seconds=120)}
    assert set(Delivery.objects.values_list("attempts", flat=True)) == {0, 1}


# 11. Deliveries are not retried for ever, nor sent to people who have left.

def test_a_delivery_still_pending_after_the_give_up_age_fails_visibly(settings, line, volunteer, officer, person_a):
    settings.ALERT_DELIVERY_GIVE_UP_HOURS = 72
    services.my_channels_set(actor=officer, line_id=OFFICER_LINE)
    delivery = only_delivery(raise_alert(volunteer, person_a))
    Delivery.objects.filter(pk=delivery.pk).update(created_at=delivery.created_at - timedelta(hours=73))
    assert deliveries_send_due(now=delivery.next_attempt_at) == {"sent": 0, "retry": 0, "failed": 1}
    assert line.received == []
    delivery.refresh_from_db()
    assert delivery.status == DeliveryStatus.FAILED and "gave up" in delivery.last_error
    assert list(delivery.attempt_log.values_list("outcome", "error")) == [
        ("failed", "gave up: not delivered within 72 hours")]


def test_a_delivery_younger_than_the_give_up_age_is_still_sent(settings, line, volunteer, officer, person_a):
    settings.ALERT_DELIVERY_GIVE_UP_HOURS = 72
    services.my_channels_set(actor=officer, line_id=OFFICER_LINE)
    delivery = only_delivery(raise_alert(volunteer, person_a))
    Delivery.objects.filter(pk=delivery.pk).update(created_at=delivery.created_at - timedelta(hours=71))
    assert deliveries_send_due(now=delivery.next_attempt_at)["sent"] == 1


def test_a_recipient_who_is_no_longer_active_is_not_sent_to(line, volunteer, officer, person_a):
    services.my_channels_set(actor=officer, line_id=OFFICER_LINE)
    delivery = only_delivery(raise_alert(volunteer, person_a))
    officer.is_active = False
    officer.save(update_fields=["is_active"])
    assert deliveries_send_due(now=delivery.next_attempt_at)["failed"] == 1
    assert line.received == []
    delivery.refresh_from_db()
    assert delivery.status == DeliveryStatus.FAILED and "no longer an active user" in delivery.last_error


# 12. A message that cannot be built fails only its own delivery.

def test_an_alert_whose_message_cannot_be_built_does_not_stop_the_others(monkeypatch, line, volunteer, officer,
                                                                         person_a):
    from chumchon.care.services import delivery as delivery_module

    services.my_channels_set(actor=officer, line_id=OFFICER_LINE)
    broken = only_delivery(raise_alert(volunteer, person_a, title="เสีย"))
    good = only_delivery(raise_alert(volunteer, person_a, title="ดี"))
    real = delivery_module.alert_message

    def alert_message(alert: Alert) -> Any:
        if alert.pk == broken.alert_id:
            raise KeyError("broken translation")
        return real(alert)

    monkeypatch.setattr(delivery_module, "alert_message", alert_message)
    moment = max(broken.next_attempt_at, good.next_attempt_at)
    assert deliveries_send_due(now=moment) == {"sent": 1, "retry": 1, "failed": 0}
    broken.refresh_from_db()
    good.refresh_from_db()
    assert good.status == DeliveryStatus.SENT and len(line.received) == 1
    assert broken.status == DeliveryStatus.PENDING and "could not build the message" in broken.last_error


# 6. A mail server's reply (which repeats the address) is not shown to the alert's other viewers.

@pytest.fixture
def smtp(settings: Any) -> Any:
    from chumchon.care.tests.fakes import fake_smtp

    with fake_smtp() as server:
        settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
        settings.EMAIL_HOST, settings.EMAIL_PORT, settings.EMAIL_USE_TLS = "127.0.0.1", server.port, False
        yield server


def test_an_smtp_refusal_keeps_the_code_but_not_the_address_the_server_repeated(smtp, client, volunteer,
                                                                                officer, person_a):
    smtp.refuse.add("somchai.private@example.org")
    services.my_channels_set(actor=officer, email="somchai.private@example.org")
    delivery = only_delivery(raise_alert(volunteer, person_a))
    deliveries_send_due(now=delivery.next_attempt_at)
    delivery.refresh_from_db()
    assert delivery.status == DeliveryStatus.FAILED
    [attempt] = delivery.attempt_log.all()
    for text in (delivery.last_error, attempt.error):
        assert text.startswith("SMTP 550") and "somchai" not in text
    client.force_login(volunteer)  # another recipient opens the alert
    page = client.get(f"/alerts/{delivery.alert_id}/").content.decode()
    assert "SMTP 550" in page and "somchai.private" not in page


def test_a_message_refused_by_smtp_keeps_only_the_code(smtp, volunteer, officer, person_a):
    smtp.refuse_data = True
    services.my_channels_set(actor=officer, email="somchai.private@example.org")
    delivery = only_delivery(raise_alert(volunteer, person_a))
    deliveries_send_due(now=delivery.next_attempt_at)
    delivery.refresh_from_db()
    assert delivery.status == DeliveryStatus.FAILED
    assert delivery.last_error == "SMTP 554 message refused"


def test_one_mailbox_the_server_cannot_take_now_does_not_hold_up_the_other_emails(smtp, volunteer, officer,
                                                                                  person_a):
    smtp.greylist.add("busy@example.org")
    services.my_channels_set(actor=volunteer, email="busy@example.org")
    services.my_channels_set(actor=officer, email="officer@example.org")
    alert = raise_alert(volunteer, person_a)
    moment = max(Delivery.objects.filter(alert=alert).values_list("next_attempt_at", flat=True))
    assert deliveries_send_due(now=moment) == {"sent": 1, "retry": 1, "failed": 0}
    busy = Delivery.objects.get(alert=alert, target="busy@example.org")
    assert busy.status == DeliveryStatus.PENDING and busy.last_error == "SMTP 450 recipient refused"
    assert [m["to"] for m in smtp.messages] == [["officer@example.org"]]
