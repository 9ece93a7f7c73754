"""The tambon plan: individual needs rolled up by village and dimension into programmes.

Needs are the people (or households) of the tambon with an open goal of a kind of support, or a
current assessment result that a need rule maps to that kind. Each kind of support belongs to one
of the five dimensions. Drafting creates a programme per kind of support with needs (or refreshes
a draft one); officers then edit names, budget lines, funding sources, responsible organisations,
status and progress. Everything needs APPROVE_PLANS in the tambon (a tambon officer or care
manager); anyone else gets 404."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import Http404
from django.utils.translation import gettext as _

from chumchon.accounts.scoping import can
from chumchon.areas.models import Area
from chumchon.care.models import BudgetLine, Programme, ProgrammeStatus
from chumchon.care.services._common import APPROVE, clean_decimal, clean_text
from chumchon.care.tambon_plan_selectors import needs_rollup
from chumchon.core.audit import log_action
from chumchon.network.models import Organisation

CENT = Decimal("0.01")


def _fiscal_year(value: Any) -> int:
    try:
        year = int(str(value).strip())
    except (TypeError, ValueError):
        raise ValidationError({"fiscal_year": _("Enter the fiscal year in B.E., e.g. 2570.")}) from None
    if not 2500 <= year <= 2700:
        raise ValidationError({"fiscal_year": _("Enter the fiscal year in B.E., e.g. 2570.")})
    return year


@transaction.atomic
def tambon_plan_draft(*, actor: Any, fiscal_year: Any, area_code: str = "") -> list[Programme]:
    """A programme per kind of support with needs; a draft programme already there is refreshed
    (villages, people), others are left as the officers set them."""
    year = _fiscal_year(fiscal_year)
    tambon, cells = needs_rollup(user=actor, area_code=area_code)
    out = []
    for cell in cells:
        programme = Programme.objects.filter(tambon=tambon, fiscal_year=year, support_kind=cell.support_kind).first()
        if programme is None:
            programme = Programme.objects.create(
                tambon=tambon, fiscal_year=year, support_kind=cell.support_kind, dimension=cell.dimension,
                name=_("%(kind)s for people in need") % {"kind": cell.support_kind.label}, created_by=actor,
                people_count=cell.people)
        elif programme.status == ProgrammeStatus.DRAFT:
            programme.people_count = cell.people
            programme.save(update_fields=["people_count", "updated_at"])
        else:
            out.append(programme)
            continue
        programme.villages.set(list(Area.objects.filter(code__in=sorted(cell.by_village))))
        out.append(programme)
    log_action(actor=actor, verb="tambon_plan.draft", object_type="care.programme", area_code=tambon.code,
               data={"fiscal_year": year, "programmes": [p.pk for p in out]})
    return out


def _programme(actor: Any, programme_id: int) -> Programme:
    programme = Programme.objects.select_for_update().filter(pk=programme_id).first()
    if programme is None or not can(actor, APPROVE, programme.area_code):
        raise Http404("not found")
    return programme


@transaction.atomic
def programme_update(*, actor: Any, programme_id: int, name: str, status: str, progress: Any,
                     responsible_organisation_id: int | None = None) -> Programme:
    programme = _programme(actor, programme_id)
    name = clean_text(name, field="name", max_length=200, message=_("Give the programme a name."))
    if status not in ProgrammeStatus.values:
        raise ValidationError({"status": _("Choose a status from the list.")})
    number = clean_decimal(progress, field="progress")
    if number is None or number < 0 or number > 100 or number != int(number):
        raise ValidationError({"progress": _("Progress is a whole number from 0 to 100.")})
    org = None
    if responsible_organisation_id:
        from chumchon.network.scoping import organisation_visible_q

        org = Organisation.objects.filter(organisation_visible_q(actor), pk=responsible_organisation_id).first()
        if org is None:
            raise ValidationError({"responsible_organisation_id": _("Choose an organisation from the directory.")})
    before = {"name": programme.name, "status": programme.status, "progress": programme.progress,
              "organisation": programme.responsible_organisation_id}
    programme.name, programme.status, programme.progress = name, status, int(number)
    programme.responsible_organisation = org
    programme.save(update_fields=["name", "status", "progress", "responsible_organisation", "updated_at"])
    log_action(actor=actor, verb="programme.update", obj=programme,
               data={"before": before, "after": {"name": name, "status": status, "progress": int(number),
                                                 "organisation": org.pk if org else None}})
    return programme


@transaction.atomic
def budget_line_add(*, actor: Any, programme_id: int, description: str, amount: Any,
                    funding_source: str) -> BudgetLine:
    programme = _programme(actor, programme_id)
    description = clean_text(description, field="description", max_length=200, message=_("Say what the money is for."))
    value = clean_decimal(amount, field="amount")
    if value is None or value < 0:
        raise ValidationError({"amount": _("Enter an amount in baht, zero or more.")})
    funding_source = clean_text(funding_source, field="funding_source", max_length=200,
                                message=_("Say where the money comes from."))
    line = BudgetLine.objects.create(programme=programme, description=description, amount=value.quantize(CENT),
                                     funding_source=funding_source)
    log_action(actor=actor, verb="programme.budget_add", obj=programme,
               data={"line": line.pk, "amount": str(line.amount), "source": funding_source})
    return line


@transaction.atomic
def budget_line_remove(*, actor: Any, line_id: int) -> None:
    line = BudgetLine.objects.select_related("programme").filter(pk=line_id).first()
    if line is None:
        raise Http404("not found")
    programme = _programme(actor, line.programme_id)
    log_action(actor=actor, verb="programme.budget_remove", obj=programme,
               data={"line": line.pk, "amount": str(line.amount), "description": line.description})
    line.delete()


