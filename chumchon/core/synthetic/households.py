"""Household shapes of a rural southern tambon: elders alone, grandparents raising grandchildren
while the parents work away, three generations under one roof, young families. Ages, sexes,
relations to the head and whose family name each member carries come from here."""

from __future__ import annotations

import random
from dataclasses import dataclass

HOUSEHOLD_TYPES: dict[str, float] = {
    "elder_alone": 0.085,
    "elder_couple": 0.065,
    "elder_with_child": 0.07,
    "couple": 0.11,
    "nuclear": 0.27,
    "single_parent": 0.05,
    "skipped_generation": 0.12,
    "three_generation": 0.17,
    "single_adult": 0.06,
    "other": 0.01,
}
MAX_HOUSEHOLD = 8


@dataclass
class Member:
    relation: str
    sex: str
    age: int
    married: bool = False
    # Whose family name: "main" (the household's line), or the member's own line ("spouse",
    # "inlaw", "other"); a woman who married in may take her husband's (resolved later).
    line: str = "main"
    takes_line: str = ""


def _elder_age(rng: random.Random, low: int = 60) -> int:
    band = rng.choices((60, 70, 80, 90), weights=(52, 31, 14, 3))[0]
    return max(low, band + rng.randrange(10 if band < 90 else 9))


def _other_sex(sex: str) -> str:
    return "female" if sex == "male" else "male"


def _couple(rng: random.Random, relation_head: str, head_age: int, *, male_head: float = 0.78,
            spouse_relation: str = "spouse") -> list[Member]:
    head_sex = "male" if rng.random() < male_head else "female"
    gap = round(rng.triangular(-3, 10, 3))
    spouse_age = head_age - gap if head_sex == "male" else head_age + gap
    spouse_age = max(18, min(spouse_age, 99))
    head = Member(relation_head, head_sex, head_age, married=True)
    spouse = Member(spouse_relation, _other_sex(head_sex), spouse_age, married=True, line="spouse")
    wife = spouse if head_sex == "male" else head
    husband = head if head_sex == "male" else spouse
    # The wife usually takes the husband's family name; the household's line is the husband's.
    if husband is head:
        wife.takes_line = "main"
    else:
        husband.line, wife.line = "main", "wife"
        wife.takes_line = "main"
    return [head, spouse]


def _children(rng: random.Random, mother_age: int, count: int, relation: str, *, max_age: int = 24,
              line: str = "main") -> list[Member]:
    # Rural mothers have their first child at about 20–29.
    oldest = min(mother_age - 20 - rng.randrange(10), max_age)
    out: list[Member] = []
    age = oldest - rng.randrange(0, 4)
    for _ in range(count):
        if age < 0:
            break
        out.append(Member(relation, rng.choice(("male", "female")), age, line=line))
        age -= 2 + rng.randrange(6)
    return out


def _mother_age(members: list[Member]) -> int:
    women = [m.age for m in members if m.sex == "female"]
    return women[0] if women else members[0].age - 2


