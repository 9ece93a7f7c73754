"""A generic webhook: POST the alert's few public fields as JSON to the URL the user gave."""

from __future__ import annotations

from typing import Any

from chumchon.care.channels.base import Message, Result, post_json


def send(delivery: Any, message: Message) -> Result:
    return post_json(delivery.target, message.payload, {"User-Agent": "Chumchon-alerts/1"})
