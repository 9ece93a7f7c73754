"""Directory pages: organisations (list with search and filters, detail, register, edit), their
services, relations and staff, and the vocabulary terms. Thin: selectors decide what a user sees
(404 outside), services decide what may be written."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db.models import Count, Q
from django.forms import Form
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from chumchon.accounts.models import Membership, User
from chumchon.accounts.scoping import can, within_q
from chumchon.network.errors import DuplicateOrganisation
from chumchon.network.forms_directory import (
    OrganisationForm,
    RelationForm,
    ServiceForm,
    StaffForm,
    TermForm,
    contacts_to_text,
)
from chumchon.network.models import Organisation, OrganisationStaff, Vocabulary
from chumchon.network.scoping import MANAGE, SEE, may_see_names
from chumchon.network.selectors import directory as selectors
from chumchon.network.services import directory as services
from chumchon.network.services.cleaning import as_id
from chumchon.network.services.terms import may_manage_terms, term_create

PAGE_SIZE = 50


def _apply_errors(form: Form, exc: ValidationError) -> None:
    for name, errors in exc.message_dict.items():
        form.add_error(name if name in form.fields else None, errors)


def _require_see(user: Any) -> None:
    if not can(user, SEE):
        raise Http404("not found")


@login_required
def organisation_list(request: HttpRequest) -> HttpResponse:
    user = request.user
    _require_see(user)
    filters = {key: request.GET.get(key, "").strip()[:100] for key in
               ("q", "kind", "area", "target_group", "support_kind")}
    rows = selectors.organisation_list(user=user, q=filters["q"], kind=filters["kind"], area_code=filters["area"],
                                       target_group=filters["target_group"], support_kind=filters["support_kind"]
                                       ).annotate(service_count=Count("services", distinct=True))
    page = Paginator(rows, PAGE_SIZE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    context = {
        "page": page, "filters": filters, "query": query.urlencode(),
        "kinds": selectors.term_choices(Vocabulary.ORG_KIND),
        "target_groups": selectors.term_choices(Vocabulary.TARGET_GROUP),
        "support_kinds": selectors.term_choices(Vocabulary.SUPPORT_KIND),
        "can_add": can(user, MANAGE), "can_terms": may_manage_terms(user),
    }
    return render(request, "network/directory/list.html", context)


def _parents(user: Any) -> list[Organisation]:
    return list(selectors.organisation_list(user=user, active_only=True).select_related(None).only("pk", "name"))


def _form_page(request: HttpRequest, form: OrganisationForm, *, organisation: Organisation | None,
               duplicates: list[Organisation] = ()) -> HttpResponse:  # type: ignore[assignment]
    return render(request, "network/directory/organisation_form.html",
                  {"form": form, "organisation": organisation, "duplicates": duplicates})


@login_required
def organisation_create(request: HttpRequest) -> HttpResponse:
    user = request.user
    if not can(user, MANAGE):
        raise Http404("not found")
    form = OrganisationForm(request.POST or None, user=user, parents=_parents(user))
    duplicates: list[Organisation] = []
    if request.method == "POST" and form.is_valid():
        try:
            organisation = services.organisation_create(actor=user, confirm_new=request.POST.get("confirm_new") == "1",
                                                        **form.service_fields())
        except DuplicateOrganisation as exc:
            duplicates = exc.existing
            form.add_error(None, exc.message_dict["name"])
        except ValidationError as exc:
            _apply_errors(form, exc)
        else:
            messages.success(request, _("The organisation was registered."))
            return redirect("network-organisation", organisation_id=organisation.pk)
    return _form_page(request, form, organisation=None, duplicates=duplicates)


@login_required
def organisation_detail(request: HttpRequest, organisation_id: int) -> HttpResponse:
    user = request.user
    organisation = selectors.organisation_get(user=user, organisation_id=organisation_id)
    relations = list(selectors.relation_list(user=user, organisation_id=organisation.pk))
    context = {
        "organisation": organisation,
        "covered": organisation.areas.order_by("code"),
        "services": selectors.service_list(user=user, organisation_id=organisation.pk),
        "relations_out": [row for row in relations if row.source_id == organisation.pk],
        "relations_in": [row for row in relations if row.target_id == organisation.pk],
        "children": selectors.organisation_list(user=user).filter(parent=organisation),
        "contacts": selectors.contact_list(user=user, organisation=organisation),
        "staff": selectors.staff_list(user=user, organisation=organisation),
        "may_see_names": may_see_names(user, organisation.area_code),
        "can_manage": selectors.may_manage(user, organisation),
    }
    if context["can_manage"]:
        context["staff_form"] = StaffForm(users=_staff_candidates(organisation))
    return render(request, "network/directory/organisation_detail.html", context)


def _manageable(request: HttpRequest, organisation_id: int) -> Organisation:
    organisation = selectors.organisation_get(user=request.user, organisation_id=organisation_id)
    if not selectors.may_manage(request.user, organisation):
        raise Http404("not found")
    return organisation


@login_required
def organisation_edit(request: HttpRequest, organisation_id: int) -> HttpResponse:
    user = request.user
    organisation = _manageable(request, organisation_id)
    initial = {
        "name": organisation.name, "kind_code": organisation.kind.code, "area_code": organisation.area_code,
        "parent_id": str(organisation.parent_id or ""),
        "covered_area_codes": list(organisation.areas.values_list("code", flat=True)),
        "contacts": contacts_to_text(organisation.contacts),
        **{name: getattr(organisation, name) or "" for name in ("phone", "email", "website", "address",
                                                                 "description", "latitude", "longitude")},
    }
    form = OrganisationForm(request.POST or None, initial=initial, user=user, organisation=organisation,
                            parents=_parents(user))
    duplicates: list[Organisation] = []
    if request.method == "POST" and form.is_valid():
        try:
            services.organisation_update(actor=user, organisation=organisation, version=_version(request),
                                         confirm_new=request.POST.get("confirm_new") == "1",
                                         is_active=request.POST.get("is_active") == "1", **form.service_fields())
        except DuplicateOrganisation as exc:
            duplicates = exc.existing
            form.add_error(None, exc.message_dict["name"])
        except ValidationError as exc:
            _apply_errors(form, exc)
        else:
            messages.success(request, _("Saved."))
            return redirect("network-organisation", organisation_id=organisation.pk)
    return _form_page(request, form, organisation=organisation, duplicates=duplicates)


def _version(request: HttpRequest) -> int | None:
    return as_id(request.POST.get("version", ""))


def _staff_candidates(organisation: Organisation) -> list[tuple[str, str]]:
    codes = [organisation.area_code, *organisation.areas.values_list("code", flat=True)]
    query = Q()
    for code in codes:
        query |= within_q(code, "area__code")
    user_ids = Membership.objects.filter(query).values("user_id")
    taken = organisation.staff.values("user_id")
    users = User.objects.filter(pk__in=user_ids, is_active=True).exclude(pk__in=taken).order_by("username")[:500]
    return [(str(user.pk), f"{user.display_name or user.username} ({user.username})") for user in users]


@login_required
@require_POST
def staff_add(request: HttpRequest, organisation_id: int) -> HttpResponse:
    organisation = _manageable(request, organisation_id)
    form = StaffForm(request.POST, users=_staff_candidates(organisation))
    if form.is_valid():
        try:
            services.staff_add(actor=request.user, organisation=organisation,
                               user=User.objects.get(pk=form.cleaned_data["user_id"]),
                               position=form.cleaned_data["position"])
        except ValidationError as exc:
            for message in exc.messages:
                messages.error(request, message)
        else:
            messages.success(request, _("Added to the staff."))
    else:
        messages.error(request, _("Choose a user who works in an area of this organisation."))
    return redirect("network-organisation", organisation_id=organisation.pk)


@login_required
@require_POST
def staff_remove(request: HttpRequest, organisation_id: int, staff_id: int) -> HttpResponse:
    organisation = _manageable(request, organisation_id)
    staff = OrganisationStaff.objects.filter(organisation=organisation, pk=staff_id).first()
    if staff is None:
        raise Http404("not found")
    services.staff_remove(actor=request.user, staff=staff)
    messages.success(request, _("Removed from the staff."))
    return redirect("network-organisation", organisation_id=organisation.pk)


@login_required
def service_create(request: HttpRequest, organisation_id: int) -> HttpResponse:
    organisation = _manageable(request, organisation_id)
    form = ServiceForm(request.POST or None, organisation=organisation,
                       initial={"area_codes": [organisation.area_code]})
    if request.method == "POST" and form.is_valid():
        try:
            services.service_create(actor=request.user, organisation=organisation, **form.cleaned_data)
        except ValidationError as exc:
            _apply_errors(form, exc)
        else:
            messages.success(request, _("The service was added."))
            return redirect("network-organisation", organisation_id=organisation.pk)
    return render(request, "network/directory/service_form.html",
                  {"form": form, "organisation": organisation, "service": None})


@login_required
def service_edit(request: HttpRequest, service_id: int) -> HttpResponse:
    service = selectors.service_get(user=request.user, service_id=service_id)
    organisation = _manageable(request, service.organisation_id)
    initial = {"name": service.name, "eligibility": service.eligibility, "description": service.description,
               "capacity": "" if service.capacity is None else str(service.capacity),
               "target_group_codes": [term.code for term in service.target_groups.all()],
               "support_kind_codes": [term.code for term in service.support_kinds.all()],
               "area_codes": [area.code for area in service.areas.all()]}
    form = ServiceForm(request.POST or None, organisation=organisation, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.service_update(actor=request.user, service=service, is_active=request.POST.get("is_active") == "1",
                                    **form.cleaned_data)
        except ValidationError as exc:
            _apply_errors(form, exc)
        else:
            messages.success(request, _("Saved."))
            return redirect("network-organisation", organisation_id=organisation.pk)
    return render(request, "network/directory/service_form.html",
                  {"form": form, "organisation": organisation, "service": service})


@login_required
def relation_create(request: HttpRequest, organisation_id: int) -> HttpResponse:
    organisation = _manageable(request, organisation_id)
    targets = [org for org in _parents(request.user) if org.pk != organisation.pk]
    form = RelationForm(request.POST or None, targets=targets)
    if request.method == "POST" and form.is_valid():
        try:
            data = form.cleaned_data
            services.relation_create(actor=request.user, source=organisation, target=int(data["target_id"]),
                                     kind=data["kind"], note=data["note"], started_on=data["started_on"],
                                     ended_on=data["ended_on"])
        except ValidationError as exc:
            _apply_errors(form, exc)
        else:
            messages.success(request, _("The relation was recorded."))
            return redirect("network-organisation", organisation_id=organisation.pk)
    return render(request, "network/directory/relation_form.html", {"form": form, "organisation": organisation})


@login_required
@require_POST
def relation_delete(request: HttpRequest, relation_id: int) -> HttpResponse:
    relation = selectors.relation_get(user=request.user, relation_id=relation_id)
    services.relation_delete(actor=request.user, relation=relation)
    messages.success(request, _("The relation was removed."))
    return redirect("network-organisation", organisation_id=relation.source_id)


@login_required
def term_list(request: HttpRequest) -> HttpResponse:
    user = request.user
    _require_see(user)
    form = TermForm(request.POST or None) if may_manage_terms(user) else None
    if request.method == "POST":
        if form is None:
            raise Http404("not found")
        if form.is_valid():
            try:
                term = term_create(actor=user, **form.cleaned_data)
            except ValidationError as exc:
                _apply_errors(form, exc)
            else:
                messages.success(request, _("“%(label)s” was added.") % {"label": term.label_th})
                return redirect("network-terms")
    terms = list(selectors.term_list(active_only=False))
    groups: list[dict[str, Any]] = [
        {"label": label, "code": code, "terms": [term for term in terms if term.vocabulary == code]}
        for code, label in Vocabulary.choices]
    return render(request, "network/directory/terms.html", {"groups": groups, "form": form})

