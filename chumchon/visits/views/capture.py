"""Visit capture on a phone: start a visit to a household, see who is present and what to assess,
fill an instrument one question group per screen, see the result.

Pages work without JavaScript (every group shows, the form posts normally); visit-capture.js adds
one screen at a time, skip rules, drafts kept on the phone and photo upload as you go."""

from __future__ import annotations

import uuid
from typing import Any

from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _

from chumchon.accounts.roles import Capability
from chumchon.accounts.scoping import can, require_area
from chumchon.core.audit import log_action
from chumchon.core.thai import format_be
from chumchon.people import selectors as people_selectors
from chumchon.people.models import Household, Person
from chumchon.people.validation import today
from chumchon.visits.instruments.conditions import age_in_months
from chumchon.visits.instruments.registry import get_instrument, list_instruments
from chumchon.visits.instruments.schema import AnswerErrors, Instrument
from chumchon.visits.models import Visit
from chumchon.visits.selectors.assessments import assessment_get, assessment_list, visit_get
from chumchon.visits.selectors.photos import photo_list
from chumchon.visits.services.assessments import assessment_record, person_facts, visit_start
from chumchon.visits.services.photos import photo_add
from chumchon.visits.views._answers import applies_to, flag_labels, label_of, parse_answers, screens

RECORD = Capability.RECORD_VISITS


def wants_json(request: HttpRequest) -> bool:
    return "application/json" in request.headers.get("Accept", "")


def new_client_key() -> str:
    return uuid.uuid4().hex


def _errors_of(exc: ValidationError) -> dict[str, str]:
    if hasattr(exc, "error_dict"):
        return {key: " ".join(str(m) for m in messages) for key, messages in exc.message_dict.items()}
    return {"__all__": " ".join(exc.messages)}


def _instruments() -> list[Instrument]:
    return [i for i in list_instruments() if getattr(i, "active", True)]


# ---------------------------------------------------------------------------
# Start a visit
# ---------------------------------------------------------------------------


@login_required
def visit_new(request: HttpRequest, household_id: int) -> HttpResponse:
    household = people_selectors.household_get(user=request.user, household_id=household_id)
    require_area(request.user, RECORD, household.area_code)
    members = people_selectors.household_members(user=request.user, household=household)
    errors: dict[str, str] = {}
    data: dict[str, Any] = {"visited_on": format_be(today(), style="numeric"), "present": [],
                            "latitude": "", "longitude": "", "accuracy": "", "note": "",
                            "client_key": new_client_key()}
    if request.method == "POST":
        post = request.POST
        data.update({key: post.get(key, "").strip() for key in
                     ("visited_on", "latitude", "longitude", "accuracy", "note", "client_key")})
        data["present"] = post.getlist("present")
        try:
            present_ids = [int(value) for value in data["present"]]
        except ValueError:
            errors["present"] = _("Only members of this household can be marked present.")
        if not errors:
            try:
                visit = visit_start(actor=request.user, household_id=household.pk, visited_on=data["visited_on"],
                                    present_ids=present_ids, latitude=data["latitude"] or None,
                                    longitude=data["longitude"] or None, accuracy=data["accuracy"] or None,
                                    note=data["note"], client_key=data["client_key"] or None)
            except ValidationError as exc:
                errors = _errors_of(exc)
            else:
                return redirect("visit-detail", visit_id=visit.pk)
    return render(request, "visits/capture/visit_new.html", {
        "household": household, "members": members, "data": data, "errors": errors,
        "present": {str(p) for p in data["present"]},
        "general_errors": [msg for key, msg in errors.items() if key not in ("visited_on", "present", "gps")],
    }, status=400 if errors else 200)


# ---------------------------------------------------------------------------
# The visit page
# ---------------------------------------------------------------------------


def _assessment_rows(user: Any, visit: Visit) -> list[dict[str, Any]]:
    rows = []
    for assessment in assessment_list(user=user, visit_id=visit.pk).select_related("household"):
        try:
            instrument: Instrument | None = get_instrument(assessment.instrument_code, assessment.instrument_version)
        except LookupError:
            instrument = None
        rows.append({"assessment": assessment, "instrument": instrument,
                     "title": instrument.title.get() if instrument else assessment.instrument_code,
                     "label": label_of(instrument, assessment.classification),
                     "flags": flag_labels(instrument, assessment.flags)})
    return rows


