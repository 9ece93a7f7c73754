"""``/people/``: one search box with results as you type, filters by village and group."""

from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import urlencode

from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import render
from django.views.decorators.vary import vary_on_headers

from chumchon.accounts.roles import Capability
from chumchon.accounts.scoping import can
from chumchon.areas.selectors import local_areas
from chumchon.core.thai import age_in_years
from chumchon.people import selectors
from chumchon.people.exports import person_list_csv
from chumchon.people.forms import GROUP_LABELS, SearchForm
from chumchon.people.models import Person
from chumchon.people.validation import today
from chumchon.people.views._common import EDIT, HtmxHttpRequest, is_partial
from chumchon.visits.selectors.results import classification_choices

PER_PAGE = 50


@dataclass(frozen=True)
class Row:
    person: Person
    age: int | None
    groups: list[str]


def rows_for(people: list[Person]) -> list[Row]:
    """One page of people with what the result list shows beside each name."""
    on = today()
    return [
        Row(person=person,
            age=age_in_years(person.birth_date, on) if person.birth_date else None,
            groups=[str(GROUP_LABELS[group]) for group in selectors.person_groups(person, on=on)])
        for person in people
    ]


@login_required
@vary_on_headers("HX-Request")
def search(request: HtmxHttpRequest) -> HttpResponse:
    form = SearchForm(request.GET or None, areas=local_areas(user=request.user))
    filters = form.filters()
    status = request.GET.get("status", "").strip()[:120]
    status_error = ""
    try:
        people = selectors.person_list(user=request.user, q=filters["q"], area_code=filters["area"],
                                       group=filters["group"], current_status=status)
    except ValidationError as exc:  # a filter by health data without VIEW_HEALTH: refused, said why
        status_error = " ".join(exc.messages)
        people = Person.objects.none()
    page = Paginator(people, PER_PAGE).get_page(request.GET.get("page"))
    context = {
        "form": form,
        "page": page,
        "rows": rows_for(list(page.object_list)),
        "can_register": can(request.user, EDIT),
        "query": urlencode({key: value for key, value in {**filters, "status": status}.items() if value}),
        "status": status,
        "status_error": status_error,
        "status_choices": classification_choices() if can(request.user, Capability.VIEW_HEALTH) else [],
    }
    if is_partial(request):
        return render(request, "people/_results.html", context)
    return render(request, "people/search.html", context)


@login_required
def export(request: HtmxHttpRequest) -> HttpResponse:
    """The same list as the search page, as CSV for Excel; the export is audited."""
    form = SearchForm(request.GET or None, areas=local_areas(user=request.user))
    filters = form.filters()
    data, _count = person_list_csv(user=request.user, q=filters["q"], area_code=filters["area"],
                                   group=filters["group"])
    response = HttpResponse(data, content_type="text/csv; charset=utf-8")
    stamp = today().strftime("%Y%m%d")
    response["Content-Disposition"] = f'attachment; filename="chumchon-people-{stamp}.csv"'
    return response
