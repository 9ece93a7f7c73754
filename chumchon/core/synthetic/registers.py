"""Synthetic person lists as a province's tambons keep them, with the truth of who is who.

``write_registers(out_dir, records=..., seed=...)`` plans real tambons of a province with the
synthetic tambon generator (``plan_tambon``), then writes what five services would have recorded
about those people, each in its own CSV and its own habits:

- ``elder_register`` (the health centre's elder register): people 60+, full dates, few typos;
- ``allowance_list`` (the SAO's allowance payments): everyone paid an allowance, IDs almost always,
  abbreviated titles (น.ส.), dates as ``5 มี.ค. 2510``;
- ``fund_members`` (the community welfare fund): a third of the adults, IDs often missing, birth
  year only;
- ``basic_needs_survey`` (จปฐ.): most households, CE ISO dates, many elders as 1 January, titles glued
  to the first name;
- ``volunteer_sheet`` (a volunteer's Excel): the villages with an active volunteer, typed by ear:
  the most spelling slips and missing IDs.

Every record gets its own typing slips: similar Thai letters (ส/ศ/ษ, น/ณ, ท/ธ ...), tone marks
dropped, added or typed before the vowel, การันต์ dropped, a letter lost or doubled; title variants
(นางสาว/น.ส./นาง, or none); national IDs missing, one digit wrong or two digits swapped; BE/CE and
year-only dates, 1 January placeholders; people who moved village keep their old address in some
lists. The header is the import format (``source_key, national_id, title, first_name, last_name,
sex, birth_date, house_no, moo, tambon_code, phone``); ``truth.csv`` holds ``source, source_key,
person_key``. Deterministic for a seed.
"""

from __future__ import annotations

import csv
import random
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from chumchon.core.synthetic.rows import PersonRow
from chumchon.core.thai import BE_OFFSET, MONTHS_ABBR, MONTHS_FULL, age_in_years, national_id_check_digit

HEADER = ["source_key", "national_id", "title", "first_name", "last_name", "sex", "birth_date", "house_no",
          "moo", "tambon_code", "phone"]
TODAY = date(2026, 1, 1)

# Groups of letters that are confused for one another (a typed-by-ear or misread slip).
SIMILAR = ("สศษซ", "นณ", "ทธฑฒถฐ", "พภผ", "ดฎ", "ตฏ", "ยญ", "ลฬ", "ขฃค", "คฅฆ", "ชฌ", "ไใ")
_SIMILAR_OF = {letter: group.replace(letter, "") for group in SIMILAR for letter in group}
TONES = "\u0e48\u0e49\u0e4a\u0e4b"
UPPER_VOWELS = "\u0e34\u0e35\u0e36\u0e37\u0e31"
CONSONANTS = "กขคงจฉชซญดตถทธนบปผพฟภมยรลวศษสหอฮ"


@dataclass(frozen=True)
class Person:
    key: str
    row: PersonRow
    tambon_code: str
    moo: int
    house_no: str
    old_moo: int | None  # the village the person lived in before moving (still in some lists)
    old_house_no: str
    allowances: tuple[str, ...]
    age: int
    # The number a list writes for anyone in the house who has none of their own (children, elders)
    # or as the house's contact: spouses and siblings often share it.
    household_phone: str = ""


@dataclass(frozen=True)
class SourceHabits:
    name: str
    coverage: Callable[[Person, random.Random, set[int]], bool]
    id_missing: float
    id_slip: float  # one digit wrong or two adjacent digits swapped
    name_slip: float  # per name field
    date_styles: tuple[tuple[str, float], ...]
    placeholder_elders: float  # elders recorded as born 1 January
    title_style: str  # full | abbr | glued | mixed
    old_address: float  # a moved person still at the old address in this list
    phone: float
    sex_style: str  # thai | english | letter | none


def _elders(person: Person, rng: random.Random, _villages: set[int]) -> bool:
    return (person.age >= 60 and rng.random() < 0.9) or (55 <= person.age < 60 and rng.random() < 0.1)


def _paid(person: Person, rng: random.Random, _villages: set[int]) -> bool:
    return bool(person.allowances) and rng.random() < 0.97


