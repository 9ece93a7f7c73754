from typing import Any

from django.contrib import admin
from django.contrib.auth.admin import UserAdmin
from django.http import HttpRequest

from chumchon.accounts.models import ApiToken, Membership, User


class MembershipInline(admin.TabularInline):
    """Shown, not edited here: roles are granted on the members page, where grants are audited."""

    model = Membership
    extra = 0
    can_delete = False
    readonly_fields = ["area", "role", "organisation", "created_at"]

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(User)
class ChumchonUserAdmin(UserAdmin):
    inlines = [MembershipInline]
    list_display = ["username", "display_name", "is_active", "last_login"]
    fieldsets = (*(UserAdmin.fieldsets or ()), ("Chumchon", {"fields": ("display_name", "phone")}))


@admin.register(ApiToken)
class ApiTokenAdmin(admin.ModelAdmin):
    list_display = ["user", "created_at", "expires_at", "last_used_at"]
    readonly_fields = ["key_hash"]
