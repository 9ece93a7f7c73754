"""API schemas of the registry: what households and people look like going out and coming in."""

from datetime import date, datetime
from typing import Literal

from ninja import Schema

from chumchon.api.schemas import Id
from chumchon.people import selectors
from chumchon.people.models import Household, Person, PersonMove

# The vulnerability groups (selectors.Group.ALL), spelled out so OpenAPI lists them.
GroupName = Literal["child", "elder", "disabled", "rehab", "bedbound", "poor"]


# ---------------------------------------------------------------------------
# Schemas: output
# ---------------------------------------------------------------------------


class PersonListOut(Schema):
    """A person as a list shows them: the national ID is always masked."""

    id: int
    household_id: int | None
    area_code: str
    title: str
    first_name: str
    last_name: str
    nickname: str
    full_name: str
    sex: str
    birth_date: date | None
    birth_year_only: bool
    birth_date_be: str
    national_id: str | None
    no_id_reason: str
    relation_to_head: str
    status: str
    groups: list[str]
    version: int

    @staticmethod
    def resolve_national_id(obj: Person) -> str | None:
        return obj.masked_id or None

    @staticmethod
    def resolve_groups(obj: Person) -> list[str]:
        return selectors.person_groups(obj)


class PersonOut(PersonListOut):
    """One person's record. ``national_id`` is the full 13 digits only for a role that may see
    it in this area; otherwise it is masked and ``national_id_masked`` is true."""

    national_id_masked: bool
    merged_into: int | None  # a record merged into another: the id of the record it now lives on
    area_label: str
    household_address: str | None
    phone: str
    has_id_card: bool
    has_welfare_card: bool
    has_disability_card: bool
    disability_types: list[int]
    health_coverage: str
    allowances: list[str]
    is_disabled: bool
    is_awaiting_rehab: bool
    is_bedbound: bool
    is_poor: bool
    created_at: datetime
    updated_at: datetime

    @staticmethod
    def resolve_national_id_masked(obj: Person) -> bool:
        return True

    @staticmethod
    def resolve_merged_into(obj: Person) -> int | None:
        return None  # person_out gives it, when the record it lives on is in the caller's reach

    @staticmethod
    def resolve_area_label(obj: Person) -> str:
        return obj.area.label

    @staticmethod
    def resolve_household_address(obj: Person) -> str | None:
        return obj.household.address_line if obj.household_id and obj.household else None


class HouseholdOut(Schema):
    id: int
    area_code: str
    area_label: str
    house_no: str
    soi: str
    road: str
    house_code: str
    place_name: str
    latitude: float | None
    longitude: float | None
    address_line: str
    member_count: int | None = None
    version: int

    @staticmethod
    def resolve_area_label(obj: Household) -> str:
        return obj.area.label

    @staticmethod
    def resolve_member_count(obj: Household) -> int | None:
        return getattr(obj, "member_count", None)


class HouseholdDetailOut(HouseholdOut):
    members: list[PersonListOut]


class MoveOut(Schema):
    id: int
    moved_on: date
    from_household_id: int | None
    to_household_id: int | None
    from_area_code: str | None
    to_area_code: str | None
    from_relation: str
    to_relation: str
    note: str

    @staticmethod
    def resolve_from_area_code(obj: PersonMove) -> str | None:
        return obj.from_area_id

    @staticmethod
    def resolve_to_area_code(obj: PersonMove) -> str | None:
        return obj.to_area_id


class MoveResultOut(Schema):
    move: MoveOut
    person: PersonOut | None = None  # None when the person has moved out of the caller's reach


class AreaCountsOut(Schema):
    area_code: str
    total: int | None
    groups: dict[str, int | None]


class CountsOut(Schema):
    """Counts of people who live here, per village and group: no names. Where the caller may not
    see names, a count from 1 to 4 is ``null`` (it could point at one person)."""

    total: int | None
    groups: dict[str, int | None]
    areas: list[AreaCountsOut]