def _fund(person: Person, rng: random.Random, _villages: set[int]) -> bool:
    return person.age >= 18 and rng.random() < 0.35


def _survey(person: Person, rng: random.Random, _villages: set[int]) -> bool:
    return rng.random() < 0.8


def _volunteer(person: Person, rng: random.Random, villages: set[int]) -> bool:
    return person.moo in villages and rng.random() < 0.9


SOURCES = (
    SourceHabits("elder_register", _elders, id_missing=0.02, id_slip=0.02, name_slip=0.04,
                 date_styles=(("be_slash", 1.0),), placeholder_elders=0.1, title_style="full",
                 old_address=0.2, phone=0.3, sex_style="thai"),
    SourceHabits("allowance_list", _paid, id_missing=0.005, id_slip=0.015, name_slip=0.05,
                 date_styles=(("thai_abbr", 0.8), ("be_slash", 0.2)), placeholder_elders=0.2,
                 title_style="abbr", old_address=0.5, phone=0.0, sex_style="none"),
    SourceHabits("fund_members", _fund, id_missing=0.15, id_slip=0.03, name_slip=0.06,
                 date_styles=(("year", 0.4), ("be_slash", 0.6)), placeholder_elders=0.3,
                 title_style="mixed", old_address=0.6, phone=0.5, sex_style="letter"),
    SourceHabits("basic_needs_survey", _survey, id_missing=0.08, id_slip=0.02, name_slip=0.05,
                 date_styles=(("iso", 1.0),), placeholder_elders=0.35, title_style="glued",
                 old_address=0.3, phone=0.2, sex_style="english"),
    SourceHabits("volunteer_sheet", _volunteer, id_missing=0.4, id_slip=0.04, name_slip=0.12,
                 date_styles=(("thai_full", 0.5), ("be_slash", 0.3), ("year", 0.2)), placeholder_elders=0.3,
                 title_style="mixed", old_address=0.1, phone=0.6, sex_style="thai"),
)


# ---------------------------------------------------------------------------
# Typing slips
# ---------------------------------------------------------------------------


def name_slip(rng: random.Random, name: str) -> str:
    """One realistic slip in a Thai name (unchanged when none applies)."""
    if not name:
        return name
    kind = rng.random()
    chars = list(name)
    if kind < 0.35:  # a similar letter
        spots = [i for i, c in enumerate(chars) if c in _SIMILAR_OF]
        if spots:
            i = rng.choice(spots)
            chars[i] = rng.choice(_SIMILAR_OF[chars[i]])
            return "".join(chars)
    if kind < 0.55:  # a tone mark dropped, changed or added
        spots = [i for i, c in enumerate(chars) if c in TONES]
        if spots:
            i = rng.choice(spots)
            if rng.random() < 0.6:
                del chars[i]
            else:
                chars[i] = rng.choice(TONES.replace(chars[i], ""))
            return "".join(chars)
        spots = [i for i, c in enumerate(chars) if c in CONSONANTS]
        if spots:
            i = rng.choice(spots)
            chars.insert(i + 1, rng.choice(TONES[:2]))
            return "".join(chars)
    if kind < 0.65:  # tone typed before the upper vowel, or ำ typed as ํ + า
        for i in range(len(chars) - 1):
            if chars[i] in UPPER_VOWELS and chars[i + 1] in TONES:
                chars[i], chars[i + 1] = chars[i + 1], chars[i]
                return "".join(chars)
        if "\u0e33" in name:
            return name.replace("\u0e33", "\u0e4d\u0e32", 1)
    if kind < 0.72 and "\u0e4c" in name:  # การันต์ dropped
        return name.replace("\u0e4c", "", 1)
    if kind < 0.86 and len(chars) > 3:  # a letter lost
        del chars[rng.randrange(1, len(chars))]
        return "".join(chars)
    if len(chars) > 2:  # a letter doubled, or two neighbours swapped
        i = rng.randrange(1, len(chars) - 1)
        if rng.random() < 0.5:
            chars.insert(i, chars[i])
        else:
            chars[i], chars[i + 1] = chars[i + 1], chars[i]
    return "".join(chars)


