"""API: the tambon plan (``/api/v1/tambon-plan``): programmes of a fiscal year, drafting them from
the needs found, editing them and their budget lines. Same services as the page; APPROVE_PLANS in
the tambon (404 otherwise), 422 naming the field."""

from datetime import datetime
from decimal import Decimal

from django.http import HttpRequest
from ninja import Query, Router, Schema, Status

from chumchon.api.auth import caller
from chumchon.api.schemas import Id, errors
from chumchon.care.models import BudgetLine, Programme
from chumchon.care.services import tambon_plan as svc
from chumchon.care.tambon_plan_selectors import programme_get, programme_list

router = Router()


class BudgetLineOut(Schema):
    id: int
    description: str
    amount: Decimal
    funding_source: str


class ProgrammeOut(Schema):
    id: int
    tambon_code: str
    fiscal_year: int
    name: str
    dimension: str
    support_kind: str | None
    village_codes: list[str]
    people_count: int
    responsible_organisation_id: int | None
    status: str
    progress: int
    budget_lines: list[BudgetLineOut]
    budget_total: Decimal
    updated_at: datetime

    @staticmethod
    def resolve_tambon_code(obj: Programme) -> str:
        return obj.area_code

    @staticmethod
    def resolve_support_kind(obj: Programme) -> str | None:
        return obj.support_kind.code if obj.support_kind else None

    @staticmethod
    def resolve_village_codes(obj: Programme) -> list[str]:
        return sorted(area.code for area in obj.villages.all())

    @staticmethod
    def resolve_budget_lines(obj: Programme) -> list[BudgetLine]:
        return list(obj.budget_lines.all())

    @staticmethod
    def resolve_budget_total(obj: Programme) -> Decimal:
        return sum((line.amount for line in obj.budget_lines.all()), Decimal("0"))


class ProgrammeFilters(Schema):
    fiscal_year: int
    area: str = ""


class DraftIn(Schema):
    fiscal_year: int
    area_code: str = ""


class ProgrammeIn(Schema):
    name: str = ""
    status: str = ""
    progress: int = 0
    responsible_organisation_id: Id | None = None


class BudgetLineIn(Schema):
    description: str = ""
    amount: Decimal | None = None
    funding_source: str = ""


@router.get("/programmes", response={200: list[ProgrammeOut], **errors(404, 422)})
def programmes(request: HttpRequest, filters: Query[ProgrammeFilters]) -> list[Programme]:
    return programme_list(user=caller(request), fiscal_year=filters.fiscal_year, area_code=filters.area)[1]


@router.post("/draft", response={200: list[ProgrammeOut], **errors(404, 422)})
def draft(request: HttpRequest, payload: DraftIn) -> list[Programme]:
    """A programme per kind of support with needs in the tambon; draft programmes are refreshed."""
    user = caller(request)
    made = svc.tambon_plan_draft(actor=user, fiscal_year=payload.fiscal_year, area_code=payload.area_code)
    return [programme_get(user=user, programme_id=programme.pk) for programme in made]


@router.get("/programmes/{int:programme_id}", response={200: ProgrammeOut, **errors(404)})
def programme(request: HttpRequest, programme_id: int) -> Programme:
    return programme_get(user=caller(request), programme_id=programme_id)


@router.post("/programmes/{int:programme_id}", response={200: ProgrammeOut, **errors(404, 422)})
def programme_update(request: HttpRequest, programme_id: int, payload: ProgrammeIn) -> Programme:
    user = caller(request)
    svc.programme_update(actor=user, programme_id=programme_id, **payload.dict())
    return programme_get(user=user, programme_id=programme_id)


@router.post("/programmes/{int:programme_id}/budget-lines", response={201: ProgrammeOut, **errors(404, 422)})
def budget_line_add(request: HttpRequest, programme_id: int, payload: BudgetLineIn) -> Status[Programme]:
    user = caller(request)
    svc.budget_line_add(actor=user, programme_id=programme_id, description=payload.description,
                        amount=payload.amount, funding_source=payload.funding_source)
    return Status(201, programme_get(user=user, programme_id=programme_id))
