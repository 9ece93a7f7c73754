"""API: people of the registry (see the package docstring)."""

from typing import Any

from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.http import Http404, HttpRequest
from django.utils.translation import gettext as _
from ninja import Query, Router, Status
from ninja.errors import ValidationError as NinjaValidationError
from ninja.pagination import paginate

from chumchon.accounts.roles import Capability
from chumchon.accounts.scoping import can
from chumchon.api.auth import caller
from chumchon.api.errors import field_names
from chumchon.api.pagination import Pagination
from chumchon.api.schemas import errors
from chumchon.core.thai import to_ascii_digits, year_to_ce
from chumchon.people import selectors, services
from chumchon.people.api.schemas import (
    CountsOut,
    DuplicateOut,
    DuplicateQuery,
    MoveOut,
    MoveResultOut,
    PersonFilters,
    PersonIn,
    PersonListOut,
    PersonMoveIn,
    PersonOut,
    PersonPatch,
)
from chumchon.people.models import Household, Person

persons_router = Router()


def person_out(request: HttpRequest, person: Person) -> PersonOut:
    """The record with the national ID shown in full only when the caller's role allows it here."""
    out = PersonOut.from_orm(person)
    user = caller(request)
    if person.national_id and can(user, Capability.VIEW_FULL_ID, person.area_code):
        out = out.model_copy(update={"national_id": person.national_id, "national_id_masked": False})
    if (target := selectors.merged_target_in_reach(user=user, person=person)) is not None:
        out = out.model_copy(update={"merged_into": target})
    return out


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
