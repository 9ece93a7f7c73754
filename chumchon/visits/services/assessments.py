"""Writes of the field work: starting a visit and recording an assessment under an instrument.

An assessment is evaluated by the instrument engine (score, classification, flags, when it is due
again), saved with the version of the instrument it was given under, mirrored into CurrentStatus
for lists and schedules, and its flags raise alerts — all in one transaction, or nothing."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils.translation import gettext as _

from chumchon.accounts.roles import Capability
from chumchon.accounts.scoping import require_area
from chumchon.core.audit import log_action
from chumchon.core.review import ReviewStatus
from chumchon.core.validation import clean_date
from chumchon.people.models import Household, Person
from chumchon.people.validation import today
from chumchon.visits.instruments.engine import LAT_RANGE, LON_RANGE
from chumchon.visits.instruments.registry import get_instrument
from chumchon.visits.instruments.schema import AnswerErrors, Context, Instrument, Outcome
from chumchon.visits.models import Assessment, CurrentStatus, Photo, Visit, VisitPurpose

RECORD = Capability.RECORD_VISITS

# Thailand's extent: one definition, shared with the instrument engine's GPS answers.
THAI_LAT = LAT_RANGE
THAI_LON = LON_RANGE


def _visit_date(value: date | str | None, *, field: str = "visited_on", not_before: date | None = None) -> date:
    day = clean_date(value, field) or today()
    if day > today():
        raise ValidationError({field: _("The date cannot be in the future.")})
    if not_before and day < not_before:
        raise ValidationError({field: _("The date is before the person was born.")})
    return day


def check_gps(latitude: Any, longitude: Any) -> tuple[Decimal | None, Decimal | None]:
    """Both or neither; inside Thailand; six decimals (about 10 cm)."""
    if latitude in (None, "") and longitude in (None, ""):
        return None, None
    try:
        lat, lon = float(latitude), float(longitude)
    except (TypeError, ValueError):
        raise ValidationError({"gps": _("The GPS position cannot be read.")}) from None
    if not (THAI_LAT[0] <= lat <= THAI_LAT[1] and THAI_LON[0] <= lon <= THAI_LON[1]):
        raise ValidationError({"gps": _("The GPS position is outside Thailand. Please try again outdoors.")})
    return Decimal(f"{lat:.6f}"), Decimal(f"{lon:.6f}")


@transaction.atomic
def visit_start(*, actor: Any, household_id: int, visited_on: date | str | None = None,
                present_ids: list[int] | tuple[int, ...] = (), latitude: Any = None, longitude: Any = None,
                accuracy: Any = None, purpose: str = VisitPurpose.COLLECT, note: str = "",
                client_key: str | None = None) -> Visit:
    household = Household.objects.filter(pk=household_id, is_active=True).first()
    if household is None:
        raise ValidationError({"household": _("No such household.")})
    require_area(actor, RECORD if purpose != VisitPurpose.VERIFY else Capability.VERIFY_RECORDS, household.area_code)
    if client_key:
        existing = Visit.objects.filter(client_key=client_key).first()
        if existing is not None:
            if existing.household_id != household.pk:
                raise ValidationError({"client_key": _("This draft belongs to another visit.")})
            return existing
    if purpose not in VisitPurpose.values:
        raise ValidationError({"purpose": _("Unknown visit purpose.")})
    day = _visit_date(visited_on)
    lat, lon = check_gps(latitude, longitude)
    accuracy_m: float | None = None
    if lat is not None and accuracy not in (None, ""):
        try:
            accuracy_m = max(0.0, float(accuracy))
        except (TypeError, ValueError):
            accuracy_m = None
    present = list(Person.objects.filter(pk__in=[int(i) for i in present_ids], household=household))
    if len(present) != len(set(int(i) for i in present_ids)):
        raise ValidationError({"present": _("Only members of this household can be marked present.")})
    visit = Visit.objects.create(household=household, area=household.area, visited_on=day, purpose=purpose,
                                 collector=actor, latitude=lat, longitude=lon, gps_accuracy_m=accuracy_m,
                                 note=note.strip()[:2000], client_key=client_key or None)
    visit.present.set(present)
    log_action(actor=actor, verb="visit.start", obj=visit, data={
        "household": household.pk, "visited_on": day, "purpose": purpose, "present": [p.pk for p in present],
        "gps": lat is not None})
    return visit


def person_facts(person: Person) -> dict[str, Any]:
    """The registry values instrument rules may read."""
    return {
        "is_disabled": person.is_disabled, "has_disability_card": person.has_disability_card,
        "has_welfare_card": person.has_welfare_card, "has_id_card": person.has_id_card,
        "health_coverage": person.health_coverage, "allowances": list(person.allowances or []),
        "is_bedbound": person.is_bedbound, "is_poor": person.is_poor, "sex": person.sex,
        "disability_types": list(person.disability_types or []),
    }


def _previous(instrument: Instrument, *, person: Person | None, household: Household | None,
              before: date) -> tuple[Outcome | None, date | None]:
    rows = Assessment.objects.filter(instrument_code=instrument.code, assessed_on__lte=before)
    rows = rows.filter(person=person) if person is not None else rows.filter(household=household)
    last = rows.order_by("-assessed_on", "-pk").first()
    if last is None:
        return None, None
    outcome = Outcome(answers=last.answers, score=float(last.score) if last.score is not None else None,
                      classification=last.classification, classification_label="", result=last.result,
                      flags=(), due_on=last.due_on)
    return outcome, last.assessed_on


def _check_photos(instrument: Instrument, answers: dict[str, Any], area_code: str, *, actor: Any,
                  person: Person | None, visit: Visit | None) -> list[int]:
    ids: list[int] = []
    for item in instrument.items:
        if item.type == "photo" and answers.get(item.code) not in (None, ""):
            ids.append(int(answers[item.code]))
    if ids:
        # Only photos this collector took for this visit and person, not yet an answer elsewhere.
        candidates = Photo.objects.filter(pk__in=ids, area_id=area_code, assessment__isnull=True,
                                          uploaded_by_id=getattr(actor, "pk", None))
        candidates = candidates.filter(Q(person__isnull=True) | Q(person=person) if person else Q(person__isnull=True))
        if visit is not None:
            candidates = candidates.filter(Q(visit__isnull=True) | Q(visit=visit))
        found = set(candidates.values_list("pk", flat=True))
        missing = [i for i in ids if i not in found]
        if missing:
            code = next(item.code for item in instrument.items
                        if item.type == "photo" and int(answers.get(item.code) or 0) in missing)
            raise AnswerErrors({code: _("The photo was not found. Please attach it again.")})
    return ids


def current_status_refresh(assessment: Assessment) -> None:
    """Point CurrentStatus at the subject's latest assessment under this instrument."""
    subject = {"person": assessment.person} if assessment.person_id else {"household": assessment.household}
    latest = (Assessment.objects.filter(instrument_code=assessment.instrument_code, **subject)
              .order_by("-assessed_on", "-pk").first())
    if latest is None:
        return
    CurrentStatus.objects.update_or_create(
        instrument_code=assessment.instrument_code, **subject,
        defaults={"area": latest.area, "assessment": latest, "classification": latest.classification,
                  "score": latest.score, "flags": latest.flags, "assessed_on": latest.assessed_on,
                  "due_on": latest.due_on})


