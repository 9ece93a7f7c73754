"""LINE Messaging API push: ``POST {LINE_API_BASE}/v2/bot/message/push`` to a user, group or room id,
with the delivery's retry key so that a push LINE already accepted is not sent twice."""

from __future__ import annotations

from typing import Any

from django.conf import settings

from chumchon.care.channels.base import Message, Result, post_json

MAX_TEXT = 5000  # LINE's limit for one text message


def send(delivery: Any, message: Message) -> Result:
    token = settings.LINE_CHANNEL_TOKEN
    if not token:
        return Result.retry(error="LINE channel token is not set (CHUMCHON_LINE_CHANNEL_TOKEN)")
    text = message.text if len(message.text) <= MAX_TEXT else message.text[:MAX_TEXT - 1] + "…"
    result = post_json(f"{settings.LINE_API_BASE}/v2/bot/message/push",
                       {"to": delivery.target, "messages": [{"type": "text", "text": text}]},
                       {"Authorization": f"Bearer {token}", "X-Line-Retry-Key": str(delivery.retry_key)})
    if result.http_status == 409:
        # LINE answers 409 to a retry key it has already accepted: the message went out before.
        return Result.sent(409)
    return result
