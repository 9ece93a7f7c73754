"""Village forums (เวทีประชาคม): a tambon officer holds a forum in a village, returns the list of
its people to the community, records who attended and marks each person confirmed, corrected
(through the registry's own update service), disputed (with a reason) or newly added.

Only a verified record can be confirmed (chumchon.core.review.TRANSITIONS is the truth): the
forum checks data a second visit has already checked. Confirming or correcting a person also
accepts that person's verified assessments, since the need categories the forum reads come
from them; the forum never sees the assessments' health details."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from chumchon.accounts.roles import Capability
from chumchon.accounts.scoping import require_area
from chumchon.areas.models import LOCAL_LEVELS, Area
from chumchon.core.audit import log_action
from chumchon.core.review import ReviewStatus
from chumchon.core.thai import normalize_text
from chumchon.core.validation import clean_date
from chumchon.people.models import Household, Person
from chumchon.people.services import person_create, person_update
from chumchon.people.validation import PERSON_FIELDS
from chumchon.visits.models import Assessment, Forum, ForumEntry, ForumOutcome, Review
from chumchon.visits.services.review import record_accept, record_dispute, status_label

RUN = Capability.RUN_FORUMS
S = ReviewStatus
MAX_ATTENDEES = 500


def _open_forum(actor: Any, forum: Forum) -> Forum:
    """The forum, locked, in the actor's reach and still open."""
    require_area(actor, RUN, forum.area_code)
    locked = Forum.objects.select_for_update().get(pk=forum.pk)
    if locked.is_closed:
        raise ValidationError({"forum": _("This forum is closed.")})
    return locked


@transaction.atomic
def forum_create(*, actor: Any, area_code: str, held_on: date | str, place: str = "", note: str = "") -> Forum:
    area = Area.objects.filter(code=str(area_code or ""), level__in=LOCAL_LEVELS, is_active=True).first()
    if area is None:
        raise ValidationError({"area_code": _("Choose a village or community.")})
    require_area(actor, RUN, area.code)
    held = clean_date(held_on, "held_on", required=True)
    assert held is not None  # required: clean_date raised otherwise
    forum = Forum.objects.create(area=area, held_on=held, place=normalize_text(place)[:200],
                                 note=normalize_text(note)[:2000], created_by=actor)
    log_action(actor=actor, verb="forum.create", obj=forum,
               data={"held_on": forum.held_on, "place": forum.place})
    return forum


@transaction.atomic
def forum_attendees_set(*, actor: Any, forum: Forum, attendees: list[dict[str, Any]]) -> Forum:
    """Replace the list of who attended: ``[{"name": ..., "role": ...}]``; empty rows are dropped."""
    forum = _open_forum(actor, forum)
    clean: list[dict[str, str]] = []
    for row in attendees or []:
        if not isinstance(row, dict):
            raise ValidationError({"attendees": _("Each attendee needs a name.")})
        name = normalize_text(str(row.get("name") or ""))[:200]
        role = normalize_text(str(row.get("role") or ""))[:100]
        if not name and not role:
            continue
        if not name:
            raise ValidationError({"attendees": _("Each attendee needs a name.")})
        clean.append({"name": name, "role": role})
    if len(clean) > MAX_ATTENDEES:
        raise ValidationError({"attendees": _("At most %(limit)s attendees.") % {"limit": MAX_ATTENDEES}})
    before = len(forum.attendees or [])
    forum.attendees = clean
    forum.save(update_fields=["attendees"])
    log_action(actor=actor, verb="forum.attendees", obj=forum, data={"before": before, "after": len(clean)})
    return forum


def _village_person(forum: Forum, person_id: int | None) -> Person:
    person = Person.objects.select_for_update().filter(pk=person_id, area_id=forum.area_id).first() \
        if person_id else None
    if person is None:
        raise ValidationError({"person_id": _("This person is not on the list of this village.")})
    return person


def _require_acceptable(person: Person) -> None:
    if person.review_status not in (S.VERIFIED, S.DISPUTED, S.ACCEPTED):
        raise ValidationError({"outcome": _(
            "%(name)s has not been verified yet (“%(status)s”): a second visit must verify the record "
            "before the forum can confirm it.") % {"name": person.full_name,
                                                     "status": status_label(person.review_status)}})


def _accept(*, actor: Any, forum: Forum, person: Person, reason: str) -> None:
    """Accept a verified or disputed person (an accepted one stays accepted), and the person's
    verified assessments with them."""
    _require_acceptable(person)
    if person.review_status != S.ACCEPTED:
        record_accept(actor=actor, kind="person", record_id=person.pk, forum=forum, reason=reason)
    verified = Assessment.objects.filter(person=person, area_id=forum.area_id, review_status=S.VERIFIED)
    for assessment_id in verified.values_list("pk", flat=True):
        record_accept(actor=actor, kind="assessment", record_id=assessment_id, forum=forum, reason=reason)
    person.refresh_from_db(fields=["review_status"])


