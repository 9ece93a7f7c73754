"""Turning household members into people: names, birth dates as they get recorded, national IDs
that fit the birth year and the registration office, cards, allowances, vulnerability."""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import date, timedelta

from chumchon.core.synthetic import names
from chumchon.core.synthetic.households import Member
from chumchon.core.synthetic.rows import PersonRow
from chumchon.core.thai import age_in_years, national_id_check_digit, years_before

# A district registration office that did not exist yet when older residents got their numbers:
# ศรีนครินทร์ (9311) was split off from เมืองพัทลุง (9301) in 1996.
DISTRICT_HISTORY: dict[str, tuple[str, int]] = {"9311": ("9301", 1996)}

# Where people who moved in got their numbers: the rest of the province, its neighbours
# (Nakhon Si Thammarat, Songkhla, Trang, Satun) and Bangkok.
NEIGHBOUR_PROVINCES = ("80", "90", "92", "91")


@dataclass
class Context:
    rng: random.Random
    today: date
    tambon_code: str
    used_ids: set[str]
    migrant_offices: list[str]


def _birth_date(ctx: Context, age: int) -> tuple[date, bool]:
    """A birth date for someone ``age`` today; elders are often recorded as 1 January or year only."""
    rng = ctx.rng
    latest = years_before(ctx.today, age)
    earliest = years_before(ctx.today, age + 1) + timedelta(days=1)
    born = earliest + timedelta(days=rng.randrange((latest - earliest).days + 1))
    roll = rng.random()
    if age >= 60:
        if roll < 0.15:
            return born.replace(month=1, day=1), True
        if roll < 0.50:
            return born.replace(month=1, day=1), False
    elif age >= 45 and roll < 0.10:
        return born.replace(month=1, day=1), roll < 0.02
    elif roll < 0.01:
        return born.replace(month=1, day=1), False
    return born, False


def migrant_offices(tambon_code: str) -> list[str]:
    """Registration offices of the rest of the province, its neighbours and Bangkok (geothai)."""
    import geothai

    province = tambon_code[:2]
    offices = [d.code for d in geothai.districts(province) if d.code != tambon_code[:4]]
    offices.append(f"{province}99")  # a municipal office (they count down from 99)
    for code in NEIGHBOUR_PROVINCES:
        if code != province:
            offices += [d.code for d in geothai.districts(code)]
    offices += [d.code for d in geothai.districts("10")][:12]
    return offices


def _office(ctx: Context, birth_year: int) -> str:
    rng = ctx.rng
    if rng.random() < 0.12:
        return ctx.migrant_offices[rng.randrange(len(ctx.migrant_offices))]
    home = ctx.tambon_code[:4]
    parent, since = DISTRICT_HISTORY.get(home, (home, 0))
    return parent if birth_year < since else home


def _first_digit(rng: random.Random, birth_year: int) -> str:
    roll = rng.random()
    if birth_year >= 1984:
        return "1" if roll < 0.97 else "2" if roll < 0.995 else "5"
    return "3" if roll < 0.96 else "5" if roll < 0.985 else "4" if roll < 0.995 else "8"


def _national_id(ctx: Context, birth_year: int) -> str:
    rng = ctx.rng
    while True:
        first12 = _first_digit(rng, birth_year) + _office(ctx, birth_year) + f"{rng.randrange(10**7):07d}"
        national_id = first12 + str(national_id_check_digit(first12))
        if national_id not in ctx.used_ids:
            ctx.used_ids.add(national_id)
            return national_id


def _phone(rng: random.Random) -> str:
    return f"0{rng.choice('689')}{rng.randrange(10**8):08d}"


DISABILITY_WEIGHTS = {3: 45, 2: 17, 1: 11, 4: 9, 5: 11, 6: 4, 7: 3}
CHILD_DISABILITY_WEIGHTS = {5: 30, 6: 20, 7: 20, 3: 15, 2: 10, 1: 5}


def _disability(rng: random.Random, age: int) -> list[int]:
    rate = 0.008 if age < 15 else 0.02 if age < 60 else 0.05 if age < 80 else 0.10
    if rng.random() >= rate:
        return []
    table = CHILD_DISABILITY_WEIGHTS if age < 18 else DISABILITY_WEIGHTS
    types = {rng.choices(list(table), weights=list(table.values()))[0]}
    if rng.random() < 0.15:
        types.add(rng.choices(list(table), weights=list(table.values()))[0])
    return sorted(types)


