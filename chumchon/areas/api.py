"""API: the area tree (what the caller may see) and new villages and communities."""


from django.http import HttpRequest
from ninja import Query, Router, Schema, Status
from ninja.pagination import paginate

from chumchon.api.auth import caller
from chumchon.api.pagination import Pagination
from chumchon.api.schemas import errors
from chumchon.areas import selectors, services
from chumchon.areas.models import Area

router = Router()


class AreaOut(Schema):
    code: str
    level: str
    parent_code: str | None
    name_th: str
    name_en: str
    label: str
    number: int | None
    official_code: str
    postcodes: str
    is_active: bool

    @staticmethod
    def resolve_parent_code(obj: Area) -> str | None:
        return obj.parent_id


class AreaFilters(Schema):
    parent: str = ""
    level: str = ""
    q: str = ""


class VillageIn(Schema):
    tambon_code: str
    moo: int | str
    name_th: str = ""
    name_en: str = ""


class CommunityIn(Schema):
    tambon_code: str
    number: int | str
    name_th: str = ""
    name_en: str = ""
    official_code: str = ""


@router.get("", response={200: list[AreaOut], **errors(422)})
@paginate(Pagination)
def area_list(request: HttpRequest, filters: Query[AreaFilters]) -> object:
    """Areas the caller's memberships reach, and their ancestors (the tree above them)."""
    return selectors.area_list(user=caller(request), parent_code=filters.parent, level=filters.level,
                               q=filters.q)


@router.post("/villages", response={201: AreaOut, **errors(404, 422)})
def village_create(request: HttpRequest, payload: VillageIn) -> Status[Area]:
    """หมู่ที่ N of a tambon (tambon officers). Its code is the tambon code + the 2-digit moo."""
    village = services.village_create(actor=caller(request), tambon_code=payload.tambon_code, moo=payload.moo,
                                      name_th=payload.name_th, name_en=payload.name_en)
    return Status(201, village)


@router.post("/communities", response={201: AreaOut, **errors(404, 422)})
def community_create(request: HttpRequest, payload: CommunityIn) -> Status[Area]:
    """A municipal community (ชุมชน) of a tambon; its municipal code goes in `official_code`."""
    community = services.community_create(
        actor=caller(request), tambon_code=payload.tambon_code, number=payload.number,
        name_th=payload.name_th, name_en=payload.name_en, official_code=payload.official_code,
    )
    return Status(201, community)


# Last: "/{code}" would otherwise swallow "/villages" and "/communities".
@router.get("/{code}", response={200: AreaOut, **errors(404, 422)})
def area_get(request: HttpRequest, code: str) -> Area:
    """One area, if the caller may see it; otherwise 404."""
    return selectors.area_get(user=caller(request), code=code)
