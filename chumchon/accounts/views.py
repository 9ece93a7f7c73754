"""The members page: a tambon officer sees who holds which role in their areas, creates accounts
for new volunteers and staff, and grants or revokes roles. Everything outside their
MANAGE_MEMBERS reach answers 404."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from chumchon.accounts.forms import AddRoleForm, NewMemberForm
from chumchon.accounts.roles import Capability, Role
from chumchon.accounts.scoping import area_prefixes, can
from chumchon.accounts.selectors import grantable_areas, is_administrator, member_users, membership_list
from chumchon.accounts.services import membership_grant, membership_revoke, user_create
from chumchon.areas.models import AreaLevel
from chumchon.core.views import apply_service_errors

MEMBERS = Capability.MANAGE_MEMBERS
_DEPTH = {AreaLevel.PROVINCE: 0, AreaLevel.DISTRICT: 1, AreaLevel.SUBDISTRICT: 2,
          AreaLevel.VILLAGE: 3, AreaLevel.COMMUNITY: 3}


def _require_members(request: HttpRequest) -> None:
    if not can(request.user, MEMBERS):
        raise Http404("not found")


def _area_choices(user: Any) -> list[tuple[str, str]]:
    areas = grantable_areas(user=user)
    top = min((_DEPTH.get(AreaLevel(area.level), 0) for area in areas), default=0)
    return [(area.code, "· " * (_DEPTH.get(AreaLevel(area.level), 0) - top) + area.label)
            for area in areas.only("code", "level", "name_th", "number")]


def _role_choices(user: Any) -> list[tuple[str, str]]:
    province_wide = any(len(prefix) <= 2 for prefix in area_prefixes(user, MEMBERS))
    is_admin = is_administrator(user=user)
    hidden = set()
    if not province_wide:
        hidden.add(Role.PROVINCIAL_COORDINATOR.value)
    if not is_admin:
        hidden.add(Role.ADMINISTRATOR.value)
    return [(str(value), str(label)) for value, label in Role.choices if value not in hidden]


def _user_choices(user: Any) -> list[tuple[str, str]]:
    return [(str(member.pk), f"{member} ({member.username})") for member in member_users(user=user)]


@login_required
def members(request: HttpRequest) -> HttpResponse:
    _require_members(request)
    user = request.user
    in_reach = membership_list(user=user)
    choices = {"areas": _area_choices(user), "roles": _role_choices(user)}
    action = request.POST.get("action") if request.method == "POST" else None
    posted_area = request.POST.get(f"{action}-area", "") if action else ""
    if posted_area and not can(user, MEMBERS, posted_area):
        raise Http404("not found")
    new_form = NewMemberForm(request.POST if action == "new" else None, prefix="new", **choices)
    add_form = AddRoleForm(request.POST if action == "add" else None, prefix="add",
                           users=_user_choices(user), **choices)
    if action == "new" and new_form.is_valid():
        data = new_form.cleaned_data
        try:
            with transaction.atomic():
                account = user_create(actor=user, username=data["username"], password=data["password"],
                                      display_name=data["display_name"], phone=data["phone"],
                                      area_code=data["area"])
                membership = membership_grant(actor=user, user=account, area_code=data["area"],
                                              role=data["role"], organisation=data["organisation"])
        except ValidationError as error:
            apply_service_errors(new_form, error)
        else:
            messages.success(request, _("Account %(username)s was created: %(role)s in %(area)s.") % {
                "username": account.username, "role": membership.get_role_display(),
                "area": membership.area.label})
            return redirect("members")
    if action == "add" and add_form.is_valid():
        data = add_form.cleaned_data
        member = member_users(user=user).get(pk=data["user"])  # the choices are users already in reach
        try:
            membership = membership_grant(actor=user, user=member, area_code=data["area"], role=data["role"],
                                          organisation=data["organisation"])
        except ValidationError as error:
            apply_service_errors(add_form, error)
        else:
            messages.success(request, _("%(user)s is now %(role)s in %(area)s.") % {
                "user": member, "role": membership.get_role_display(), "area": membership.area.label})
            return redirect("members")
    rows = in_reach.order_by("area_id", "role", "user__display_name", "user__username")
    return render(request, "accounts/members.html", {
        "memberships": rows, "new_form": new_form, "add_form": add_form, "action": action,
    })


@login_required
def member_revoke(request: HttpRequest, pk: int) -> HttpResponse:
    """GET asks to confirm; POST takes the role away."""
    _require_members(request)
    membership = membership_list(user=request.user).filter(pk=pk).first()
    if membership is None:
        raise Http404("not found")
    if request.method == "POST":
        membership_revoke(actor=request.user, membership=membership)
        messages.success(request, _("%(user)s is no longer %(role)s in %(area)s.") % {
            "user": membership.user, "role": membership.get_role_display(), "area": membership.area.label})
        return redirect("members")
    return render(request, "accounts/members_revoke.html", {
        "membership": membership, "is_self": membership.user_id == request.user.pk,
    })