@login_required
def visit_detail(request: HttpRequest, visit_id: int) -> HttpResponse:
    visit = visit_get(user=request.user, visit_id=visit_id)
    can_record = can(request.user, RECORD, visit.area_code)
    instruments = _instruments()
    people = []
    for person in visit.present.select_related("area").order_by("pk"):
        fitting = [i for i in instruments if applies_to(i, person, visit.visited_on)]
        others = [i for i in instruments if i.subject == "person" and i not in fitting]
        age = age_in_months(person.birth_date, visit.visited_on)
        people.append({"person": person, "instruments": fitting, "others": others,
                       "age_years": age // 12 if age is not None else None})
    household_instruments = [i for i in instruments if i.subject == "household"]
    log_action(actor=request.user, verb="visit.view", obj=visit, data={"household": visit.household_id})
    return render(request, "visits/capture/visit_detail.html", {
        "visit": visit, "people": people, "household_instruments": household_instruments,
        "household_subject": f"h{visit.household_id}",
        "assessments": _assessment_rows(request.user, visit), "can_record": can_record,
        "photos": photo_list(user=request.user, visit_id=visit.pk),
    })


# ---------------------------------------------------------------------------
# One assessment, one group per screen
# ---------------------------------------------------------------------------


def _subject(user: Any, visit: Visit, subject: str) -> tuple[Person | None, Household | None]:
    """``<person id>`` (a member of the visited household) or ``h<household id>`` (that household)."""
    if subject.startswith("h") and subject[1:].isdigit():
        if int(subject[1:]) != visit.household_id:
            raise Http404("not found")
        return None, people_selectors.household_get(user=user, household_id=int(subject[1:]))
    if subject.isdigit():
        person = people_selectors.person_get(user=user, person_id=int(subject))
        if person.household_id != visit.household_id:
            raise Http404("not found")
        return person, None
    raise Http404("not found")


def _attach_posted_photos(request: HttpRequest, visit: Visit, person: Person | None, instrument: Instrument,
                          raw: Any) -> dict[str, str]:
    """Without JavaScript a photo question's file comes with the form: store it, answer its id."""
    errors: dict[str, str] = {}
    for item in instrument.items:
        upload = request.FILES.get(f"{item.code}__file")
        if item.type != "photo" or upload is None:
            continue
        try:
            photo = photo_add(actor=request.user, upload=upload, area_code=visit.area_code, purpose="answer",
                              visit=visit, person=person, item_code=item.code)
        except ValidationError as exc:
            errors[item.code] = " ".join(exc.message_dict.get("photo", exc.messages))
        else:
            raw[item.code] = str(photo.pk)
    return errors


@login_required
def assessment_new(request: HttpRequest, visit_id: int, subject: str, instrument_code: str) -> HttpResponse:
    visit = visit_get(user=request.user, visit_id=visit_id)
    require_area(request.user, RECORD, visit.area_code)
    person, household = _subject(request.user, visit, subject)
    try:
        instrument = get_instrument(instrument_code)
    except LookupError:
        raise Http404("not found") from None
    if instrument.subject != ("person" if person is not None else "household"):
        raise Http404("not found")

    errors: dict[str, str] = {}
    client_key = new_client_key()
    raw = None
    if request.method == "POST":
        raw = request.POST.copy()
        client_key = raw.get("client_key", "").strip()[:40] or new_client_key()
        errors = _attach_posted_photos(request, visit, person, instrument, raw)
        answers, parse_errors = parse_answers(instrument, raw)
        errors.update(parse_errors)
        if not errors:
            try:
                assessment = assessment_record(
                    actor=request.user, instrument_code=instrument.code, answers=answers,
                    person_id=person.pk if person else None, household_id=household.pk if household else None,
                    visit=visit, client_key=client_key)
            except AnswerErrors as exc:
                errors = dict(exc.errors)
            except ValidationError as exc:
                errors = _errors_of(exc)
            else:
                url = reverse("assessment-result", args=[visit.pk, assessment.pk])
                if wants_json(request):
                    return JsonResponse({"ok": True, "url": url, "id": assessment.pk})
                return redirect(url)
        if wants_json(request):
            return JsonResponse({"ok": False, "errors": errors}, status=422)

    item_codes = {item.code for item in instrument.items}
    general = [msg for key, msg in errors.items() if key not in item_codes]
    context_data: dict[str, Any] = {}
    if person is not None:
        context_data = {"age_months": age_in_months(person.birth_date, visit.visited_on),
                        "facts": person_facts(person)}
    return render(request, "visits/capture/assessment_form.html", {
        "visit": visit, "person": person, "household": household, "instrument": instrument,
        "screens": screens(instrument, raw=raw, errors=errors), "general_errors": general,
        "client_key": client_key, "subject": subject, "context_data": context_data,
        "draft_key": f"chumchon:draft:{visit.pk}:{subject}:{instrument.code}",
    }, status=422 if errors else 200)


@login_required
def assessment_result(request: HttpRequest, visit_id: int, assessment_id: int) -> HttpResponse:
    assessment = assessment_get(user=request.user, assessment_id=assessment_id)
    if assessment.visit_id != visit_id:
        raise Http404("not found")
    try:
        instrument: Instrument | None = get_instrument(assessment.instrument_code, assessment.instrument_version)
    except LookupError:
        instrument = None
    band = instrument.band(assessment.classification) if instrument and assessment.classification else None
    log_action(actor=request.user, verb="assessment.view", obj=assessment, data={"visit": visit_id})
    return render(request, "visits/capture/assessment_result.html", {
        "assessment": assessment, "instrument": instrument, "band": band,
        "label": label_of(instrument, assessment.classification),
        "flags": flag_labels(instrument, assessment.flags),
        "photos": photo_list(user=request.user, assessment_id=assessment.pk),
    })
