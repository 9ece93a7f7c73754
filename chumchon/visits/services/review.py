"""Moves of a field record (a person's registration, an assessment) through the verification
states of chumchon.core.review: submitted by the collector, verified by a second person who
visited and took a photo, accepted or disputed by the village forum, or sent back for correction.

Every move writes a ``visits.Review`` row and an audit entry in one transaction; a refused move
raises ``ValidationError({field: message})`` and saves nothing."""

from __future__ import annotations

from datetime import date
from typing import Any, Literal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import Http404
from django.utils.translation import gettext as _

from chumchon.accounts.roles import Capability
from chumchon.accounts.scoping import require_area
from chumchon.core.audit import log_action
from chumchon.core.models import AuditEntry
from chumchon.core.review import ReviewStatus, can_move
from chumchon.core.thai import normalize_text
from chumchon.core.validation import clean_date
from chumchon.people.models import Person
from chumchon.people.validation import today
from chumchon.visits.models import Assessment, Forum, Photo, PhotoPurpose, Review, Visit, VisitPurpose

Kind = Literal["person", "assessment"]
KINDS: tuple[str, ...] = ("person", "assessment")
Record = Person | Assessment
S = ReviewStatus


# ---------------------------------------------------------------------------
# Helpers shared with the forum services
# ---------------------------------------------------------------------------


def model_for(kind: str) -> type[Person] | type[Assessment]:
    if kind == "person":
        return Person
    if kind == "assessment":
        return Assessment
    raise ValidationError({"kind": _("Choose a person or an assessment.")})


def load_record(kind: str, record_id: int, *, actor: Any, capability: str) -> Record:
    """The record, locked for this transaction; unknown or outside the actor's reach → 404."""
    model = model_for(kind)
    record = model._default_manager.select_for_update().filter(pk=record_id).first()
    if record is None:
        raise Http404("not found")
    require_area(actor, capability, record.area_code)
    if kind == "assessment":
        # Assessments are health data: only those who may see them may move them.
        require_area(actor, Capability.VIEW_HEALTH, record.area_code)
    return record


def kind_of(record: Record) -> Kind:
    return "person" if isinstance(record, Person) else "assessment"


def collector_id(record: Record) -> int | None:
    """Who collected the record: the assessor, or whoever registered the person (the field
    ``registered_by``, or the author of the registration in the audit log when it is empty)."""
    if isinstance(record, Assessment):
        return record.collector_id
    if record.registered_by_id:
        return record.registered_by_id
    return (AuditEntry.objects.filter(verb="person.create", object_type="people.person",
                                      object_id=str(record.pk)).order_by("at", "id")
            .values_list("actor_id", flat=True).first())


def status_label(status: str) -> str:
    return str(S(status).label) if status in S.values else status


def move_record(*, actor: Any, record: Record, to_status: str, reason: str = "", visit: Visit | None = None,
                photo: Photo | None = None, forum: Forum | None = None, field: str = "review_status") -> Review:
    """Move ``record`` (already locked and checked) to ``to_status``: Review row + audit entry."""
    from_status = record.review_status
    if not can_move(from_status, to_status):
        raise ValidationError({field: _("A record that is “%(from)s” cannot become “%(to)s”.")
                               % {"from": status_label(from_status), "to": status_label(to_status)}})
    kind = kind_of(record)
    record.review_status = to_status
    record.save(update_fields=["review_status"])
    review = Review.objects.create(
        person=record if isinstance(record, Person) else None,
        assessment=record if isinstance(record, Assessment) else None,
        area_id=record.area_id, from_status=from_status, to_status=to_status, reason=reason,
        visit=visit, photo=photo, forum=forum, actor=actor,
    )
    log_action(actor=actor, verb=f"{kind}.review", obj=record, data={
        "from": from_status, "to": to_status, "reason": reason, "review": review.pk,
        "visit": visit.pk if visit else None, "photo": photo.pk if photo else None,
        "forum": forum.pk if forum else None,
    })
    return review


def _reason(reason: str, field: str = "reason") -> str:
    text = normalize_text(reason or "")
    if not text:
        raise ValidationError({field: _("Give the reason.")})
    return text[:2000]


