"""API: households and people of the registry.

Endpoints only translate: they read through ``selectors`` (always scoped to the caller) and
write through ``services`` (which check scope, validate with Thai messages, bump the version and
audit). National IDs are masked everywhere except a person's own record, and there only for a
role that may see them (``Capability.VIEW_FULL_ID``).
"""


from datetime import date, datetime
from typing import Any, Literal

from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.http import Http404, HttpRequest
from django.utils.translation import gettext as _
from ninja import Query, Router, Schema, Status
from ninja.errors import ValidationError as NinjaValidationError
from ninja.pagination import paginate

from chumchon.accounts.roles import Capability
from chumchon.accounts.scoping import can
from chumchon.api.auth import caller
from chumchon.api.errors import field_names
from chumchon.api.pagination import Pagination
from chumchon.api.schemas import Id, errors
from chumchon.core.thai import to_ascii_digits, year_to_ce
from chumchon.people import selectors, services
from chumchon.people.models import Household, Person, PersonMove

households_router = Router()
persons_router = Router()

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


def person_out(request: HttpRequest, person: Person) -> PersonOut:
    """The record with the national ID shown in full only when the caller's role allows it here."""
    out = PersonOut.from_orm(person)
    user = caller(request)
    if person.national_id and can(user, Capability.VIEW_FULL_ID, person.area_code):
        out = out.model_copy(update={"national_id": person.national_id, "national_id_masked": False})
    if person.merged_into_id:
        target = selectors.merged_target_id(person)
        try:
            selectors.person_get(user=user, person_id=target)
        except Http404:
            pass  # merged into a record outside the caller's area: not even its id
        else:
            out = out.model_copy(update={"merged_into": target})
    return out


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


# ---------------------------------------------------------------------------
# Helpers
# ---------------------------------------------------------------------------


def _household_ref(request: HttpRequest, household_id: int, field: str) -> Household:
    """A household named in a request body: unknown and out of reach read the same (422)."""
    try:
        return selectors.household_get(user=caller(request), household_id=household_id)
    except Http404:
        raise ValidationError(
            {field: _("There is no household %(id)s.") % {"id": household_id}}) from None


def _query_error(field: str, message: str) -> NinjaValidationError:
    return NinjaValidationError([{"loc": ["query", field], "msg": message, "type": "value_error"}])


# ---------------------------------------------------------------------------
# Households
# ---------------------------------------------------------------------------


@households_router.get("", response={200: list[HouseholdOut], **errors(422)})
@paginate(Pagination)
def household_list(request: HttpRequest, filters: Query[HouseholdFilters]) -> QuerySet[Household]:
    """Households the caller may see by name, with how many people live in each."""
    return selectors.household_list(user=caller(request), q=filters.q, area_code=filters.area)


@households_router.post("", response={201: HouseholdOut, **errors(404, 422)})
def household_create(request: HttpRequest, payload: HouseholdIn) -> Status[Household]:
    fields = payload.model_dump(exclude={"area_code"})
    with field_names({"area": "area_code"}):
        household = services.household_create(actor=caller(request), area_code=payload.area_code, **fields)
    return Status(201, household)


@households_router.get("/{int:household_id}", response={200: HouseholdDetailOut, **errors(404, 422)})
def household_get(request: HttpRequest, household_id: int) -> HouseholdDetailOut:
    """One household and the people who live there (IDs masked)."""
    user = caller(request)
    household = selectors.household_get(user=user, household_id=household_id)
    members = selectors.household_members(user=user, household=household)
    services.household_log_view(actor=user, household=household)
    # Built from already-validated parts: the resolvers read model objects, not dicts.
    base = HouseholdOut.from_orm(household).model_dump()
    return HouseholdDetailOut.model_construct(
        **{**base, "member_count": len(members)},
        members=[PersonListOut.from_orm(person) for person in members],
    )


@households_router.patch("/{int:household_id}", response={200: HouseholdOut, **errors(404, 409, 422)})
def household_update(request: HttpRequest, household_id: int, payload: HouseholdPatch) -> Household:
    user = caller(request)
    household = selectors.household_get(user=user, household_id=household_id)
    changes = payload.model_dump(exclude_unset=True, exclude={"version"})
    return services.household_update(actor=user, household=household, version=payload.version, **changes)


# ---------------------------------------------------------------------------
# People. The fixed paths come before "/{id}".
# ---------------------------------------------------------------------------


@persons_router.get("/counts", response={200: CountsOut, **errors()})
def person_counts(request: HttpRequest, area: str = "") -> dict[str, Any]:
    """How many people live in each village the caller's roles reach, per group. No names: this
    is the one people endpoint open to roles that see aggregates only (provincial coordinator)."""
    user = caller(request)
    rows = selectors.person_counts(user=user, area_code=area)
    totals = dict.fromkeys(selectors.Group.ALL, 0)
    for row in rows:
        for group, count in row.groups.items():
            totals[group] += count

    def shown(count: int, names_visible: bool) -> int | None:
        return None if not names_visible and 0 < count < selectors.SMALL_CELL_LIMIT else count

    anywhere = can(user, Capability.VIEW_NAMES)
    return {
        "total": shown(sum(row.total for row in rows), anywhere),
        "groups": {group: shown(count, anywhere) for group, count in totals.items()},
        "areas": [{"area_code": row.area_code,
                   "total": shown(row.total, can(user, Capability.VIEW_NAMES, row.area_code)),
                   "groups": {group: shown(count, can(user, Capability.VIEW_NAMES, row.area_code))
                              for group, count in row.groups.items()}} for row in rows]}