@transaction.atomic
def assessment_record(*, actor: Any, instrument_code: str, answers: dict[str, Any],
                      assessed_on: date | str | None = None, person_id: int | None = None,
                      household_id: int | None = None, visit: Visit | None = None,
                      client_key: str | None = None) -> Assessment:
    """Evaluate and save one assessment. Raises AnswerErrors (item → message) or ValidationError."""
    person: Person | None = None
    household: Household | None = None
    if person_id is not None:
        person = Person.objects.select_related("household").filter(pk=person_id).first()
        if person is None:
            raise ValidationError({"person": _("No such person.")})
        area_code = person.area_code
    elif household_id is not None:
        household = Household.objects.filter(pk=household_id, is_active=True).first()
        if household is None:
            raise ValidationError({"household": _("No such household.")})
        area_code = household.area_code
    else:
        raise ValidationError({"person": _("Choose a person or a household to assess.")})
    require_area(actor, RECORD, area_code)
    if client_key:
        existing = Assessment.objects.filter(client_key=client_key).first()
        if existing is not None:
            if (existing.person_id, existing.household_id) != (person_id, household_id if person is None else None):
                raise ValidationError({"client_key": _("This draft belongs to another assessment.")})
            return existing
    try:
        instrument = get_instrument(str(instrument_code))
    except LookupError:
        raise ValidationError({"instrument": _("Unknown instrument “%(code)s”.") % {"code": instrument_code}}) from None
    if instrument.subject == "person" and person is None:
        raise ValidationError({"person": _("This instrument assesses a person, not a household.")})
    if instrument.subject == "household" and household is None:
        raise ValidationError({"household": _("This instrument assesses a household, not a person.")})
    if visit is not None:
        require_area(actor, RECORD, visit.area_code)
        visit_household = visit.household_id
        subject_household = person.household_id if person is not None else household.pk if household else None
        if visit_household != subject_household:
            raise ValidationError({"visit": _("This person is not in the visited household.")})
    day = _visit_date(assessed_on if assessed_on not in (None, "") else (visit.visited_on if visit else None),
                      field="assessed_on", not_before=person.birth_date if person is not None else None)
    if not isinstance(answers, dict):
        raise AnswerErrors({"__all__": _("The answers must be a set of item codes and values.")})

    from chumchon.visits.instruments.engine import evaluate

    previous, previous_on = _previous(instrument, person=person, household=household, before=day)
    context = Context(assessed_on=day, birth_date=person.birth_date if person else None,
                      sex=person.sex if person else "", previous=previous, previous_on=previous_on,
                      facts=person_facts(person) if person else {})
    outcome = evaluate(instrument, answers, context)
    photo_ids = _check_photos(instrument, outcome.answers, area_code, actor=actor, person=person, visit=visit)
    assessment = Assessment.objects.create(
        person=person, household=household if person is None else None, area_id=area_code, visit=visit,
        instrument_code=instrument.code, instrument_version=instrument.version, assessed_on=day,
        answers=outcome.answers,
        score=Decimal(str(round(outcome.score, 2))) if outcome.score is not None else None,
        classification=outcome.classification, result=outcome.result,
        flags=[flag.code for flag in outcome.flags], due_on=outcome.due_on, collector=actor,
        review_status=ReviewStatus.SUBMITTED, client_key=client_key or None)
    if photo_ids:
        Photo.objects.filter(pk__in=photo_ids).update(assessment=assessment)
    current_status_refresh(assessment)
    log_action(actor=actor, verb="assessment.record", obj=assessment, data={
        "instrument": f"{instrument.code} v{instrument.version}", "subject": person.pk if person else None,
        "household": household.pk if household else None, "classification": outcome.classification,
        "flags": assessment.flags})

    from chumchon.care.services import alerts_raise_for_assessment

    alerts_raise_for_assessment(assessment=assessment, actor=actor)
    return assessment
