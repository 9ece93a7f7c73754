from __future__ import annotations

import hashlib

from django.conf import settings
from django.contrib.auth.models import AbstractUser
from django.db import models
from django.utils.translation import gettext_lazy as _

from chumchon.accounts.roles import Role


class User(AbstractUser):
    display_name = models.CharField(_("display name"), max_length=150, blank=True)
    phone = models.CharField(_("phone"), max_length=20, blank=True)

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")

    def __str__(self) -> str:
        return self.display_name or self.get_full_name() or self.username


class Membership(models.Model):
    """A user's role in an area (and everything below it)."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="memberships")
    area = models.ForeignKey("areas.Area", verbose_name=_("area"), on_delete=models.PROTECT,
                             related_name="memberships")
    role = models.CharField(_("role"), max_length=30, choices=Role.choices)
    # Organisations arrive with the network issue; until then the name is kept as text.
    organisation = models.CharField(_("organisation"), max_length=200, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("membership")
        verbose_name_plural = _("memberships")
        constraints = [
            models.UniqueConstraint(fields=["user", "area", "role"], name="membership_unique_user_area_role")
        ]

    def __str__(self) -> str:
        return f"{self.user} · {self.get_role_display()} · {self.area_id}"

    @property
    def area_code(self) -> str:
        return str(self.area_id)


class ApiToken(models.Model):
    """A bearer token for the API. Only its SHA-256 is stored."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="api_tokens")
    key_hash = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(auto_now_add=True)
    expires_at = models.DateTimeField()
    last_used_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("API token")
        verbose_name_plural = _("API tokens")

    def __str__(self) -> str:
        return f"token {self.pk} of {self.user}"

    @staticmethod
    def hash_key(key: str) -> str:
        return hashlib.sha256(key.encode()).hexdigest()
