"""API: households of the registry (see the package docstring)."""


from django.db.models import QuerySet
from django.http import HttpRequest
from ninja import Query, Router, Status
from ninja.pagination import paginate

from chumchon.api.auth import caller
from chumchon.api.errors import field_names
from chumchon.api.pagination import Pagination
from chumchon.api.schemas import errors
from chumchon.people import selectors, services
from chumchon.people.api.schemas import (
    HouseholdDetailOut,
    HouseholdFilters,
    HouseholdIn,
    HouseholdOut,
    HouseholdPatch,
    PersonListOut,
)
from chumchon.people.models import Household

households_router = Router()

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
