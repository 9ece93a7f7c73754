"""Referral writes. Sent by someone who plans care in the person's village; answered (accept,
decline with a reason, done with what was done) by the staff of the receiving organisation.

States: sent → accepted → completed; sent → declined; sent or accepted → withdrawn by the sender's area.
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _

from chumchon.accounts.models import Membership
from chumchon.accounts.roles import Role
from chumchon.care.models import Action, Referral, ReferralStatus
from chumchon.care.services._common import clean_date, clean_text, may_plan, planned_person
from chumchon.care.services.plans import service_covers
from chumchon.core.audit import log_action
from chumchon.network.models import OrganisationStaff, Service
from chumchon.people.models import PersonStatus
from chumchon.people.validation import today

DEFAULT_ANSWER_DAYS = 7


def answer_days() -> int:
    """Days an organisation has to answer a referral (CHUMCHON_REFERRAL_ANSWER_DAYS, default 7)."""
    return int(getattr(settings, "REFERRAL_ANSWER_DAYS", DEFAULT_ANSWER_DAYS))


def is_agency_staff(user: Any, organisation_id: int) -> bool:
    """Staff of the organisation (OrganisationStaff) holding the agency staff role somewhere."""
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return False
    return (OrganisationStaff.objects.filter(user=user, organisation_id=organisation_id).exists()
            and Membership.objects.filter(user=user, role=Role.AGENCY_STAFF).exists())


@transaction.atomic
def referrals_log_read(*, actor: Any, referrals: list[Referral], via: str = "web") -> None:
    """A read of people's names by an agency (queue, list): one audit entry in each person's area (PDPA)."""
    for area_code in sorted({referral.area_code for referral in referrals}):
        log_action(actor=actor, verb="referral.list", object_type="care.referral", area_code=area_code,
                   data={"referrals": [r.pk for r in referrals if r.area_code == area_code], "via": via})


def referral_create(*, actor: Any, person_id: int, service_id: int, reason: str, organisation_id: int | None = None,
                    answer_due_on: Any = None, action_id: int | None = None) -> Referral:
    """Refer a person to a service. Refused when the organisation does not offer that service or the
    service does not cover the person's village."""
    person = planned_person(actor, person_id)
    if person.status != PersonStatus.ACTIVE:
        raise ValidationError({"person_id": _("This person no longer lives here.")})
    service = Service.objects.select_related("organisation").filter(pk=service_id).first()
    if service is None:
        raise ValidationError({"service_id": _("No such service.")})
    if organisation_id is not None and service.organisation_id != organisation_id:
        raise ValidationError({"service_id": _("This organisation does not offer that service.")})
    if not service.is_active or not service.organisation.is_active:
        raise ValidationError({"service_id": _("This service is no longer offered.")})
    if not service_covers(service, person.area_code):
        raise ValidationError({"service_id": _("This service does not cover the person's village.")})
    reason = clean_text(reason, field="reason", max_length=4000,
                        message=_("Say why the person is referred and what they need."))
    due = clean_date(answer_due_on, field="answer_due_on") or today() + timedelta(days=answer_days())
    if due < today():
        raise ValidationError({"answer_due_on": _("The answer date cannot be in the past.")})
    action = None
    if action_id is not None:
        action = Action.objects.select_related("goal__plan").filter(pk=action_id,
                                                                    goal__plan__person=person).first()
        if action is None:
            raise ValidationError({"action_id": _("Choose an action of this person's plan.")})
    referral = Referral.objects.create(person=person, organisation=service.organisation, service=service,
                                       reason=reason, answer_due_on=due, referred_by=actor)
    if action is not None:
        action.referral = referral
        action.organisation_id = service.organisation_id
        action.service = service
        action.save(update_fields=["referral", "organisation", "service", "updated_at"])
    log_action(actor=actor, verb="referral.create", obj=referral,
               data={"person": person.pk, "service": service.pk, "organisation": service.organisation_id,
                     "action": action_id})
    return referral


def _locked_for_agency(actor: Any, referral_id: int) -> Referral:
    referral = Referral.objects.select_for_update().select_related("person").filter(pk=referral_id).first()
    if referral is None:
        raise Http404("not found")
    if not is_agency_staff(actor, referral.organisation_id):
        # The person's area sees the referral but may not answer for the organisation.
        if may_plan(actor, referral.area_code):
            raise ValidationError({"status": _("Only the staff of the receiving organisation can answer.")})
        raise Http404("not found")
    return referral


def _move(actor: Any, referral: Referral, allowed: tuple[str, ...], to: str, verb: str, fields: list[str],
          data: dict[str, Any]) -> Referral:
    if referral.status not in allowed:
        raise ValidationError({"status": _("This referral is “%(status)s” and cannot change that way.") % {
            "status": referral.get_status_display()}})
    before = referral.status
    referral.status = to
    referral.save(update_fields=["status", *fields])
    log_action(actor=actor, verb=verb, obj=referral, data={"from": before, "to": to, **data})
    return referral


@transaction.atomic
def referral_accept(*, actor: Any, referral_id: int, note: str = "") -> Referral:
    referral = _locked_for_agency(actor, referral_id)
    referral.answered_by, referral.answered_at = actor, timezone.now()
    note = clean_text(note, field="note", max_length=2000, required=False)
    if note:
        referral.outcome_note = note
    return _move(actor, referral, (ReferralStatus.SENT,), ReferralStatus.ACCEPTED, "referral.accept",
                 ["answered_by", "answered_at", "outcome_note"], {"note": note})


@transaction.atomic
def referral_decline(*, actor: Any, referral_id: int, reason: str) -> Referral:
    referral = _locked_for_agency(actor, referral_id)
    if referral.status == ReferralStatus.SENT:
        reason = clean_text(reason, field="reason", max_length=2000,
                            message=_("Say why the referral is declined, so the village can find other help."))
    referral.answered_by, referral.answered_at, referral.decline_reason = actor, timezone.now(), reason
    return _move(actor, referral, (ReferralStatus.SENT,), ReferralStatus.DECLINED, "referral.decline",
                 ["answered_by", "answered_at", "decline_reason"], {"reason": reason})


@transaction.atomic
def referral_complete(*, actor: Any, referral_id: int, outcome_note: str) -> Referral:
    referral = _locked_for_agency(actor, referral_id)
    if referral.status == ReferralStatus.ACCEPTED:
        outcome_note = clean_text(outcome_note, field="outcome_note", max_length=4000,
                                  message=_("Write what was done for the person."))
    referral.outcome_note, referral.completed_by, referral.completed_at = outcome_note, actor, timezone.now()
    return _move(actor, referral, (ReferralStatus.ACCEPTED,), ReferralStatus.COMPLETED, "referral.complete",
                 ["outcome_note", "completed_by", "completed_at"], {"note": outcome_note})


@transaction.atomic
def referral_withdraw(*, actor: Any, referral_id: int, reason: str) -> Referral:
    """The person's area withdraws a referral that is no longer needed."""
    referral = Referral.objects.select_for_update().select_related("person").filter(pk=referral_id).first()
    if referral is None or not may_plan(actor, referral.area_code):
        raise Http404("not found")
    if referral.status in (ReferralStatus.SENT, ReferralStatus.ACCEPTED):
        reason = clean_text(reason, field="reason", max_length=2000, message=_("Say why the referral is withdrawn."))
    return _move(actor, referral, (ReferralStatus.SENT, ReferralStatus.ACCEPTED), ReferralStatus.CANCELLED,
                 "referral.withdraw", [], {"reason": reason})