# ---------------------------------------------------------------------------
# Moves
# ---------------------------------------------------------------------------


def _submit_capability(kind: str) -> str:
    return Capability.EDIT_REGISTRY if kind == "person" else Capability.RECORD_VISITS


@transaction.atomic
def record_submit(*, actor: Any, kind: Kind, record_id: int, note: str = "") -> Review:
    """A draft, or a record sent back and now corrected, goes (again) to verification."""
    record = load_record(kind, record_id, actor=actor, capability=_submit_capability(kind))
    return move_record(actor=actor, record=record, to_status=S.SUBMITTED, reason=normalize_text(note)[:2000])


def _verify_visit(*, actor: Any, record: Record, visit_id: int | None, visited_on: date | str | None,
                  note: str) -> Visit | None:
    """The actor's verification visit: an existing one, or the fields to create one (returned
    unsaved, so nothing is written before every check has passed)."""
    household_id = record.household_id
    if household_id is None and isinstance(record, Assessment) and record.person is not None:
        household_id = record.person.household_id  # an assessment of a person: the person's household
    if visit_id:
        visit = Visit.objects.filter(pk=visit_id).first()
        if (visit is None or visit.collector_id != getattr(actor, "pk", None)
                or visit.purpose != VisitPurpose.VERIFY or visit.area_id != record.area_id
                or (household_id and visit.household_id not in (None, household_id))):
            raise ValidationError({"visit_id": _("Choose a verification visit you made to this household.")})
        return visit
    visited = clean_date(visited_on, "visited_on", required=False)
    if visited is None:
        raise ValidationError({"visited_on": _("Enter the date of your verification visit.")})
    if visited > today():
        raise ValidationError({"visited_on": _("The visit date is in the future.")})
    return Visit(household_id=household_id, area_id=record.area_id, visited_on=visited,
                 purpose=VisitPurpose.VERIFY, collector=actor, note=normalize_text(note)[:2000])


def _evidence_photo(*, actor: Any, record: Record, photo_id: int | None) -> Photo:
    photo = Photo.objects.filter(pk=photo_id).first() if photo_id else None
    if photo is None:
        raise ValidationError({"photo_id": _("Attach a photo taken at your verification visit as evidence.")})
    if (photo.purpose != PhotoPurpose.EVIDENCE or photo.uploaded_by_id != getattr(actor, "pk", None)
            or photo.area_id != record.area_id):
        raise ValidationError({"photo_id": _("The evidence photo must be one you took in this village "
                                             "for verification.")})
    # One photo is evidence of one visit to one record: a photo already used, or taken for another
    # person or assessment, proves nothing about this one.
    own = (photo.person_id in (None, record.pk) and photo.assessment_id is None) if isinstance(record, Person) \
        else (photo.assessment_id in (None, record.pk) and photo.person_id in (None, record.person_id))
    if not own or Review.objects.filter(photo=photo).exists():
        raise ValidationError({"photo_id": _("This photo is already evidence for another record. "
                                             "Take a new photo at this visit.")})
    return photo


@transaction.atomic
def record_verify(*, actor: Any, kind: Kind, record_id: int, photo_id: int | None,
                  visit_id: int | None = None, visited_on: date | str | None = None, note: str = "") -> Review:
    """A second person, not the collector, visited and attached photo evidence: submitted → verified."""
    record = load_record(kind, record_id, actor=actor, capability=Capability.VERIFY_RECORDS)
    if collector_id(record) == getattr(actor, "pk", None):
        raise ValidationError({"actor": _("You cannot verify a record you collected. Another volunteer or "
                                          "officer must visit and verify it.")})
    if not can_move(record.review_status, S.VERIFIED):
        raise ValidationError({"review_status": _("Only a submitted record can be verified; this one is "
                                                  "“%(status)s”.") % {"status": status_label(record.review_status)}})
    visit = _verify_visit(actor=actor, record=record, visit_id=visit_id, visited_on=visited_on, note=note)
    photo = _evidence_photo(actor=actor, record=record, photo_id=photo_id)
    assert visit is not None
    if visit.pk is None:
        visit.save()
        log_action(actor=actor, verb="visit.create", obj=visit,
                   data={"purpose": visit.purpose, "visited_on": visit.visited_on, "household": visit.household_id})
    link: dict[str, Any] = {}
    if photo.visit_id is None:
        link["visit"] = visit
    if isinstance(record, Person) and photo.person_id is None:
        link["person"] = record
    if isinstance(record, Assessment) and photo.assessment_id is None:
        link["assessment"] = record
    if link:
        for name, value in link.items():
            setattr(photo, name, value)
        photo.save(update_fields=list(link))
    return move_record(actor=actor, record=record, to_status=S.VERIFIED, reason=normalize_text(note)[:2000],
                       visit=visit, photo=photo)


