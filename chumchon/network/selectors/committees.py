"""Reads of committees, their members, meetings and attendance. A committee is seen with
VIEW_AGGREGATES within the committee's area; its members' names are personal and need VIEW_NAMES
there (without it a member is shown by role and number only, and a count of 1–4 members reads "<5")."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from django.db.models import Count, Q, QuerySet
from django.http import Http404

from chumchon.accounts.roles import Capability
from chumchon.accounts.scoping import can, scope_q, within_q
from chumchon.network.models import Attendance, Committee, CommitteeMember, Meeting
from chumchon.network.scoping import shown_count

SEE = Capability.VIEW_AGGREGATES
NAMES = Capability.VIEW_NAMES


def committee_list(*, user: Any, area_code: str = "", active_only: bool = True) -> QuerySet[Committee]:
    qs = Committee.objects.filter(scope_q(user, SEE)).select_related("area", "organisation")
    if area_code:
        qs = qs.filter(within_q(area_code))
    if active_only:
        qs = qs.filter(is_active=True)
    return qs.annotate(member_count=Count("members", filter=Q(members__left_on__isnull=True), distinct=True),
                       meeting_count=Count("meetings", distinct=True)).order_by("area_id", "name", "pk")


def committee_rows(*, user: Any, area_code: str = "", limit: int = 300) -> list[Committee]:
    """``committee_list`` for a page: each committee with ``member_count_shown``, its current
    members as the user may see the count (``None`` for 1–4 without VIEW_NAMES in its area)."""
    rows = list(committee_list(user=user, area_code=area_code)[:limit])
    for committee in rows:
        committee.member_count_shown = shown_count(  # type: ignore[attr-defined]
            user, committee.area_code, committee.member_count)  # type: ignore[attr-defined]
    return rows


def committee_get(*, user: Any, committee_id: int) -> Committee:
    committee = (Committee.objects.filter(scope_q(user, SEE)).select_related("area", "organisation")
                 .filter(pk=committee_id).first())
    if committee is None:
        raise Http404("not found")
    return committee


def may_see_members(user: Any, committee: Committee) -> bool:
    return can(user, NAMES, committee.area_code)


def member_list(*, user: Any, committee: Committee) -> list[CommitteeMember]:
    """The committee's members (empty without VIEW_NAMES in its area)."""
    if not may_see_members(user, committee):
        return []
    return list(CommitteeMember.objects.filter(committee=committee).select_related("organisation", "user")
                .order_by("left_on", "pk"))


def member_get(*, user: Any, committee: Committee, member_id: int) -> CommitteeMember:
    if not may_see_members(user, committee):
        raise Http404("not found")
    member = CommitteeMember.objects.filter(committee=committee, pk=member_id).first()
    if member is None:
        raise Http404("not found")
    return member


def meeting_list(*, user: Any, committee: Committee) -> QuerySet[Meeting]:
    committee_get(user=user, committee_id=committee.pk)
    return (Meeting.objects.filter(committee=committee)
            .annotate(present_count=Count("attendance", filter=Q(attendance__present=True)),
                      marked_count=Count("attendance")).order_by("-held_on", "-pk"))


def meeting_get(*, user: Any, committee: Committee, meeting_id: int) -> Meeting:
    committee_get(user=user, committee_id=committee.pk)
    meeting = Meeting.objects.filter(committee=committee, pk=meeting_id).first()
    if meeting is None:
        raise Http404("not found")
    return meeting


def meeting_attendance(meeting: Meeting) -> dict[int, bool]:
    return dict(Attendance.objects.filter(meeting=meeting).values_list("member_id", "present"))


@dataclass
class AttendanceRow:
    member_id: int
    label: str  # the member's name, or role and number without VIEW_NAMES
    role: str
    held: int  # meetings in the period held while a member
    attended: int

    @property
    def rate(self) -> float | None:
        return self.attended / self.held if self.held else None

    @property
    def percent(self) -> int | None:
        rate = self.rate
        return None if rate is None else round(rate * 100)


def attendance_rate(*, user: Any, committee: Committee, date_from: date | None = None,
                    date_to: date | None = None) -> list[AttendanceRow]:
    """For each member, the meetings held between ``date_from`` and ``date_to`` (inclusive) while
    they were a member, and how many they attended; lowest rate first (who never comes on top),
    members with no meeting in the period last."""
    committee_get(user=user, committee_id=committee.pk)
    names = may_see_members(user, committee)
    meetings = Meeting.objects.filter(committee=committee)
    if date_from:
        meetings = meetings.filter(held_on__gte=date_from)
    if date_to:
        meetings = meetings.filter(held_on__lte=date_to)
    held_dates = dict(meetings.values_list("pk", "held_on"))
    present = set(Attendance.objects.filter(meeting_id__in=list(held_dates), present=True)
                  .values_list("meeting_id", "member_id"))
    rows: list[AttendanceRow] = []
    for number, member in enumerate(CommitteeMember.objects.filter(committee=committee).order_by("pk"), start=1):
        during = [pk for pk, on in held_dates.items()
                  if not (member.joined_on and member.joined_on > on) and not (member.left_on and member.left_on < on)]
        attended = sum(1 for pk in during if (pk, member.pk) in present)
        label = member.name if names else f"{member.role or '—'} #{number}"
        rows.append(AttendanceRow(member_id=member.pk, label=label, role=member.role, held=len(during),
                                  attended=attended))
    rows.sort(key=lambda row: (row.rate is None, row.rate if row.rate is not None else 0, -row.held, row.label))
    return rows