def build_household(rng: random.Random, kind: str) -> list[Member]:
    if kind == "elder_alone":
        sex = "female" if rng.random() < 0.66 else "male"
        return [Member("head", sex, _elder_age(rng), married=True)]
    if kind == "elder_couple":
        return _couple(rng, "head", _elder_age(rng, 62), male_head=0.85)
    if kind == "elder_with_child":
        sex = "female" if rng.random() < 0.7 else "male"
        head = Member("head", sex, _elder_age(rng, 62), married=True)
        child_age = max(25, head.age - 20 - rng.randrange(18))
        members = [head, Member("child", rng.choice(("male", "female")), child_age)]
        if rng.random() < 0.3:
            members += _children(rng, child_age, 1, "grandchild", max_age=14)
        return members
    if kind == "couple":
        # Young couples before children, and couples whose children have left.
        return _couple(rng, "head", 21 + rng.randrange(12) if rng.random() < 0.3 else 42 + rng.randrange(22))
    if kind == "nuclear":
        members = _couple(rng, "head", 26 + round(rng.triangular(0, 30, 14)))
        count = rng.choices((1, 2, 3, 4), weights=(46, 40, 11, 3))[0]
        return members + _children(rng, _mother_age(members), count, "child", max_age=22)
    if kind == "single_parent":
        sex = "female" if rng.random() < 0.8 else "male"
        head = Member("head", sex, 22 + rng.randrange(30), married=rng.random() < 0.6)
        count = rng.choices((1, 2, 3), weights=(55, 35, 10))[0]
        return [head, *_children(rng, head.age, count, "child", max_age=20)]
    if kind == "skipped_generation":
        age = 46 + round(rng.triangular(0, 34, 10))
        if rng.random() < 0.55:
            members = _couple(rng, "head", age, male_head=0.6)
        else:
            members = [Member("head", "female" if rng.random() < 0.8 else "male", age, married=True)]
        count = rng.choices((1, 2, 3), weights=(55, 35, 10))[0]
        # The grandchildren often carry their father's name, not the grandparents'.
        line = "main" if rng.random() < 0.6 else "other"
        parent_age = min(_mother_age(members) - 20 - rng.randrange(8), 45)
        return members + _children(rng, parent_age, count, "grandchild", max_age=17, line=line)
    if kind == "three_generation":
        return _three_generation(rng)
    if kind == "single_adult":
        return [Member("head", "male" if rng.random() < 0.6 else "female", 20 + rng.randrange(40))]
    # Other: relatives and people not related living together.
    head = Member("head", rng.choice(("male", "female")), 40 + rng.randrange(35), married=rng.random() < 0.5)
    extra = [Member(rng.choice(("sibling", "relative", "other")), rng.choice(("male", "female")),
                     max(15, head.age + rng.randrange(-15, 10)), line="other")
             for _ in range(1 + rng.randrange(2))]
    for member in extra:
        if member.relation == "sibling":
            member.line = "main"
    return [head, *extra]


def _three_generation(rng: random.Random) -> list[Member]:
    elder_age = 50 + round(rng.triangular(0, 38, 12))
    roll = rng.random()
    if roll < 0.55:
        elders = _couple(rng, "head", elder_age, male_head=0.8)
    else:
        elders = [Member("head", "female" if roll < 0.9 else "male", elder_age, married=True)]
    mother = _mother_age(elders)
    child_age = max(20, min(mother - 20 - rng.randrange(16), 50))
    # A son brings his wife home; a daughter her husband (common in the south).
    son = rng.random() < 0.5
    child = Member("child", "male" if son else "female", child_age, married=True)
    members = [*elders, child]
    grandchild_line = "main"
    grandchildren_mother_age = child_age
    if rng.random() < 0.75:
        inlaw_age = max(18, child_age + (-round(rng.triangular(-3, 8, 2)) if son else round(rng.triangular(-3, 8, 2))))
        inlaw = Member("child_in_law", "female" if son else "male", inlaw_age, married=True, line="inlaw")
        if son:
            inlaw.takes_line = "main"
            grandchildren_mother_age = inlaw_age
        else:
            child.takes_line = "inlaw"
            grandchild_line = "inlaw"
        members.append(inlaw)
    count = rng.choices((1, 2, 3), weights=(52, 38, 10))[0]
    members += _children(rng, grandchildren_mother_age, count, "grandchild", max_age=20, line=grandchild_line)
    if rng.random() < 0.12:
        members.append(Member("child", rng.choice(("male", "female")), max(18, child_age - 3 - rng.randrange(8))))
    if rng.random() < 0.3:
        # The adult child is the head of the house register; the elders are their parents.
        for member in members:
            member.relation = {"head": "parent", "spouse": "parent", "child": "sibling",
                               "child_in_law": "spouse", "grandchild": "child"}[member.relation]
        child.relation = "head"
        members.remove(child)
        members.insert(0, child)
    return members