def id_slip(rng: random.Random, national_id: str) -> str:
    chars = list(national_id)
    if rng.random() < 0.6:
        i = rng.randrange(13)
        chars[i] = rng.choice("0123456789".replace(chars[i], ""))
    else:
        spots = [i for i in range(12) if chars[i] != chars[i + 1]]
        i = rng.choice(spots)
        chars[i], chars[i + 1] = chars[i + 1], chars[i]
    return "".join(chars)


def format_birth(rng: random.Random, style: str, born: date, year_only: bool) -> str:
    be = born.year + BE_OFFSET
    if year_only or style == "year":
        return str(be if rng.random() < 0.9 else born.year)
    if style == "iso":
        return born.isoformat()
    if style == "thai_abbr":
        return f"{born.day} {MONTHS_ABBR[born.month - 1]} {be}"
    if style == "thai_full":
        return f"{born.day} {MONTHS_FULL[born.month - 1]} {be}"
    return f"{born.day:02d}/{born.month:02d}/{be}"


def _title(rng: random.Random, style: str, person: PersonRow, first: str) -> tuple[str, str]:
    title = person.title
    if title == "นาง" and rng.random() < 0.05:
        title = "นางสาว"  # marital status recorded differently
    elif title == "นางสาว" and rng.random() < 0.05:
        title = "นาง"
    if style == "mixed":
        style = rng.choice(("full", "abbr", "none", "glued"))
    if style == "abbr":
        title = {"นางสาว": "น.ส.", "เด็กชาย": "ด.ช.", "เด็กหญิง": "ด.ญ."}.get(title, title)
    elif style == "none":
        title = ""
    elif style == "glued" and rng.random() < 0.7:
        return "", f"{title}{first}"
    return title, first


_SEX = {"thai": {"male": "ชาย", "female": "หญิง"}, "english": {"male": "male", "female": "female"},
        "letter": {"male": "M", "female": "F"}}


def record_row(rng: random.Random, habits: SourceHabits, person: Person, source_key: str) -> list[str]:
    row = person.row
    national_id = row.national_id or ""
    if national_id:
        if rng.random() < habits.id_missing:
            national_id = ""
        elif rng.random() < habits.id_slip:
            national_id = id_slip(rng, national_id)
    first = row.first_name if rng.random() >= habits.name_slip else name_slip(rng, row.first_name)
    last = row.last_name if rng.random() >= habits.name_slip else name_slip(rng, row.last_name)
    title, first = _title(rng, habits.title_style, row, first)
    born = row.birth_date
    birth = ""
    if born is not None and rng.random() >= 0.02:
        year_only = row.birth_year_only
        if person.age >= 60 and rng.random() < habits.placeholder_elders:
            born = born.replace(month=1, day=1)
        if rng.random() < 0.015:  # a year off by one (an age counted back)
            born = born.replace(year=born.year + rng.choice((-1, 1)), day=min(born.day, 28))
        styles, weights = zip(*habits.date_styles, strict=True)
        birth = format_birth(rng, rng.choices(styles, weights)[0], born, year_only)
    moo, house_no = person.moo, person.house_no
    if person.old_moo is not None and rng.random() < habits.old_address:
        moo, house_no = person.old_moo, person.old_house_no
    sex = _SEX.get(habits.sex_style, {}).get(row.sex, "") if rng.random() < 0.95 else ""
    phone = ""
    if rng.random() < habits.phone:
        own = row.phone if rng.random() < 0.8 else ""
        phone = own or person.household_phone
    return [source_key, national_id, title, first, last, sex, birth, house_no, str(moo), person.tambon_code, phone]


# ---------------------------------------------------------------------------
# People and files
# ---------------------------------------------------------------------------


def _tambon_codes(province: str) -> list[str]:
    import geothai

    codes: list[str] = []
    for district in geothai.districts(province):
        codes += [s.code for s in geothai.subdistricts(district.code)]
    return sorted(codes)


