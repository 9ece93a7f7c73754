"""The rows a synthetic tambon is made of; field names follow the models they become."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal


@dataclass
class PersonRow:
    """One person; the field names are those of ``people.Person``."""

    relation_to_head: str
    title: str
    first_name: str
    last_name: str
    nickname: str
    sex: str
    birth_date: date | None
    birth_year_only: bool
    national_id: str | None
    no_id_reason: str
    phone: str
    has_id_card: bool
    has_welfare_card: bool
    has_disability_card: bool
    disability_types: list[int]
    health_coverage: str
    allowances: list[str]
    is_awaiting_rehab: bool
    is_bedbound: bool
    is_poor: bool


@dataclass
class HouseholdRow:
    moo: int
    house_no: str
    house_code: str
    latitude: Decimal | None
    longitude: Decimal | None
    members: list[PersonRow] = field(default_factory=list)


@dataclass
class VillageRow:
    moo: int
    name_th: str


@dataclass
class TambonPlan:
    tambon_code: str
    seed: int
    today: date
    villages: list[VillageRow]
    households: list[HouseholdRow]

    @property
    def people(self) -> list[PersonRow]:
        return [person for household in self.households for person in household.members]
