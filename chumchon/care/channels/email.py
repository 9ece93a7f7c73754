"""E-mail through Django's mail (SMTP in production). A recipient the server refuses for good (5xx)
fails the delivery; anything else (server down, busy, login refused) is retried.

Attempts are shown to everyone who can see the alert, and a mail server's reply often repeats the
recipient's address (``550 5.1.1 <name@example.org>: no such user``), so only the SMTP code is kept,
with a fixed phrase."""

from __future__ import annotations

import smtplib
from typing import Any

from django.conf import settings
from django.core.mail import send_mail

from chumchon.care.channels.base import Message, Result


def send(delivery: Any, message: Message) -> Result:
    try:
        send_mail(message.subject, message.text, settings.DEFAULT_FROM_EMAIL, [delivery.target],
                  fail_silently=False)
    except smtplib.SMTPRecipientsRefused as exc:
        codes = sorted({int(code) for code, _ in exc.recipients.values()})
        error = "SMTP " + ", ".join(str(code) for code in codes) + " recipient refused"
        if codes and all(500 <= code < 600 for code in codes):
            return Result.failed(error=error)
        return Result.retry(error=error)
    except smtplib.SMTPDataError as exc:  # the server refused this message itself
        error = f"SMTP {exc.smtp_code} message refused"
        return Result.failed(error=error) if exc.smtp_code >= 500 else Result.retry(error=error)
    except smtplib.SMTPResponseException as exc:  # sender refused, login refused, busy: the server's side
        return Result.retry(error=f"SMTP {exc.smtp_code} mail server refused ({type(exc).__name__})")
    except smtplib.SMTPException as exc:
        return Result.retry(error=f"{type(exc).__name__}: mail server error")
    except OSError as exc:  # the mail server is down or unreachable (says nothing of the recipient)
        return Result.retry(error=f"{type(exc).__name__}: {exc.strerror or exc}")
    return Result.sent()
