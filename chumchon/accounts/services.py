"""Accounts: memberships (roles in areas) and API tokens."""

from __future__ import annotations

import secrets
from datetime import timedelta
from typing import Any

from django.conf import settings
from django.contrib.auth import authenticate
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from chumchon.accounts.models import ApiToken, Membership, User
from chumchon.accounts.roles import Capability, Role
from chumchon.accounts.scoping import forget_reach, require_area
from chumchon.areas.models import Area
from chumchon.core.audit import log_action


@transaction.atomic
def membership_grant(*, actor: Any | None, user: User, area_code: str, role: str,
                     organisation: str = "") -> Membership:
    """Give ``user`` a role in an area. ``actor`` None is the system itself (setup, demo)."""
    if role not in Role.values:
        raise ValidationError({"role": _("Unknown role.")})
    area = Area.objects.filter(code=area_code, is_active=True).first()
    if area is None:
        raise ValidationError({"area": _("No area has the code “%(code)s”.") % {"code": area_code}})
    if actor is not None:
        require_area(actor, Capability.MANAGE_MEMBERS, area.code)
        if role == Role.ADMINISTRATOR and not _is_admin_over(actor, area.code):
            raise ValidationError({"role": _("Only an administrator may appoint an administrator.")})
    membership, created = Membership.objects.get_or_create(
        user=user, area=area, role=role, defaults={"organisation": organisation})
    forget_reach(user)
    if created:
        log_action(actor=actor, verb="membership.grant", obj=membership, area_code=area.code,
                   data={"user": user.username, "role": role, "organisation": organisation})
    return membership


def _is_admin_over(actor: Any, area_code: str) -> bool:
    codes = Membership.objects.filter(user=actor, role=Role.ADMINISTRATOR).values_list("area_id", flat=True)
    return any(area_code.startswith(code) for code in codes)


@transaction.atomic
def membership_revoke(*, actor: Any, membership: Membership) -> None:
    require_area(actor, Capability.MANAGE_MEMBERS, membership.area_code)
    log_action(actor=actor, verb="membership.revoke", obj=membership, area_code=membership.area_code,
               data={"user": membership.user.username, "role": membership.role})
    membership.delete()
    forget_reach(membership.user)


def token_create(*, username: str, password: str) -> tuple[str, ApiToken] | None:
    """Exchange a username and password for a new bearer token; None when they do not match."""
    user = authenticate(username=username, password=password)
    if user is None or not user.is_active:
        return None
    key = secrets.token_urlsafe(32)
    token = ApiToken.objects.create(
        user=user, key_hash=ApiToken.hash_key(key),
        expires_at=timezone.now() + timedelta(days=settings.API_TOKEN_DAYS),
    )
    log_action(actor=user, verb="token.create", object_type="accounts.apitoken", object_id=str(token.pk))
    return key, token


def token_user(key: str) -> User | None:
    token = (ApiToken.objects.select_related("user").filter(key_hash=ApiToken.hash_key(key))
             .filter(expires_at__gt=timezone.now()).first())
    if token is None or not token.user.is_active:
        return None
    now = timezone.now()
    if token.last_used_at is None or now - token.last_used_at > timedelta(minutes=5):
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
    return token.user


@transaction.atomic
def user_create(*, actor: Any | None, username: str, password: str, display_name: str = "",
                phone: str = "", area_code: str = "") -> User:
    """A new login for someone who works in an area. ``actor`` must grant roles somewhere
    (MANAGE_MEMBERS); ``area_code`` is where the account is for, so that the officers of that area
    find its creation in their audit log. None as actor is the system itself (setup, demo)."""
    from django.contrib.auth.password_validation import validate_password

    from chumchon.accounts.scoping import can
    from chumchon.core.thai import normalize_text, to_ascii_digits

    if actor is not None:
        if area_code:
            require_area(actor, Capability.MANAGE_MEMBERS, area_code)
        elif not can(actor, Capability.MANAGE_MEMBERS):
            raise ValidationError({"username": _("You may not create user accounts.")})
    username = normalize_text(username).replace(" ", "")
    errors: dict[str, list[str]] = {}
    if not username:
        errors["username"] = [_("Enter a username.")]
    elif len(username) > 150 or not all(ch.isalnum() or ch in "@.+-_" for ch in username):
        errors["username"] = [_("A username has only letters, digits and @ . + - _, at most 150 characters.")]
    elif User.objects.filter(username__iexact=username).exists():
        errors["username"] = [_("The username “%(username)s” is taken; choose another.") % {"username": username}]
    candidate = User(username=username, display_name=normalize_text(display_name)[:150],
                     phone=to_ascii_digits(phone).strip()[:20])
    try:
        validate_password(password, user=candidate)
    except ValidationError as error:
        errors["password"] = list(error.messages)
    if errors:
        raise ValidationError(errors)
    candidate.set_password(password)
    candidate.save(force_insert=True)
    log_action(actor=actor, verb="user.create", obj=candidate, area_code=area_code,
               data={"username": candidate.username, "display_name": candidate.display_name})
    return candidate
