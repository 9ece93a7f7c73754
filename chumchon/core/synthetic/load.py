"""Writing a planned tambon to the database: the bulk path.

Villages, households and people are built in memory, people get the same derived fields as the
services give them (``people.services.person_derive``), and everything goes in with
``bulk_create`` in batches: no per-row service call, no per-row query. One summary audit entry
records the load.
"""

from __future__ import annotations

import random
from collections.abc import Callable, Iterable
from datetime import date

from django.db import transaction

from chumchon.areas.models import Area, AreaLevel
from chumchon.core.audit import log_action
from chumchon.core.synthetic.plan import plan_tambon
from chumchon.core.synthetic.rows import TambonPlan
from chumchon.core.thai import national_id_check_digit
from chumchon.people.models import DataBasis, GivenBy, Household, LawfulBasis, Person
from chumchon.people.services import person_derive

Progress = Callable[[int, int], None]
BATCH = 500
DEMO_PURPOSES = "ทะเบียนกลุ่มเปราะบางเพื่อการดูแลและจัดสวัสดิการของ อปท. (ข้อมูลสาธิต)"


def generate_tambon(*, tambon_code: str, villages: int, people: int, seed: int, today: date | None = None,
                    centre: tuple[float, float] | None = None, with_typos: bool = False,
                    progress: Progress | None = None, verb: str = "demo.load") -> dict[str, int]:
    """Plan a synthetic tambon and write it; returns the counts written.

    ``progress(done, total)`` is called after each batch of people.
    """
    plan = plan_tambon(tambon_code=tambon_code, villages=villages, people=people, seed=seed, today=today,
                       centre=centre, with_typos=with_typos)
    return load_plan(plan, progress=progress, verb=verb)


def _chunks(items: list, size: int) -> Iterable[list]:
    for start in range(0, len(items), size):
        yield items[start:start + size]


@transaction.atomic
def load_plan(plan: TambonPlan, *, progress: Progress | None = None, verb: str = "demo.load") -> dict[str, int]:
    tambon = Area.objects.get(code=plan.tambon_code, level=AreaLevel.SUBDISTRICT)
    villages, created = _ensure_villages(plan, tambon)
    _avoid_taken_house_numbers(plan, villages)
    _avoid_taken_ids(plan)

    households: list[Household] = []
    for row in plan.households:
        households.append(Household(
            area=villages[row.moo], house_no=row.house_no, house_code=row.house_code,
            latitude=row.latitude, longitude=row.longitude,
        ))
    Household.objects.bulk_create(households, batch_size=BATCH)

    people: list[Person] = []
    for household, row in zip(households, plan.households, strict=True):
        for member in row.members:
            person = Person(area=household.area, household=household, **vars(member))
            person_derive(person)
            people.append(person)
    total = len(people)
    done = 0
    for batch in _chunks(people, BATCH):
        Person.objects.bulk_create(batch)
        done += len(batch)
        if progress:
            progress(done, total)
    # Each person's data is held on a lawful basis (PDPA): the local government's public task.
    DataBasis.objects.bulk_create([
        DataBasis(person=person, basis=LawfulBasis.PUBLIC_TASK, purposes=DEMO_PURPOSES,
                  given_by=GivenBy.NOT_APPLICABLE, given_on=plan.today, notice_version="demo")
        for person in people], batch_size=BATCH)
    counts = {
        "villages": len(plan.villages),
        "villages_created": created,
        "households": len(households),
        "people": total,
    }
    log_action(actor=None, verb=verb, object_type="areas.area", object_id=tambon.code, area_code=tambon.code,
               data={"seed": plan.seed, "on": plan.today, **counts})
    return counts


def _ensure_villages(plan: TambonPlan, tambon: Area) -> tuple[dict[int, Area], int]:
    """The plan's villages, reusing those that already exist (by moo number)."""
    existing = {area.number: area for area in Area.objects.filter(parent=tambon, level=AreaLevel.VILLAGE)}
    new = []
    for row in plan.villages:
        if row.moo in existing:
            continue
        code = f"{tambon.code}{row.moo:02d}"
        new.append(Area(code=code, level=AreaLevel.VILLAGE, parent=tambon, number=row.moo, official_code=code,
                        name_th=row.name_th, postcodes=tambon.postcodes))
    Area.objects.bulk_create(new)
    by_moo = {**existing, **{area.number: area for area in new}}
    return {moo: area for moo, area in by_moo.items() if moo is not None}, len(new)


def _avoid_taken_house_numbers(plan: TambonPlan, villages: dict[int, Area]) -> None:
    """Households already in a reused village keep their numbers; ours move past them."""
    taken: dict[str, set[str]] = {}
    rows = Household.objects.filter(area__in=list(villages.values()), is_active=True).values_list("area_id",
                                                                                                   "house_no")
    for area_id, house_no in rows:
        taken.setdefault(area_id, set()).add(house_no)
    if not taken:
        return
    for row in plan.households:
        used = taken.get(villages[row.moo].code)
        if used is None or row.house_no not in used:
            continue
        number = 1 + max((int(no.split("/")[0]) for no in used if no.split("/")[0].isdigit()), default=0)
        row.house_no = str(number)
        used.add(row.house_no)


def _avoid_taken_ids(plan: TambonPlan) -> None:
    """National IDs are unique across the database: redraw the few that another tambon holds."""
    wanted = [person for person in plan.people if person.national_id]
    taken: set[str] = set()
    for batch in _chunks([person.national_id for person in wanted], BATCH):
        found = Person.objects.filter(national_id__in=batch).values_list("national_id", flat=True)
        taken.update(national_id for national_id in found if national_id)
    if not taken:
        return
    rng = random.Random(plan.seed * 7919 + 1)
    in_plan = {person.national_id for person in wanted} | taken
    for person in wanted:
        if person.national_id not in taken:
            continue
        prefix = str(person.national_id)[:5]
        while True:
            first12 = prefix + f"{rng.randrange(10**7):07d}"
            candidate = first12 + str(national_id_check_digit(first12))
            if candidate not in in_plan:
                break
        in_plan.add(candidate)
        person.national_id = candidate