@transaction.atomic
def record_send_back(*, actor: Any, kind: Kind, record_id: int, reason: str) -> Review:
    """Back to the collector for correction, with the reason."""
    record = load_record(kind, record_id, actor=actor, capability=Capability.VERIFY_RECORDS)
    text = _reason(reason)
    return move_record(actor=actor, record=record, to_status=S.CORRECTION, reason=text)


def _forum_move(*, actor: Any, kind: Kind, record_id: int, forum: Forum, to_status: str, reason: str) -> Review:
    if not isinstance(forum, Forum) or forum.pk is None:
        raise ValidationError({"forum": _("This can only be done at a village forum.")})
    record = load_record(kind, record_id, actor=actor, capability=Capability.VIEW_NAMES)
    require_area(actor, Capability.RUN_FORUMS, forum.area_code)
    if forum.is_closed:
        raise ValidationError({"forum": _("This forum is closed.")})
    if record.area_id != forum.area_id:
        raise ValidationError({"forum": _("This record belongs to another village than the forum's.")})
    return move_record(actor=actor, record=record, to_status=to_status, reason=reason, forum=forum, field="outcome")


@transaction.atomic
def record_accept(*, actor: Any, kind: Kind, record_id: int, forum: Forum, reason: str = "") -> Review:
    """The village forum confirms a verified (or formerly disputed) record."""
    return _forum_move(actor=actor, kind=kind, record_id=record_id, forum=forum, to_status=S.ACCEPTED,
                       reason=normalize_text(reason)[:2000])


@transaction.atomic
def record_dispute(*, actor: Any, kind: Kind, record_id: int, forum: Forum, reason: str) -> Review:
    """The village forum disputes a record; the reason is required."""
    return _forum_move(actor=actor, kind=kind, record_id=record_id, forum=forum, to_status=S.DISPUTED,
                       reason=_reason(reason))


@transaction.atomic
def record_verify_upload(*, actor: Any, kind: Kind, record_id: int, upload: Any, visit_id: int | None = None,
                         visited_on: date | str | None = None, note: str = "") -> Review:
    """``record_verify`` with the evidence photo as an upload (the page's camera input): the
    photo is stored through ``photos.photo_add``; if the verification is refused, neither the
    photo row nor its file is kept."""
    from chumchon.visits.services.photos import photo_add

    record = load_record(kind, record_id, actor=actor, capability=Capability.VERIFY_RECORDS)
    if collector_id(record) == getattr(actor, "pk", None):
        raise ValidationError({"actor": _("You cannot verify a record you collected. Another volunteer or "
                                          "officer must visit and verify it.")})
    photo = photo_add(actor=actor, upload=upload, area_code=record.area_code, purpose=PhotoPurpose.EVIDENCE,
                      person=record if isinstance(record, Person) else None,
                      assessment=record if isinstance(record, Assessment) else None)
    try:
        with transaction.atomic():
            return record_verify(actor=actor, kind=kind, record_id=record_id, photo_id=photo.pk,
                                 visit_id=visit_id, visited_on=visited_on, note=note)
    except BaseException:
        _forget_file(photo)
        raise


def _forget_file(photo: Photo) -> None:
    from pathlib import Path

    from django.conf import settings

    (Path(settings.PRIVATE_FILES_ROOT) / photo.path).unlink(missing_ok=True)