@persons_router.get("/duplicates", response={200: list[DuplicateOut], **errors(422)})
def person_duplicates(request: HttpRequest, query: Query[DuplicateQuery]) -> list[dict[str, Any]]:
    """Existing records that may be the person about to be entered: the same national ID, or a
    similar name (spelling or sound) born in the same year in the tambon of ``area``.
    ``birth_year`` may be BE or CE."""
    birth_year: int | None = None
    if query.birth_year.strip():
        text = to_ascii_digits(query.birth_year.strip())
        birth_year = year_to_ce(int(text)) if text.isdigit() and len(text) <= 4 else 0
        if not 1 <= birth_year <= 9999:  # a year a date can have
            raise _query_error("birth_year", _("A birth year is 4 digits, for example 2510 or 1967."))
    candidates = selectors.duplicates_for_input(
        user=caller(request), area_code=query.area, first_name=query.first_name, last_name=query.last_name,
        birth_date=str(birth_year or ""), national_id=query.national_id, exclude_id=query.exclude,
    )
    return [{"person": c.person, "reason": c.reason, "score": c.score} for c in candidates]


@persons_router.get("", response={200: list[PersonListOut], **errors(422)})
@paginate(Pagination)
def person_list(request: HttpRequest, filters: Query[PersonFilters]) -> QuerySet[Person]:
    """People the caller may see by name, in Thai dictionary order. ``status`` empty means any.
    Each page read is logged (PDPA: a list of names is a bulk read)."""
    services.person_log_list(actor=caller(request), filters={
        **filters.model_dump(), "limit": request.GET.get("limit", ""), "offset": request.GET.get("offset", "")})
    try:
        return selectors.person_list(user=caller(request), q=filters.q, area_code=filters.area,
                                     group=filters.group or "", status=filters.status,
                                     household_id=filters.household, current_status=filters.assessment)
    except ValidationError as exc:
        raise _query_error("assessment", " ".join(exc.messages)) from None


@persons_router.post("", response={201: PersonOut, **errors(404, 422)})
def person_create(request: HttpRequest, payload: PersonIn) -> Status[PersonOut]:
    user = caller(request)
    household = None
    if payload.household_id is not None:
        household = _household_ref(request, payload.household_id, "household_id")
    fields = payload.model_dump(exclude={"household_id", "area_code", "birth_year_only", "confirm_new"})
    if payload.birth_year_only is not None:
        fields["birth_year_only"] = payload.birth_year_only
    with field_names({"area": "area_code"}):
        person = services.person_create(actor=user, household=household, area_code=payload.area_code,
                                        confirm_new=payload.confirm_new, **fields)
    return Status(201, person_out(request, person))


@persons_router.get("/{int:person_id}", response={200: PersonOut, **errors(404, 422)})
def person_get(request: HttpRequest, person_id: int) -> PersonOut:
    """One person's record. The read is logged (PDPA)."""
    user = caller(request)
    person = selectors.person_get(user=user, person_id=person_id)
    services.person_log_view(actor=user, person=person)
    return person_out(request, person)


@persons_router.patch("/{int:person_id}", response={200: PersonOut, **errors(404, 409, 422)})
def person_update(request: HttpRequest, person_id: int, payload: PersonPatch) -> PersonOut:
    user = caller(request)
    person = selectors.person_get(user=user, person_id=person_id)
    changes = payload.model_dump(exclude_unset=True, exclude={"version"})
    person = services.person_update(actor=user, person=person, version=payload.version, **changes)
    return person_out(request, person)


@persons_router.post("/{int:person_id}/move", response={200: MoveResultOut, **errors(404, 409, 422)})
def person_move(request: HttpRequest, person_id: int, payload: PersonMoveIn) -> MoveResultOut:
    user = caller(request)
    person = selectors.person_get(user=user, person_id=person_id)
    to_household = None
    if payload.to_household_id is not None:
        to_household = _household_ref(request, payload.to_household_id, "to_household_id")
    with field_names({"to_household": "to_household_id", "to_area": "to_area_code"}):
        move = services.person_move(actor=user, person=person, to_household=to_household,
                                    to_area_code=payload.to_area_code, relation_to_head=payload.relation_to_head,
                                    moved_on=payload.moved_on, note=payload.note, version=payload.version)
    try:
        moved: PersonOut | None = person_out(request, selectors.person_get(user=user, person_id=person.pk))
    except Http404:
        moved = None
    # Built from validated parts: nested resolvers read model objects, not schemas.
    return MoveResultOut.model_construct(move=MoveOut.from_orm(move), person=moved)
