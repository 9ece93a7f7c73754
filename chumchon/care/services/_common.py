"""Small helpers shared by the plan, referral and tambon-plan services."""

from __future__ import annotations

from datetime import date
from decimal import Decimal, InvalidOperation
from typing import Any

from django.core.exceptions import ValidationError
from django.http import Http404
from django.utils.translation import gettext as _

from chumchon.accounts.roles import Capability
from chumchon.accounts.scoping import can
from chumchon.core.thai import ThaiDateError, parse_thai_date
from chumchon.people.models import Person
from chumchon.people.validation import today

HEALTH = Capability.VIEW_HEALTH
RECORD = Capability.RECORD_VISITS
APPROVE = Capability.APPROVE_PLANS


def may_plan(user: Any, area_code: str) -> bool:
    """Writing plans and referrals needs health data and visits in the person's village."""
    return can(user, HEALTH, area_code) and can(user, RECORD, area_code)


def planned_person(actor: Any, person_id: Any) -> Person:
    """The person, if the actor may write plans for them; 404 otherwise (also when unknown)."""
    person = Person.objects.select_related("household", "area").filter(pk=person_id).first()
    if person is None or not may_plan(actor, person.area_code):
        raise Http404("not found")
    return person


def clean_text(value: Any, *, field: str, max_length: int, required: bool = True,
               message: str | None = None) -> str:
    text = " ".join(str(value or "").split()) if max_length <= 300 else str(value or "").strip()
    if required and not text:
        raise ValidationError({field: message or _("This field is required.")})
    if len(text) > max_length:
        raise ValidationError({field: _("Keep this under %(n)s characters.") % {"n": max_length}})
    return text


def clean_date(value: date | str | None, *, field: str, required: bool = False, past_only: bool = False) -> date | None:
    if value is None or value == "":
        if required:
            raise ValidationError({field: _("Enter a date.")})
        return None
    if isinstance(value, date):
        day = value
    else:
        try:
            day = parse_thai_date(str(value)).value
        except ThaiDateError as error:
            raise ValidationError({field: str(error)}) from None
    if past_only and day > today():
        raise ValidationError({field: _("The date cannot be in the future.")})
    return day


def clean_decimal(value: Any, *, field: str) -> Decimal | None:
    if value is None or value == "":
        return None
    try:
        number = Decimal(str(value).strip().replace(",", ""))
    except (InvalidOperation, ValueError):
        raise ValidationError({field: _("Enter a number.")}) from None
    if not number.is_finite() or abs(number) >= Decimal("1e10"):
        raise ValidationError({field: _("Enter a number.")})
    return number