def _entry(*, actor: Any, forum: Forum, person: Person, outcome: str, reason: str,
           data: dict[str, Any] | None = None) -> ForumEntry:
    entry, created = ForumEntry.objects.update_or_create(
        forum=forum, person=person, defaults={"outcome": outcome, "reason": reason, "recorded_by": actor})
    log_action(actor=actor, verb="forum.mark", obj=forum, data={
        "person": person.pk, "outcome": outcome, "reason": reason, "again": not created, **(data or {})})
    return entry


@transaction.atomic
def forum_mark(*, actor: Any, forum: Forum, person_id: int | None, outcome: str, reason: str = "",
               corrections: dict[str, Any] | None = None, version: int | None = None) -> ForumEntry:
    """Record what the forum said about one person. Marking a person again replaces the mark.

    - confirmed: verified → accepted;
    - corrected: ``corrections`` are applied with ``people.services.person_update`` (which checks
      ``version``), then accepted;
    - disputed: ``reason`` required; verified or accepted → disputed;
    - added: a new person, ``corrections`` holding the registration fields (see forum_add_person).
    """
    if outcome == ForumOutcome.ADDED:
        if person_id:
            raise ValidationError({"outcome": _("“Newly added” is for a person who is not on the list yet.")})
        fields = dict(corrections or {})
        clash = sorted(set(fields) & {"actor", "forum", "reason"})
        if clash:
            raise ValidationError({clash[0]: _("This is not a field of a person's record.")})
        return forum_add_person(actor=actor, forum=forum, reason=reason, **fields)
    if outcome not in ForumOutcome.values:
        raise ValidationError({"outcome": _("Choose confirmed, corrected, disputed or newly added.")})
    forum = _open_forum(actor, forum)
    person = _village_person(forum, person_id)
    text = normalize_text(reason or "")[:2000]
    data: dict[str, Any] = {}
    if outcome == ForumOutcome.CONFIRMED:
        _accept(actor=actor, forum=forum, person=person, reason=text)
    elif outcome == ForumOutcome.CORRECTED:
        if not corrections:
            raise ValidationError({"corrections": _("Enter what the forum corrected.")})
        _require_acceptable(person)  # before the update, so that a refused mark changes nothing
        person = person_update(actor=actor, person=person, version=version, **corrections)
        data["corrected"] = sorted(corrections)
        _accept(actor=actor, forum=forum, person=person, reason=text)
    else:  # disputed
        if not text:
            raise ValidationError({"reason": _("Give the reason the forum disputes this record.")})
        if person.review_status != S.DISPUTED:
            record_dispute(actor=actor, kind="person", record_id=person.pk, forum=forum, reason=text)
    return _entry(actor=actor, forum=forum, person=person, outcome=outcome, reason=text, data=data)


@transaction.atomic
def forum_add_person(*, actor: Any, forum: Forum, household_id: int | None = None, reason: str = "",
                     confirm_new: bool = False, **fields: Any) -> ForumEntry:
    """Register someone the community says is missing from the list. The whole village forum
    vouched for them, so the new record starts accepted (a creation, not a move; its Review row
    reads draft → accepted)."""
    forum = _open_forum(actor, forum)
    household = None
    if household_id:
        household = Household.objects.filter(pk=household_id, area_id=forum.area_id, is_active=True).first()
        if household is None:
            raise ValidationError({"household_id": _("Choose a household of this village.")})
    unknown = sorted(set(fields) - set(PERSON_FIELDS))
    if unknown:
        raise ValidationError({unknown[0]: _("This is not a field of a person's record.")})
    person = person_create(actor=actor, household=household, area_code=forum.area_code,
                           confirm_new=confirm_new, **fields)
    person.review_status = S.ACCEPTED
    person.registered_by = actor
    person.save(update_fields=["review_status", "registered_by"])
    text = normalize_text(reason or "")[:2000]
    Review.objects.create(person=person, area_id=person.area_id, from_status=S.DRAFT, to_status=S.ACCEPTED,
                          reason=text or _("added at the village forum"), forum=forum, actor=actor)
    log_action(actor=actor, verb="person.review", obj=person,
               data={"from": S.DRAFT, "to": S.ACCEPTED, "forum": forum.pk, "reason": text})
    return _entry(actor=actor, forum=forum, person=person, outcome=ForumOutcome.ADDED, reason=text)


@transaction.atomic
def forum_close(*, actor: Any, forum: Forum) -> Forum:
    forum = _open_forum(actor, forum)
    forum.is_closed = True
    forum.save(update_fields=["is_closed"])
    log_action(actor=actor, verb="forum.close", obj=forum, data={"entries": forum.entries.count()})
    return forum
