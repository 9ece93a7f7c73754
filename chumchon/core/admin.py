from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from chumchon.core.models import AuditEntry


@admin.register(AuditEntry)
class AuditEntryAdmin(admin.ModelAdmin):
    """Read-only: the audit trail is never edited."""

    list_display = ["at", "actor", "verb", "object_type", "object_id", "area_code"]
    list_filter = ["verb"]
    search_fields = ["object_id", "area_code", "object_label"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False
