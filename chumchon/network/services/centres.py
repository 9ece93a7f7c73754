"""Child development centres (ศูนย์พัฒนาเด็กเล็ก): the centre is an organisation of kind
``child_centre`` with a ChildCentre row naming its owning local government; its caregivers and
their training, the children enrolled (registry persons, under seven years old), the support it
received, and its quality assessments (instrument ``child_centre_quality``, subject "centre").

Keeping a centre needs MANAGE_NETWORK in the centre's area; enrolling a child also needs the
child to be within the actor's VIEW_NAMES reach."""

from __future__ import annotations

from datetime import date
from decimal import Decimal, InvalidOperation
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import Http404
from django.utils.translation import gettext as _

from chumchon.accounts.roles import Capability
from chumchon.accounts.scoping import can, require_area, scope_q
from chumchon.core.audit import log_action
from chumchon.core.thai import age_in_years
from chumchon.core.validation import clean_date
from chumchon.network.models import (
    CentreAssessment,
    CentreCaregiver,
    ChildCentre,
    Enrolment,
    Organisation,
    SupportReceived,
    Training,
    Vocabulary,
)
from chumchon.network.services.cleaning import as_id
from chumchon.network.services.committees import _organisation, _user, clean_text
from chumchon.network.services.terms import term_lookup
from chumchon.people.models import Person
from chumchon.visits.instruments.engine import evaluate
from chumchon.visits.instruments.registry import get_instrument
from chumchon.visits.instruments.schema import AnswerErrors, Context

MANAGE = Capability.MANAGE_NETWORK
NAMES = Capability.VIEW_NAMES
CENTRE_KIND = "child_centre"
OWNER_KINDS = ("sao", "municipality", "pao")
MAX_AGE_YEARS = 7  # a child development centre takes children under seven
QUALITY_INSTRUMENT = "child_centre_quality"


def _require(actor: Any, centre: ChildCentre) -> None:
    require_area(actor, MANAGE, centre.area_code)


@transaction.atomic
def centre_create(*, actor: Any, organisation_id: Any = None, owner_id: Any = None, capacity: Any = None
                  ) -> ChildCentre:
    """Register a directory organisation of kind ``child_centre`` as a centre. The organisation is
    looked up among those the actor keeps (MANAGE_NETWORK in its home area): another area's answers
    exactly like an id that does not exist."""
    if not can(actor, MANAGE):
        raise Http404("not found")
    pk = as_id(organisation_id)
    organisation = Organisation.objects.filter(scope_q(actor, MANAGE), pk=pk).select_related("kind").first() \
        if pk is not None else None
    if organisation is None:
        raise ValidationError({"organisation_id": _("Choose the centre's organisation.")})
    require_area(actor, MANAGE, organisation.area_code)
    if organisation.kind.code != CENTRE_KIND:
        raise ValidationError({"organisation_id": _("This organisation is not a child development centre.")})
    if ChildCentre.objects.filter(organisation=organisation).exists():
        raise ValidationError({"organisation_id": _("This centre is already registered.")})
    owner = _organisation(owner_id, "owner_id", actor=actor)
    if owner is not None and owner.kind.code not in OWNER_KINDS:
        raise ValidationError({"owner_id": _("The owner must be a local government (SAO, municipality or PAO).")})
    centre = ChildCentre.objects.create(organisation=organisation, owner=owner,
                                        capacity=_count(capacity, "capacity"))
    log_action(actor=actor, verb="centre.create", obj=centre,
               data={"organisation": organisation.pk, "owner": getattr(owner, "pk", None),
                     "capacity": centre.capacity})
    return centre


def _count(value: Any, field: str) -> int | None:
    if value in (None, ""):
        return None
    try:
        number = int(str(value).strip())
    except ValueError:
        raise ValidationError({field: _("Enter a whole number.")}) from None
    if number < 0:
        raise ValidationError({field: _("The number cannot be negative.")})
    return number


@transaction.atomic
def caregiver_add(*, actor: Any, centre: ChildCentre, name: str, position: str = "", user_id: Any = None,
                  started_on: date | str | None = None) -> CentreCaregiver:
    _require(actor, centre)
    caregiver = CentreCaregiver.objects.create(
        centre=centre, name=clean_text(name, "name", limit=200, required=True),
        position=clean_text(position, "position", limit=120), user=_user(user_id, area_code=centre.area_code),
        started_on=clean_date(started_on, "started_on", required=False))
    log_action(actor=actor, verb="centre.caregiver_add", obj=centre,
               data={"caregiver": caregiver.pk, "name": caregiver.name, "position": caregiver.position})
    return caregiver


@transaction.atomic
def training_add(*, actor: Any, caregiver: CentreCaregiver, course: str, completed_on: date | str,
                 provider: str = "", hours: Any = None) -> Training:
    _require(actor, caregiver.centre)
    completed = clean_date(completed_on, "completed_on", required=True)
    assert completed is not None
    training = Training.objects.create(caregiver=caregiver, course=clean_text(course, "course", limit=200,
                                                                              required=True),
                                       provider=clean_text(provider, "provider", limit=200),
                                       completed_on=completed, hours=_count(hours, "hours"))
    log_action(actor=actor, verb="centre.training_add", obj=caregiver.centre,
               data={"caregiver": caregiver.pk, "course": training.course, "completed_on": completed})
    return training


