"""The rows of a synthetic tambon, without the database: villages, households and people.

``plan_tambon(tambon_code=..., villages=..., people=..., seed=...)`` is deterministic for a seed
and a ``today``. Households are built by type, as a rural southern tambon has them (elders alone,
grandparents raising grandchildren while the parents work away, three generations under one roof,
young families), so that the age pyramid, household sizes and shared family names come out of
the households rather than being drawn person by person.
"""

from __future__ import annotations

import math
import random
from datetime import date
from decimal import Decimal

from chumchon.core.synthetic import names
from chumchon.core.synthetic.households import HOUSEHOLD_TYPES, MAX_HOUSEHOLD, build_household
from chumchon.core.synthetic.persons import Context, household_people, migrant_offices
from chumchon.core.synthetic.rows import HouseholdRow, TambonPlan, VillageRow

# Tambon centres (lat, lon) we know; others get no GPS unless a centre is passed.
TAMBON_CENTRES: dict[str, tuple[float, float]] = {
    "931104": (7.56, 99.93),  # ลำสินธุ์
    "931101": (7.5733, 99.9417),  # ชุมพล, the district seat
}


def _scatter(rng: random.Random, centre: tuple[float, float], metres: float) -> tuple[float, float]:
    lat, lon = centre
    d_north = rng.gauss(0, metres)
    d_east = rng.gauss(0, metres)
    return lat + d_north / 110_574, lon + d_east / (111_320 * math.cos(math.radians(lat)))


def _coordinate(value: float) -> Decimal:
    return Decimal(f"{value:.6f}")


def plan_tambon(*, tambon_code: str, villages: int, people: int, seed: int, today: date | None = None,
                tambon_name: str | None = None, centre: tuple[float, float] | None = None,
                with_typos: bool = False) -> TambonPlan:
    """The villages, households and people of one synthetic tambon (no database)."""
    if with_typos:
        raise NotImplementedError("typing errors as field workers make them arrive with the import issue")
    if villages < 1 or villages > 99:
        raise ValueError("a tambon has 1–99 villages")
    if people < 0:
        raise ValueError("people must be ≥ 0")
    if today is None:
        from django.utils import timezone

        today = timezone.localdate()
    if tambon_name is None:
        import geothai

        found = geothai.subdistrict(tambon_code)
        tambon_name = found.name_th if found else tambon_code
    centre = centre or TAMBON_CENTRES.get(tambon_code)

    rng = random.Random(seed)
    village_rows = [VillageRow(moo, name)
                    for moo, name in enumerate(names.village_names(rng, tambon_name, villages), start=1)]
    sizes = [rng.lognormvariate(0, 0.35) for _ in village_rows]
    village_centres: dict[int, tuple[float, float]] = {}
    if centre:
        for row in village_rows:
            # หมู่ 1 near the centre; the others up to ~4 km out along the roads.
            distance = 300 if row.moo == 1 else 900 + rng.random() * 3000
            angle = rng.random() * 2 * math.pi
            village_centres[row.moo] = (centre[0] + distance * math.sin(angle) / 110_574,
                                        centre[1] + distance * math.cos(angle) / (111_320 * math.cos(
                                            math.radians(centre[0]))))

    clans = names.family_name_pool(rng, max(1, people // 3))
    ctx = Context(rng=rng, today=today, tambon_code=tambon_code, used_ids=set(),
                   migrant_offices=migrant_offices(tambon_code))
    kinds, kind_weights = list(HOUSEHOLD_TYPES), list(HOUSEHOLD_TYPES.values())
    households: list[HouseholdRow] = []
    total = 0
    while total < people:
        moo = rng.choices(village_rows, weights=sizes)[0].moo
        kind = rng.choices(kinds, weights=kind_weights)[0]
        members = build_household(rng, kind)[: min(MAX_HOUSEHOLD, people - total)]
        household = HouseholdRow(moo=moo, house_no="", house_code="", latitude=None, longitude=None,
                                 members=household_people(ctx, members, clans, kind))
        if moo in village_centres:
            lat, lon = _scatter(rng, village_centres[moo], 260)
            household.latitude, household.longitude = _coordinate(lat), _coordinate(lon)
        households.append(household)
        total += len(household.members)
    _number_houses(rng, tambon_code, households)
    return TambonPlan(tambon_code=tambon_code, seed=seed, today=today, villages=village_rows,
                      households=households)


def _number_houses(rng: random.Random, tambon_code: str, households: list[HouseholdRow]) -> None:
    """House numbers run from 1 in each village, with gaps and a few split plots (12/1)."""
    last: dict[int, int] = {}
    sub: dict[int, int] = {}
    running = rng.randrange(100_000, 900_000)
    for household in households:
        number = last.get(household.moo, 0)
        if number and rng.random() < 0.1:
            sub[household.moo] = sub.get(household.moo, 0) + 1
            household.house_no = f"{number}/{sub[household.moo]}"
        else:
            number += 1 + (rng.randrange(1, 4) if rng.random() < 0.08 else 0)
            last[household.moo], sub[household.moo] = number, 0
            household.house_no = str(number)
        running += 1 + rng.randrange(3)
        # รหัสประจำบ้าน: the registration office, a running number, and a final digit.
        household.house_code = f"{tambon_code[:4]}{running:06d}{rng.randrange(10)}"
