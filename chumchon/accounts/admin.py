from django.contrib import admin
from django.contrib.auth.admin import UserAdmin

from chumchon.accounts.models import ApiToken, Membership, User


class MembershipInline(admin.TabularInline):
    model = Membership
    extra = 0
    raw_id_fields = ["area"]


@admin.register(User)
class ChumchonUserAdmin(UserAdmin):
    inlines = [MembershipInline]
    list_display = ["username", "display_name", "is_active", "last_login"]
    fieldsets = (*UserAdmin.fieldsets, ("Chumchon", {"fields": ("display_name", "phone")}))


@admin.register(ApiToken)
class ApiTokenAdmin(admin.ModelAdmin):
    list_display = ["user", "created_at", "expires_at", "last_used_at"]
    readonly_fields = ["key_hash"]