@transaction.atomic
def enrolment_add(*, actor: Any, centre: ChildCentre, person_id: Any, enrolled_on: date | str) -> Enrolment:
    """Enrol a registry child. Refused: a person outside the actor's reach (named as unknown),
    an unknown birth date, a child aged seven or more on the day, one already enrolled here."""
    _require(actor, centre)
    enrolled = clean_date(enrolled_on, "enrolled_on", required=True)
    assert enrolled is not None
    pk = as_id(person_id)
    person = Person.objects.filter(scope_q(actor, NAMES), pk=pk).first() if pk is not None else None
    if person is None:
        raise ValidationError({"person_id": _("This person is not in the registry of your area.")})
    if person.birth_date is None or person.birth_year_only:
        raise ValidationError({"person_id": _(
            "%(name)s has no full birth date in the registry: record it before enrolling.")
            % {"name": person.full_name}})
    if person.birth_date > enrolled:
        raise ValidationError({"enrolled_on": _("The date of enrolment is before the child's birth.")})
    age = age_in_years(person.birth_date, enrolled)
    if age >= MAX_AGE_YEARS:
        raise ValidationError({"person_id": _(
            "%(name)s is %(age)s years old on the date of enrolment: a child development centre takes "
            "children under %(max)s.") % {"name": person.full_name, "age": age, "max": MAX_AGE_YEARS}})
    if Enrolment.objects.filter(centre=centre, person=person, left_on__isnull=True).exists():
        raise ValidationError({"person_id": _("%(name)s is already enrolled in this centre.")
                               % {"name": person.full_name}})
    enrolment = Enrolment.objects.create(centre=centre, person=person, enrolled_on=enrolled)
    log_action(actor=actor, verb="centre.enrol", obj=centre,
               data={"person": person.pk, "enrolled_on": enrolled, "age": age})
    return enrolment


@transaction.atomic
def enrolment_end(*, actor: Any, enrolment: Enrolment, left_on: date | str) -> Enrolment:
    _require(actor, enrolment.centre)
    left = clean_date(left_on, "left_on", required=True)
    assert left is not None
    if left < enrolment.enrolled_on:
        raise ValidationError({"left_on": _("The date of leaving is before the date of enrolment.")})
    enrolment.left_on = left
    enrolment.save(update_fields=["left_on"])
    log_action(actor=actor, verb="centre.enrolment_end", obj=enrolment.centre,
               data={"person": enrolment.person_id, "left_on": left})
    return enrolment


def _baht(value: Any) -> Decimal | None:
    if value in (None, ""):
        return None
    try:
        amount = Decimal(str(value).replace(",", "").strip())
    except InvalidOperation:
        raise ValidationError({"value_baht": _("Enter an amount in baht.")}) from None
    if not amount.is_finite() or amount < 0:
        raise ValidationError({"value_baht": _("The amount cannot be negative.")})
    if amount >= Decimal("1e10"):
        raise ValidationError({"value_baht": _("The amount is too large.")})
    return amount.quantize(Decimal("0.01"))


@transaction.atomic
def support_add(*, actor: Any, centre: ChildCentre, kind_code: str, description: str, received_on: date | str,
                giver_id: Any = None, giver_name: str = "", value_baht: Any = None) -> SupportReceived:
    """Log support the centre received: from an organisation of the directory (``giver_id``) or
    a named giver; a kind of support from the shared vocabulary; worth in baht (≥ 0) if known."""
    _require(actor, centre)
    giver: Organisation | None = _organisation(giver_id, "giver_id", actor=actor)
    name = clean_text(giver_name, "giver_name", limit=200)
    if giver is None and not name:
        raise ValidationError({"giver_name": _("Say who gave it: an organisation or a name.")})
    kind = term_lookup(Vocabulary.SUPPORT_KIND, kind_code, "kind_code")
    received = clean_date(received_on, "received_on", required=True)
    assert received is not None
    row = SupportReceived.objects.create(
        centre=centre, giver=giver, giver_name="" if giver else name, kind=kind,
        description=clean_text(description, "description", limit=300, required=True), received_on=received,
        value_baht=_baht(value_baht))
    log_action(actor=actor, verb="centre.support_add", obj=centre, data={
        "support": row.pk, "giver": giver.pk if giver else name, "kind": kind.code, "value_baht": row.value_baht})
    return row


@transaction.atomic
def centre_assess(*, actor: Any, centre: ChildCentre, answers: dict[str, Any], assessed_on: date | str,
                  instrument_code: str = QUALITY_INSTRUMENT) -> CentreAssessment:
    """Score a quality assessment of the centre and save it. Refused answers raise
    ValidationError keyed by item code."""
    _require(actor, centre)
    on = clean_date(assessed_on, "assessed_on", required=True)
    assert on is not None
    try:
        instrument = get_instrument(instrument_code)
    except LookupError:
        instrument = None
    if instrument is None or instrument.subject != "centre":
        raise ValidationError({"instrument_code": _("This form is not a centre assessment.")})
    try:
        outcome = evaluate(instrument, answers, Context(assessed_on=on))
    except AnswerErrors as exc:
        raise ValidationError(dict(exc.errors)) from None
    result = {**outcome.result, "classification_label": outcome.classification_label,
              "flags": [flag.code for flag in outcome.flags],
              "due_on": outcome.due_on.isoformat() if outcome.due_on else None}
    row = CentreAssessment.objects.create(
        centre=centre, instrument_code=instrument.code, instrument_version=instrument.version, assessed_on=on,
        answers=outcome.answers, score=outcome.score, classification=outcome.classification, result=result,
        assessor=actor if getattr(actor, "is_authenticated", False) else None)
    log_action(actor=actor, verb="centre.assess", obj=centre, data={
        "assessment": row.pk, "instrument": f"{instrument.code}.v{instrument.version}", "score": outcome.score,
        "classification": outcome.classification})
    return row
