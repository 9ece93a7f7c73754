"""Reads of accounts: memberships and users within the acting user's MANAGE_MEMBERS reach."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet

from chumchon.accounts.models import Membership, User
from chumchon.accounts.roles import Capability, Role
from chumchon.accounts.scoping import scope_q
from chumchon.areas.models import Area

MEMBERS = Capability.MANAGE_MEMBERS


def membership_list(*, user: Any) -> QuerySet[Membership]:
    """Memberships in areas the user manages."""
    return Membership.objects.filter(scope_q(user, MEMBERS)).select_related("user", "area")


def grantable_areas(*, user: Any) -> QuerySet[Area]:
    """Areas in which the user may grant roles."""
    return Area.objects.filter(scope_q(user, MEMBERS, path="code"), is_active=True).order_by("code")


def member_users(*, user: Any) -> QuerySet[User]:
    """Users who already hold a role somewhere in the user's reach."""
    return (User.objects.filter(memberships__in=membership_list(user=user)).distinct()
            .order_by("display_name", "username"))


def is_administrator(*, user: Any) -> bool:
    return Membership.objects.filter(user=user, role=Role.ADMINISTRATOR).exists()