def province_people(rng: random.Random, *, province: str, per_tambon: int, seed: int) -> Iterator[Person]:
    """People of the province's tambons, one tambon after another (then around again, new seeds)."""
    from chumchon.core.synthetic.plan import plan_tambon

    codes = _tambon_codes(province)
    used: set[str] = set()
    lap = 0
    while True:
        for index, code in enumerate(codes):
            villages = 8 + (index * 7 + lap) % 9
            plan = plan_tambon(tambon_code=code, villages=villages, people=per_tambon,
                               seed=seed * 1000 + lap * 100 + index, today=TODAY, tambon_name=f"ต{code}")
            houses = [(h.moo, h.house_no) for h in plan.households]
            counter = 0
            for household in plan.households:
                house_phone = next((member.phone for member in household.members if member.phone), "")
                for row in household.members:
                    counter += 1
                    if row.national_id:
                        # Each tambon's plan keeps its IDs unique; across tambons keep them unique too.
                        while row.national_id in used:
                            first12 = row.national_id[:5] + f"{rng.randrange(10**7):07d}"
                            row.national_id = first12 + str(national_id_check_digit(first12))
                        used.add(row.national_id)
                    old_moo: int | None = None
                    old_house = ""
                    if villages > 1 and rng.random() < 0.06:
                        old_moo, old_house = houses[rng.randrange(len(houses))]
                        if old_moo == household.moo:
                            old_moo = None
                    age = age_in_years(row.birth_date, TODAY) if row.birth_date else 40
                    yield Person(f"{code}-{lap}-{counter}", row, code, household.moo, household.house_no,
                                 old_moo, old_house, tuple(row.allowances), age, house_phone)
        lap += 1


@dataclass(frozen=True)
class RegisterFiles:
    sources: dict[str, Path]
    truth: Path
    records: int
    persons: int


def write_registers(out_dir: Path, *, records: int, seed: int = 2569, province: str = "93",
                    per_tambon: int = 8000) -> RegisterFiles:
    """Write one CSV per source and ``truth.csv`` into ``out_dir``, about ``records`` rows in all."""
    out_dir.mkdir(parents=True, exist_ok=True)
    rng = random.Random(seed)
    writers = {}
    handles = []
    paths: dict[str, Path] = {}
    for habits in SOURCES:
        path = out_dir / f"{habits.name}.csv"
        handle = path.open("w", newline="", encoding="utf-8")
        handles.append(handle)
        writer = csv.writer(handle)
        writer.writerow(HEADER)
        writers[habits.name] = writer
        paths[habits.name] = path
    truth_handle = (out_dir / "truth.csv").open("w", newline="", encoding="utf-8")
    handles.append(truth_handle)
    truth = csv.writer(truth_handle)
    truth.writerow(["source", "source_key", "person_key"])
    counts = dict.fromkeys(writers, 0)
    written = persons = 0
    volunteer_villages: dict[str, set[int]] = {}
    try:
        for person in province_people(rng, province=province, per_tambon=per_tambon, seed=seed):
            if written >= records:
                break
            persons += 1
            villages = volunteer_villages.setdefault(
                person.tambon_code, {moo for moo in range(1, 20) if rng.random() < 0.6})
            for habits in SOURCES:
                if not habits.coverage(person, rng, villages):
                    continue
                counts[habits.name] += 1
                key = f"{habits.name[:2].upper()}{counts[habits.name]:07d}"
                writers[habits.name].writerow(record_row(rng, habits, person, key))
                truth.writerow([habits.name, key, person.key])
                written += 1
    finally:
        for handle in handles:
            handle.close()
    return RegisterFiles(paths, out_dir / "truth.csv", written, persons)


def main() -> None:  # pragma: no cover - a command-line convenience
    import argparse

    parser = argparse.ArgumentParser(description="Write synthetic Thai person lists and their truth.")
    parser.add_argument("out_dir", type=Path)
    parser.add_argument("--records", type=int, default=100_000)
    parser.add_argument("--seed", type=int, default=2569)
    args = parser.parse_args()
    files = write_registers(args.out_dir, records=args.records, seed=args.seed)
    print(f"{files.records} records of {files.persons} people in {args.out_dir}")


if __name__ == "__main__":  # pragma: no cover
    main()
