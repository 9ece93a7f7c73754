"""Senders, one module per channel. Each takes a Delivery and the message and answers a Result:
sent, retry (the channel was down, busy or broken: try again later) or failed (the channel refused
this message for good, e.g. an unknown LINE id). A sender never raises."""

from __future__ import annotations

from typing import Any

from django.conf import settings

from chumchon.care.channels.base import Message, Result
from chumchon.care.models import ChannelKind


def enabled(kind: str) -> bool:
    """Is the channel set up on this server? LINE needs the channel token, e-mail a mail server."""
    if kind == ChannelKind.LINE:
        return bool(settings.LINE_CHANNEL_TOKEN)
    if kind == ChannelKind.EMAIL:
        return bool(settings.EMAIL_HOST) or not settings.EMAIL_BACKEND.endswith("smtp.EmailBackend")
    return kind == ChannelKind.WEBHOOK


def send(delivery: Any, message: Message) -> Result:
    from chumchon.care.channels import email, line, webhook

    senders = {ChannelKind.LINE: line.send, ChannelKind.EMAIL: email.send, ChannelKind.WEBHOOK: webhook.send}
    sender = senders.get(delivery.kind)
    if sender is None:
        return Result.failed(error=f"unknown channel {delivery.kind}")
    try:
        return sender(delivery, message)
    except Exception as exc:  # a bug or an odd answer in one sender must not stop the others
        return Result.retry(error=f"{type(exc).__name__}: {exc}")


__all__ = ["Message", "Result", "enabled", "send"]
