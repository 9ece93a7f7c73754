"""The demo's imported lists in ต.ลำสินธุ์, linked to the registry: the health centre's elder register
and the SAO's allowance list, as those offices would have typed them.

The rows are written from the demo's own people with the slips of ``core/synthetic/registers.py``
(similar Thai letters, tone marks, titles abbreviated, an ID with one wrong digit, elders recorded
as born 1 January, an old address), plus a few people the registry does not know yet (some on both
lists). A handful of rows are typed badly on purpose (no ID, a slip in the name, only a birth year)
so the matcher is unsure and the pairs wait in the review queue.

The files go through the real import service as the tambon officer, then ``linkage_run`` links the
records. Idempotent: nothing is done when the tambon already has the demo's lists.
"""

from __future__ import annotations

import csv
import random
import tempfile
from dataclasses import replace
from datetime import date
from pathlib import Path
from typing import Any

from chumchon.accounts.models import User
from chumchon.accounts.scoping import within_q
from chumchon.areas.models import Area, AreaLevel
from chumchon.core.synthetic import registers
from chumchon.core.synthetic.registers import HEADER, SOURCES, SourceHabits, name_slip, record_row
from chumchon.core.synthetic.rows import PersonRow
from chumchon.core.thai import age_in_years, national_id_check_digit
from chumchon.linkage.models import Source
from chumchon.people.models import Person, PersonStatus

ELDER_REGISTER = "ทะเบียนผู้สูงอายุ รพ.สต.ลำสินธุ์"
ALLOWANCE_LIST = "รายชื่อผู้รับเบี้ยยังชีพ อบต.ลำสินธุ์"
ROWS = 150  # about this many rows in each list
UNSURE = 6  # rows per list typed so badly that the matcher asks an officer
# People the registry does not know yet: (title, first, last, sex, born, moo, house, on the allowance list too)
NEWCOMERS = (
    ("นาง", "บุญเรือน", "ทองสุข", "female", date(1952, 3, 14), 2, "45", True),
    ("นาย", "สมพงษ์", "แก้วมณี", "male", date(1949, 11, 2), 3, "12/1", True),
    ("นาง", "ละเอียด", "ศรีสุวรรณ", "female", date(1946, 7, 21), 1, "88", True),
    ("นาย", "เฉลิม", "ชูช่วย", "male", date(1958, 1, 30), 5, "7", False),
    ("นาง", "จำเนียร", "หนูแก้ว", "female", date(1955, 9, 9), 4, "101/2", False),
    ("นาย", "ประเสริฐ", "ขุนทอง", "male", date(1944, 5, 5), 6, "23", True),
)


def _habits(name: str) -> SourceHabits:
    return next(habits for habits in SOURCES if habits.name == name)


def _row(person: Person, today: date) -> registers.Person:
    """The synthetic generator's view of a registry person (what a list would have recorded)."""
    row = PersonRow(relation_to_head="", title=person.title, first_name=person.first_name,
                    last_name=person.last_name, nickname="", sex=person.sex, birth_date=person.birth_date,
                    birth_year_only=person.birth_year_only, national_id=person.national_id or None,
                    no_id_reason="", phone=person.phone, has_id_card=True, has_welfare_card=False,
                    has_disability_card=False, disability_types=[], health_coverage="", allowances=[],
                    is_awaiting_rehab=False, is_bedbound=False, is_poor=False)
    moo = int(person.area_id[6:] or 0)
    age = age_in_years(person.birth_date, today) if person.birth_date else 60
    house = person.household.house_no if person.household else ""
    return registers.Person(f"p{person.pk}", row, person.area_id[:6], moo, house, None, "", (), age)


def _newcomer(index: int, tambon_code: str, values: tuple[Any, ...], today: date, moos: list[int]) -> registers.Person:
    title, first, last, sex, born, moo, house, _both = values
    moo = moos[(moo - 1) % len(moos)] if moos else moo  # a village the tambon has (none is created)
    first12 = f"3{tambon_code[:4]}00{index:05d}"[:12]
    row = PersonRow(relation_to_head="", title=title, first_name=first, last_name=last, nickname="", sex=sex,
                    birth_date=born, birth_year_only=False, national_id=first12 + str(national_id_check_digit(first12)),
                    no_id_reason="", phone="", has_id_card=True, has_welfare_card=False, has_disability_card=False,
                    disability_types=[], health_coverage="", allowances=["elderly"], is_awaiting_rehab=False,
                    is_bedbound=False, is_poor=False)
    return registers.Person(f"new{index}", row, tambon_code, moo, house, None, "", ("elderly",),
                            age_in_years(born, today))


