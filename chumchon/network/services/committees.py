"""Committees and teams (a tambon working group, a provincial support team): members and their
roles, meetings with agenda and decisions, and who attended. A committee belongs to an area;
keeping it needs MANAGE_NETWORK there.

Attendance is recorded only for members who were members on the meeting's date, so the
attendance rate (``chumchon.network.selectors.committees.attendance_rate``) counts, for each
member, only the meetings held while they were a member."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils.translation import gettext as _

from chumchon.accounts.roles import Capability
from chumchon.accounts.scoping import require_area, within_q
from chumchon.areas.models import Area
from chumchon.core.audit import log_action
from chumchon.core.thai import normalize_text
from chumchon.core.validation import clean_date
from chumchon.network.models import Attendance, Committee, CommitteeMember, Meeting, Organisation
from chumchon.network.scoping import ancestors_of, organisation_visible_q
from chumchon.network.services.cleaning import as_id

MANAGE = Capability.MANAGE_NETWORK


def clean_text(value: Any, field: str, *, limit: int, required: bool = False) -> str:
    text = normalize_text(str(value or ""))[:limit]
    if required and not text:
        raise ValidationError({field: _("This field is required.")})
    return text


def _organisation(organisation_id: Any, field: str = "organisation_id", *, actor: Any) -> Organisation | None:
    """An organisation the actor sees (``organisation_visible_q``); another area's answers
    exactly like an id that does not exist, so a write reveals nothing of it."""
    if organisation_id in (None, ""):
        return None
    pk = as_id(organisation_id)
    organisation = Organisation.objects.filter(organisation_visible_q(actor), pk=pk).first() \
        if pk is not None else None
    if organisation is None:
        raise ValidationError({field: _("Unknown organisation.")})
    return organisation


def _user(user_id: Any, *, area_code: str) -> Any:
    """An active user with a membership in ``area_code``, within it or above it (a village
    volunteer, the tambon officer, the provincial coordinator of a tambon committee)."""
    if user_id in (None, ""):
        return None
    from chumchon.accounts.models import Membership, User

    pk = as_id(user_id)
    areas = Membership.objects.filter(within_q(area_code) | Q(area_id__in=sorted(ancestors_of([area_code]))))
    user = User.objects.filter(pk=pk, is_active=True, pk__in=areas.values("user_id")).first() \
        if pk is not None else None
    if user is None:
        raise ValidationError({"user_id": _("Unknown user.")})
    return user


def member_is_current(member: CommitteeMember, on: date) -> bool:
    """Was ``member`` a member on ``on``? (joined on or before it, not left before it)."""
    if member.joined_on and member.joined_on > on:
        return False
    return not (member.left_on and member.left_on < on)


@transaction.atomic
def committee_create(*, actor: Any, name: str, area_code: str, organisation_id: Any = None,
                     purpose: str = "") -> Committee:
    area = Area.objects.filter(code=str(area_code or ""), is_active=True).first()
    if area is None:
        raise ValidationError({"area_code": _("Choose an area.")})
    require_area(actor, MANAGE, area.code)
    committee = Committee.objects.create(
        name=clean_text(name, "name", limit=200, required=True), area=area,
        organisation=_organisation(organisation_id, actor=actor), purpose=clean_text(purpose, "purpose", limit=4000))
    log_action(actor=actor, verb="committee.create", obj=committee,
               data={"name": committee.name, "organisation": committee.organisation_id})
    return committee


def _member_fields(fields: dict[str, Any], *, actor: Any, committee: Committee, joined: date | None,
                   left: date | None) -> dict[str, Any]:
    out: dict[str, Any] = {}
    if "name" in fields:
        out["name"] = clean_text(fields["name"], "name", limit=200, required=True)
    if "role" in fields:
        out["role"] = clean_text(fields["role"], "role", limit=120)
    if "organisation_id" in fields:
        out["organisation"] = _organisation(fields["organisation_id"], actor=actor)
    if "user_id" in fields:
        out["user"] = _user(fields["user_id"], area_code=committee.area_code)
    if "joined_on" in fields:
        out["joined_on"] = clean_date(fields["joined_on"], "joined_on", required=False)
        joined = out["joined_on"]
    if "left_on" in fields:
        out["left_on"] = clean_date(fields["left_on"], "left_on", required=False)
        left = out["left_on"]
    if joined and left and left < joined:
        raise ValidationError({"left_on": _("The date of leaving is before the date of joining.")})
    return out


MEMBER_FIELDS = ("name", "role", "organisation_id", "user_id", "joined_on", "left_on")


@transaction.atomic
def member_add(*, actor: Any, committee: Committee, name: str, role: str = "", user_id: Any = None,
               organisation_id: Any = None, joined_on: date | str | None = None,
               left_on: date | str | None = None) -> CommitteeMember:
    require_area(actor, MANAGE, committee.area_code)
    fields = _member_fields({"name": name, "role": role, "user_id": user_id, "organisation_id": organisation_id,
                             "joined_on": joined_on, "left_on": left_on}, actor=actor, committee=committee,
                            joined=None, left=None)
    member = CommitteeMember.objects.create(committee=committee, **fields)
    log_action(actor=actor, verb="committee.member_add", obj=committee,
               data={"member": member.pk, "name": member.name, "role": member.role})
    return member


@transaction.atomic
def member_update(*, actor: Any, member: CommitteeMember, **changes: Any) -> CommitteeMember:
    unknown = sorted(set(changes) - set(MEMBER_FIELDS))
    if unknown:
        raise ValidationError({unknown[0]: _("This is not a field of a committee member.")})
    committee = member.committee
    require_area(actor, MANAGE, committee.area_code)
    member = CommitteeMember.objects.select_for_update().get(pk=member.pk)
    fields = _member_fields(changes, actor=actor, committee=committee, joined=member.joined_on,
                            left=member.left_on)
    before = {name: getattr(member, name) for name in fields}
    for name, value in fields.items():
        setattr(member, name, value)
    member.save()
    log_action(actor=actor, verb="committee.member_update", obj=committee, data={
        "member": member.pk,
        "before": {k: getattr(v, "pk", v) for k, v in before.items()},
        "after": {k: getattr(v, "pk", v) for k, v in fields.items()}})
    return member


@transaction.atomic
def meeting_create(*, actor: Any, committee: Committee, held_on: date | str, place: str = "",
                   agenda: str = "", decisions: str = "") -> Meeting:
    require_area(actor, MANAGE, committee.area_code)
    held = clean_date(held_on, "held_on", required=True)
    assert held is not None
    meeting = Meeting.objects.create(committee=committee, held_on=held,
                                     place=clean_text(place, "place", limit=200),
                                     agenda=clean_text(agenda, "agenda", limit=4000),
                                     decisions=clean_text(decisions, "decisions", limit=8000))
    log_action(actor=actor, verb="committee.meeting_create", obj=committee,
               data={"meeting": meeting.pk, "held_on": meeting.held_on, "place": meeting.place})
    return meeting


@transaction.atomic
def meeting_update(*, actor: Any, meeting: Meeting, place: str | None = None, agenda: str | None = None,
                   decisions: str | None = None) -> Meeting:
    require_area(actor, MANAGE, meeting.committee.area_code)
    meeting = Meeting.objects.select_for_update().get(pk=meeting.pk)
    if place is not None:
        meeting.place = clean_text(place, "place", limit=200)
    if agenda is not None:
        meeting.agenda = clean_text(agenda, "agenda", limit=4000)
    if decisions is not None:
        meeting.decisions = clean_text(decisions, "decisions", limit=8000)
    meeting.save()
    log_action(actor=actor, verb="committee.meeting_update", obj=meeting.committee, data={"meeting": meeting.pk})
    return meeting


def _truthy(value: Any) -> bool:
    return bool(value) and str(value).lower() not in ("0", "false", "off", "no")


@transaction.atomic
def attendance_record(*, actor: Any, meeting: Meeting, present: dict[Any, Any]) -> list[Attendance]:
    """Record who came: ``{member_id: True/False}``. Only members of the committee who were
    members on the meeting's date may be marked; current members left out are recorded absent,
    so the rate counts them."""
    committee = meeting.committee
    require_area(actor, MANAGE, committee.area_code)
    members = {m.pk: m for m in CommitteeMember.objects.filter(committee=committee)}
    marks: dict[int, bool] = {}
    for key, value in (present or {}).items():
        member_id = as_id(key)
        member = members.get(member_id) if member_id is not None else None
        if member is None:
            raise ValidationError({"present": _("This person is not a member of the committee.")})
        if not member_is_current(member, meeting.held_on):
            if not _truthy(value):
                continue  # an unticked box of someone who was not a member then: nothing to record
            raise ValidationError({"present": _("%(name)s was not a member on the date of the meeting.")
                                   % {"name": member.name}})
        marks[member.pk] = _truthy(value)
    for member in members.values():
        if member.pk not in marks and member_is_current(member, meeting.held_on):
            marks[member.pk] = False
    rows: list[Attendance] = []
    for member_id, here in sorted(marks.items()):
        row, _created = Attendance.objects.update_or_create(meeting=meeting, member_id=member_id,
                                                            defaults={"present": here})
        rows.append(row)
    log_action(actor=actor, verb="committee.attendance", obj=committee, data={
        "meeting": meeting.pk, "present": sum(marks.values()), "absent": len(marks) - sum(marks.values())})
    return rows
