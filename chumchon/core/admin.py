from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from chumchon.core.models import AuditEntry


class ReadOnlyAdmin(admin.ModelAdmin):
    """Shown to staff, never edited here: writes go through audited services."""

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(AuditEntry)
class AuditEntryAdmin(ReadOnlyAdmin):
    """Read-only: the audit trail is never edited."""

    list_display = ["at", "actor", "verb", "object_type", "object_id", "area_code"]
    list_filter = ["verb"]
    search_fields = ["object_id", "area_code", "object_label"]
