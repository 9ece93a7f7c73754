"""E-mail through Django's mail (SMTP in production). A recipient the server refuses for good (5xx)
fails the delivery; anything else (server down, busy, login refused) is retried."""

from __future__ import annotations

import smtplib
from typing import Any

from django.conf import settings
from django.core.mail import send_mail

from chumchon.care.channels.base import Message, Result


def _text(reply: bytes | str) -> str:
    return reply.decode("utf-8", "replace") if isinstance(reply, bytes) else str(reply)


def send(delivery: Any, message: Message) -> Result:
    try:
        send_mail(message.subject, message.text, settings.DEFAULT_FROM_EMAIL, [delivery.target],
                  fail_silently=False)
    except smtplib.SMTPRecipientsRefused as exc:
        codes = [code for code, _ in exc.recipients.values()]
        error = "; ".join(f"{code} {_text(reply)}" for code, reply in exc.recipients.values())
        if codes and all(500 <= code < 600 for code in codes):
            return Result.failed(error=f"SMTP {error}")
        return Result.retry(error=f"SMTP {error}")
    except smtplib.SMTPDataError as exc:  # the server refused this message itself
        error = f"SMTP {exc.smtp_code} {_text(exc.smtp_error)}"
        return Result.failed(error=error) if exc.smtp_code >= 500 else Result.retry(error=error)
    except smtplib.SMTPResponseException as exc:  # sender refused, login refused, busy: the server's side
        return Result.retry(error=f"SMTP {exc.smtp_code} {_text(exc.smtp_error)}")
    except (smtplib.SMTPException, OSError) as exc:
        return Result.retry(error=f"{type(exc).__name__}: {exc}")
    return Result.sent()
