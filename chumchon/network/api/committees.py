"""API: committees, members, meetings with attendance, and attendance rates. Reads through
network.selectors.committees (VIEW_AGGREGATES in the committee's area, names with VIEW_NAMES; 404
outside reach), writes through network.services.committees (MANAGE_NETWORK; 422 naming the field)."""

from __future__ import annotations

from datetime import date

from django.db.models import QuerySet
from django.http import HttpRequest
from ninja import Router, Schema, Status
from ninja.pagination import paginate

from chumchon.api.auth import caller
from chumchon.api.pagination import Pagination
from chumchon.api.schemas import errors
from chumchon.core.thai import ThaiDateError, parse_thai_date
from chumchon.network.models import Committee, CommitteeMember, Meeting
from chumchon.network.selectors import committees as selectors
from chumchon.network.services import committees as services

router = Router()


class CommitteeOut(Schema):
    id: int
    name: str
    area_code: str
    organisation_id: int | None
    purpose: str
    is_active: bool


class CommitteeIn(Schema):
    name: str
    area_code: str
    organisation_id: int | None = None
    purpose: str = ""


class MemberOut(Schema):
    id: int
    name: str
    role: str
    organisation_id: int | None
    user_id: int | None
    joined_on: date | None
    left_on: date | None


class MemberIn(Schema):
    name: str
    role: str = ""
    organisation_id: int | None = None
    user_id: int | None = None
    joined_on: str | None = None
    left_on: str | None = None


class MemberPatch(Schema):
    name: str | None = None
    role: str | None = None
    organisation_id: int | None = None
    joined_on: str | None = None
    left_on: str | None = None


class MeetingOut(Schema):
    id: int
    held_on: date
    place: str
    agenda: str
    decisions: str
    attendance: dict[str, bool]

    @staticmethod
    def resolve_attendance(obj: Meeting) -> dict[str, bool]:
        return {str(k): v for k, v in selectors.meeting_attendance(obj).items()}


class MeetingIn(Schema):
    held_on: str
    place: str = ""
    agenda: str = ""
    decisions: str = ""
    present: dict[str, bool] = {}


class RateOut(Schema):
    member_id: int
    label: str
    role: str
    held: int
    attended: int
    percent: int | None


def _date(text: str) -> date | None:
    try:
        return parse_thai_date(text).value if text else None
    except ThaiDateError:
        return None


@router.get("", response={200: list[CommitteeOut], **errors(422)})
@paginate(Pagination)
def committee_list(request: HttpRequest, area: str = "") -> QuerySet[Committee]:
    return selectors.committee_list(user=caller(request), area_code=area)


@router.post("", response={201: CommitteeOut, **errors(404, 422)})
def committee_create(request: HttpRequest, payload: CommitteeIn) -> Status[Committee]:
    return Status(201, services.committee_create(actor=caller(request), **payload.model_dump()))


@router.get("/{int:committee_id}", response={200: CommitteeOut, **errors(404)})
def committee_get(request: HttpRequest, committee_id: int) -> Committee:
    return selectors.committee_get(user=caller(request), committee_id=committee_id)


@router.get("/{int:committee_id}/members", response={200: list[MemberOut], **errors(404)})
def member_list(request: HttpRequest, committee_id: int) -> list[CommitteeMember]:
    """Members by name (empty without VIEW_NAMES in the committee's area)."""
    user = caller(request)
    return selectors.member_list(user=user, committee=selectors.committee_get(user=user, committee_id=committee_id))


@router.post("/{int:committee_id}/members", response={201: MemberOut, **errors(404, 422)})
def member_add(request: HttpRequest, committee_id: int, payload: MemberIn) -> Status[CommitteeMember]:
    user = caller(request)
    committee = selectors.committee_get(user=user, committee_id=committee_id)
    return Status(201, services.member_add(actor=user, committee=committee, **payload.model_dump()))


@router.patch("/{int:committee_id}/members/{int:member_id}", response={200: MemberOut, **errors(404, 422)})
def member_update(request: HttpRequest, committee_id: int, member_id: int, payload: MemberPatch) -> CommitteeMember:
    user = caller(request)
    committee = selectors.committee_get(user=user, committee_id=committee_id)
    member = selectors.member_get(user=user, committee=committee, member_id=member_id)
    return services.member_update(actor=user, member=member, **payload.model_dump(exclude_unset=True))


@router.get("/{int:committee_id}/meetings", response={200: list[MeetingOut], **errors(404)})
def meeting_list(request: HttpRequest, committee_id: int) -> list[Meeting]:
    user = caller(request)
    committee = selectors.committee_get(user=user, committee_id=committee_id)
    return list(selectors.meeting_list(user=user, committee=committee)[:200])


@router.post("/{int:committee_id}/meetings", response={201: MeetingOut, **errors(404, 422)})
def meeting_create(request: HttpRequest, committee_id: int, payload: MeetingIn) -> Status[Meeting]:
    """A meeting with who came: ``present`` maps member id → true/false."""
    from django.db import transaction

    user = caller(request)
    committee = selectors.committee_get(user=user, committee_id=committee_id)
    data = payload.model_dump()
    present = data.pop("present")
    with transaction.atomic():
        meeting = services.meeting_create(actor=user, committee=committee, **data)
        services.attendance_record(actor=user, meeting=meeting, present=present)
    return Status(201, meeting)


@router.get("/{int:committee_id}/attendance", response={200: list[RateOut], **errors(404)})
def attendance(request: HttpRequest, committee_id: int, date_from: str = "", date_to: str = ""
               ) -> list[selectors.AttendanceRow]:
    """Per member: meetings held while a member in the period, and attended; lowest rate first."""
    user = caller(request)
    committee = selectors.committee_get(user=user, committee_id=committee_id)
    return selectors.attendance_rate(user=user, committee=committee, date_from=_date(date_from),
                                     date_to=_date(date_to))
