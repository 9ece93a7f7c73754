"""Committees: members, meetings, attendance only for members on the day, attendance rates."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.http import Http404

from chumchon.network.selectors.committees import attendance_rate, committee_list, member_list
from chumchon.network.services.committees import (
    attendance_record,
    committee_create,
    meeting_create,
    member_add,
    member_update,
)


@pytest.fixture
def committee(officer: Any) -> Any:
    return committee_create(actor=officer, name="คณะทำงานพัฒนาคุณภาพชีวิตระดับตำบล", area_code="931104")


def test_volunteer_and_outsider_cannot_create_a_committee(volunteer: Any, outsider: Any) -> None:
    for actor in (volunteer, outsider):
        with pytest.raises(Http404):
            committee_create(actor=actor, name="x", area_code="931104")


def test_member_dates_are_checked(officer: Any, committee: Any) -> None:
    with pytest.raises(ValidationError) as caught:
        member_add(actor=officer, committee=committee, name="ก", joined_on="01/10/2568", left_on="01/09/2568")
    assert "left_on" in caught.value.message_dict
    member = member_add(actor=officer, committee=committee, name="ก", role="ประธาน", joined_on="1 ต.ค. 2568")
    assert member.joined_on == date(2025, 10, 1)
    member = member_update(actor=officer, member=member, left_on="2026-03-31")
    assert member.left_on == date(2026, 3, 31)


def test_attendance_only_for_members_on_the_meeting_date(officer: Any, committee: Any) -> None:
    late = member_add(actor=officer, committee=committee, name="มาใหม่", joined_on="2026-02-01")
    early = member_add(actor=officer, committee=committee, name="เดิม", joined_on="2025-01-01")
    meeting = meeting_create(actor=officer, committee=committee, held_on="15/01/2569", place="ศาลา")
    with pytest.raises(ValidationError):
        attendance_record(actor=officer, meeting=meeting, present={late.pk: True})
    rows = attendance_record(actor=officer, meeting=meeting, present={str(early.pk): "on"})
    assert [(row.member_id, row.present) for row in rows] == [(early.pk, True)]


def test_attendance_rate_puts_who_never_comes_on_top(officer: Any, committee: Any) -> None:
    always = member_add(actor=officer, committee=committee, name="มาทุกครั้ง", joined_on="2025-01-01")
    never = member_add(actor=officer, committee=committee, name="ไม่เคยมา", joined_on="2025-01-01")
    half = member_add(actor=officer, committee=committee, name="มาครึ่งหนึ่ง", joined_on="2025-01-01")
    joined = member_add(actor=officer, committee=committee, name="เข้าใหม่", joined_on="2026-03-01")
    for month in range(1, 5):
        meeting = meeting_create(actor=officer, committee=committee, held_on=date(2026, month, 10))
        marks = {always.pk: True, never.pk: False, half.pk: month % 2 == 0}
        if month >= 3:
            marks[joined.pk] = True
        attendance_record(actor=officer, meeting=meeting, present=marks)
    rows = attendance_rate(user=officer, committee=committee, date_from=date(2026, 1, 1), date_to=date(2026, 12, 31))
    assert [(row.label, row.held, row.attended, row.percent) for row in rows] == [
        ("ไม่เคยมา", 4, 0, 0), ("มาครึ่งหนึ่ง", 4, 2, 50), ("มาทุกครั้ง", 4, 4, 100), ("เข้าใหม่", 2, 2, 100)]
    rows = attendance_rate(user=officer, committee=committee, date_from=date(2026, 2, 1), date_to=date(2026, 2, 28))
    assert {row.label: (row.held, row.attended) for row in rows}["เข้าใหม่"] == (0, 0)
    assert rows[-1].label == "เข้าใหม่"  # no meeting while a member: last


def test_members_names_need_view_names(officer: Any, coordinator: Any, outsider: Any, committee: Any) -> None:
    member_add(actor=officer, committee=committee, name="สมชาย", role="เลขานุการ")
    assert list(committee_list(user=coordinator)) == [committee]
    assert member_list(user=coordinator, committee=committee) == []
    assert attendance_rate(user=coordinator, committee=committee)[0].label == "เลขานุการ #1"
    assert [m.name for m in member_list(user=officer, committee=committee)] == ["สมชาย"]
    assert list(committee_list(user=outsider)) == []
    with pytest.raises(Http404):
        attendance_rate(user=outsider, committee=committee)