def _title(sex: str, age: int, married: bool, rng: random.Random) -> str:
    if age < 15:
        return "เด็กชาย" if sex == "male" else "เด็กหญิง"
    if sex == "male":
        return "นาย"
    # Married women may keep นางสาว.
    return "นาง" if married and rng.random() < 0.9 else "นางสาว"


def _person(ctx: Context, member: Member, last_name: str, *, poor: bool, civil_servant: bool) -> PersonRow:
    rng = ctx.rng
    birth, year_only = _birth_date(ctx, member.age)
    age = age_in_years(birth, ctx.today)
    era_year = birth.year
    first = names.first_names(member.sex, names.generation(era_year)).draw(rng)

    national_id: str | None = None
    no_id_reason = ""
    if rng.random() < 0.01:
        no_id_reason = "stateless" if rng.random() < 0.6 else "not_registered"
    else:
        national_id = _national_id(ctx, birth.year)

    disability = _disability(rng, age)
    has_card = bool(disability) and national_id is not None and rng.random() < 0.9
    bedbound = age >= 60 and rng.random() < (0.01 if age < 80 else 0.05)
    if bedbound and not disability and rng.random() < 0.6:
        disability = [3]
        has_card = national_id is not None and rng.random() < 0.7
    rehab = (age >= 50 and rng.random() < 0.012) or (18 <= age < 50 and rng.random() < 0.002)

    if national_id is None:
        coverage = "other" if rng.random() < 0.5 else "none"
    elif civil_servant and member.relation in {"head", "spouse", "child", "parent"}:
        coverage = "civil_servant"
    elif 18 <= age < 60 and rng.random() < 0.18:
        coverage = "social_security"
    elif 18 <= age < 60 and rng.random() < 0.012:
        coverage = "local_government"
    else:
        coverage = "unknown" if rng.random() < 0.01 else "ucs"

    allowances: list[str] = []
    if national_id is not None:
        if age >= 60 and coverage != "civil_servant" and rng.random() < 0.93:
            allowances.append("elderly")
        if has_card and rng.random() < 0.95:
            allowances.append("disability")
        if age < 6 and rng.random() < (0.9 if poor else 0.6):
            allowances.append("child_support")

    adult = age >= 18 and national_id is not None
    welfare = adult and rng.random() < (0.88 if poor else 0.07)
    phone_rate = 0.0 if age < 15 else 0.75 if age < 60 else 0.45 if age < 75 else 0.12
    return PersonRow(
        relation_to_head=member.relation,
        title=_title(member.sex, age, member.married, rng),
        first_name=first,
        last_name=last_name,
        nickname=names.nickname(rng, member.sex, era_year) if rng.random() < 0.75 else "",
        sex=member.sex,
        birth_date=birth,
        birth_year_only=year_only,
        national_id=national_id,
        no_id_reason=no_id_reason,
        phone=_phone(rng) if rng.random() < phone_rate else "",
        has_id_card=national_id is not None and age >= 7 and rng.random() < 0.97,
        has_welfare_card=welfare,
        has_disability_card=has_card,
        disability_types=disability,
        health_coverage=coverage,
        allowances=sorted(allowances),
        is_awaiting_rehab=rehab,
        is_bedbound=bedbound,
        is_poor=poor,
    )


def household_people(ctx: Context, members: list[Member], clans: names.Weighted, kind: str) -> list[PersonRow]:
    rng = ctx.rng
    lines: dict[str, str] = {"main": clans.draw(rng)}

    def line_name(line: str) -> str:
        if line not in lines:
            lines[line] = clans.draw(rng) if rng.random() < 0.7 else names.any_family_name(rng)
        return lines[line]

    poor_rate = {"elder_alone": 0.45, "skipped_generation": 0.45, "single_parent": 0.45,
                 "elder_couple": 0.35, "nuclear": 0.22, "couple": 0.2}.get(kind, 0.28)
    poor = rng.random() < poor_rate
    civil_servant = not poor and rng.random() < 0.05
    out = []
    for member in members:
        own = line_name(member.line)
        if member.takes_line:
            # Since 2005 a wife may keep her own name; older women almost all took the husband's.
            keeps_rate = 0.05 if member.age >= 50 else 0.3
            last = own if rng.random() < keeps_rate else line_name(member.takes_line)
        else:
            last = own
        out.append(_person(ctx, member, last, poor=poor, civil_servant=civil_servant))
    return out
