"""The demo committee and centre load once, skip without the demo network, and show who never comes."""

from __future__ import annotations

from datetime import date
from typing import Any

from chumchon.network.demo_committees import COMMITTEE_NAME, load_demo_committees
from chumchon.network.models import ChildCentre, Committee
from chumchon.network.selectors.committees import attendance_rate
from chumchon.network.services.directory import organisation_create
from chumchon.people.services import person_create

TODAY = date(2026, 3, 15)


def test_demo_skips_without_the_network(officer: Any) -> None:
    assert "skipped" in load_demo_committees(today=TODAY)


def test_demo_loads_once(officer: Any, household_a: Any) -> None:
    for name, kind in (("อบต.ลำสินธุ์", "sao"), ("รพ.สต.ลำสินธุ์", "health_promoting_hospital"),
                       ("ศูนย์พัฒนาเด็กเล็ก อบต.ลำสินธุ์", "child_centre"), ("วัดลำสินธุ์", "temple")):
        organisation_create(actor=officer, name=name, kind_code=kind, area_code="931104")
    for number, born in enumerate(("2022-01-05", "2023-06-01", "2021-04-01", "2019-01-01", "2025-01-01")):
        person_create(actor=officer, household=household_a, first_name=f"เด็ก{number}", last_name="ทดสอบ", sex="female",
                      birth_date=born, relation_to_head="grandchild", no_id_reason="unknown")
    counts = load_demo_committees(today=TODAY)
    assert counts["members"] == 9 and counts["children"] == 3 and counts["caregivers"] == 3
    committee = Committee.objects.get(name=COMMITTEE_NAME)
    assert committee.meetings.count() == 6
    rows = attendance_rate(user=officer, committee=committee)
    assert (rows[0].attended, rows[0].held) == (0, 6)
    centre = ChildCentre.objects.get()
    assert centre.assessments.count() == 1 and centre.support.count() == 6
    assert load_demo_committees(today=TODAY) == {"members": 0}
    assert Committee.objects.count() == 1