class DuplicateOut(Schema):
    person: PersonListOut
    reason: str
    score: int


# ---------------------------------------------------------------------------
# Schemas: input. Types only; the services validate and answer in Thai.
# ---------------------------------------------------------------------------


class HouseholdIn(Schema):
    area_code: str = ""
    house_no: str = ""
    soi: str = ""
    road: str = ""
    house_code: str = ""
    place_name: str = ""
    latitude: float | str | None = None
    longitude: float | str | None = None


class HouseholdPatch(Schema):
    """Only the fields sent are changed. ``version`` is the one the record had when it was read."""

    version: int
    house_no: str | None = None
    soi: str | None = None
    road: str | None = None
    house_code: str | None = None
    place_name: str | None = None
    latitude: float | str | None = None
    longitude: float | str | None = None


class PersonIn(Schema):
    """A new person, in a household (``household_id``) or directly in a village (``area_code``).

    ``birth_date`` is text as typed: BE or CE, Thai digits, ``05/03/2510``, ``5 มี.ค. 2510`` or a
    year alone. ``national_id`` may have dashes and Thai digits; without one, give ``no_id_reason``.
    """

    household_id: Id | None = None
    area_code: str | None = None
    title: str = ""
    first_name: str = ""
    last_name: str = ""
    nickname: str = ""
    sex: str = ""
    birth_date: str | None = None
    birth_year_only: bool | None = None
    national_id: str | None = None
    no_id_reason: str = ""
    phone: str = ""
    relation_to_head: str = ""
    has_id_card: bool = False
    has_welfare_card: bool = False
    has_disability_card: bool = False
    disability_types: list[int] = []
    health_coverage: str = ""
    allowances: list[str] = []
    is_disabled: bool = False
    is_awaiting_rehab: bool = False
    is_bedbound: bool = False
    is_poor: bool = False
    # A possible duplicate in the tambon refuses the save (422 on ``confirm_new`` naming the
    # records) until the client sends ``confirm_new: true`` for someone who is really new.
    confirm_new: bool = False


class PersonPatch(Schema):
    """Only the fields sent are changed. ``version`` is the one the record had when it was read;
    if someone saved since, the answer is 409 and nothing is written."""

    version: int
    title: str | None = None
    first_name: str | None = None
    last_name: str | None = None
    nickname: str | None = None
    sex: str | None = None
    birth_date: str | None = None
    birth_year_only: bool | None = None
    national_id: str | None = None
    no_id_reason: str | None = None
    phone: str | None = None
    relation_to_head: str | None = None
    has_id_card: bool | None = None
    has_welfare_card: bool | None = None
    has_disability_card: bool | None = None
    disability_types: list[int] | None = None
    health_coverage: str | None = None
    allowances: list[str] | None = None
    is_disabled: bool | None = None
    is_awaiting_rehab: bool | None = None
    is_bedbound: bool | None = None
    is_poor: bool | None = None
    status: str | None = None


class PersonMoveIn(Schema):
    """Move to a household (``to_household_id``) or to a village without a household
    (``to_area_code``). ``moved_on`` is text like ``birth_date``; empty means today."""

    version: int
    to_household_id: Id | None = None
    to_area_code: str | None = None
    relation_to_head: str = ""
    moved_on: str | None = None
    note: str = ""


class HouseholdFilters(Schema):
    area: str = ""
    q: str = ""


class PersonFilters(Schema):
    q: str = ""
    area: str = ""
    group: GroupName | None = None
    status: str = "active"
    household: Id | None = None
    # An assessment result, "<instrument_code>:<classification>" (barthel_adl:bed_bound); refused
    # (422) without access to health data, since even the filter reveals it.
    assessment: str = ""


class DuplicateQuery(Schema):
    area: str
    first_name: str = ""
    last_name: str = ""
    birth_year: str = ""
    national_id: str = ""
    exclude: Id | None = None