def _unsure(rng: random.Random, person: registers.Person) -> registers.Person:
    """No ID, a slip in the first name, only the birth year, no house number: the matcher cannot be
    sure (the pair waits in the review queue, or the record becomes a person of its own)."""
    born = person.row.birth_date
    row = replace(person.row, national_id=None, first_name=name_slip(rng, person.row.first_name),
                  birth_year_only=True, birth_date=born.replace(month=1, day=1) if born else None)
    return replace(person, row=row, house_no="")


def _write(path: Path, rows: list[list[str]]) -> None:
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(HEADER)
        writer.writerows(rows)


def demo_lists(*, tambon_code: str, seed: int, today: date, rows: int = ROWS) -> dict[str, list[list[str]]]:
    """The rows of the two lists (deterministic for a seed and the registry)."""
    rng = random.Random(seed)
    people = (Person.objects.filter(within_q(tambon_code), status=PersonStatus.ACTIVE, birth_date__isnull=False)
              .select_related("household").order_by("pk"))
    cutoff = today.replace(year=today.year - 60)
    elders = [_row(person, today) for person in people.filter(birth_date__lte=cutoff)]
    rng.shuffle(elders)
    moos = sorted(number for number in Area.objects.filter(
        parent_id=tambon_code, level=AreaLevel.VILLAGE, is_active=True).values_list("number", flat=True) if number)
    newcomers = [_newcomer(i, tambon_code, values, today, moos) for i, values in enumerate(NEWCOMERS, 1)]
    size = max(0, rows - len(newcomers))
    register_people = elders[:size]
    # The allowance list shares most of its people with the register, and has some of its own.
    shared = register_people[: size * 2 // 3]
    allowance_people = shared + elders[size: size + size - len(shared)]
    out: dict[str, list[list[str]]] = {}
    for name, source, chosen, prefix in (
            (ELDER_REGISTER, "elder_register", register_people + newcomers, "ER"),
            (ALLOWANCE_LIST, "allowance_list", allowance_people + [p for p, v in zip(newcomers, NEWCOMERS,
                                                                                      strict=True) if v[7]], "AL")):
        habits = _habits(source)
        lines = []
        for number, person in enumerate(chosen, 1):
            if number % (len(chosen) // UNSURE or 1) == 0 and not person.key.startswith("new"):
                person = _unsure(rng, person)
            lines.append(record_row(rng, habits, person, f"{prefix}{number:05d}"))
        out[name] = lines
    return out


def load_demo_linkage(*, tambon_code: str = "931104", seed: int = 2568, rows: int = ROWS,
                      actor_username: str = "tambon_officer") -> dict[str, Any]:
    """Import the two lists as the tambon officer and link them; returns counts ({} when done before)."""
    from django.utils import timezone

    from chumchon.linkage.services.imports import import_job_create, import_run, source_get_or_create
    from chumchon.linkage.services.linking import linkage_run

    actor = User.objects.filter(username=actor_username).first()
    if actor is None or Source.objects.filter(area_id=tambon_code, name__in=[ELDER_REGISTER, ALLOWANCE_LIST]).exists():
        return {}
    if not Person.objects.filter(within_q(tambon_code)).exists():
        return {}  # a demo without people (--people 0) gets no lists either
    lists = demo_lists(tambon_code=tambon_code, seed=seed, today=timezone.localdate(), rows=rows)
    counts: dict[str, Any] = {"lists": {}}
    with tempfile.TemporaryDirectory() as folder:
        for index, (name, lines) in enumerate(lists.items()):
            path = Path(folder) / ("elder_register.csv" if index == 0 else "allowance_list.csv")
            _write(path, lines)
            source = source_get_or_create(actor=actor, area_code=tambon_code, name=name,
                                          description="รายชื่อสาธิต (สร้างจากข้อมูลสาธิต ไม่ใช่ข้อมูลจริง)")
            job = import_job_create(actor=actor, source=source, path=path, copy=True)
            counts["lists"][name] = import_run(actor=actor, job=job).created
    linked = linkage_run(actor=actor)
    counts.update(linked=linked.linked, persons_created=linked.persons_created, merged=linked.merged,
                  candidates=linked.candidates)
    return counts
