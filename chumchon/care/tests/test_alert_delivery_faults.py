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
