from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from chumchon.areas.models import Area


@admin.register(Area)
class AreaAdmin(admin.ModelAdmin):
    list_display = ["code", "level", "name_th", "name_en", "is_active"]
    list_filter = ["level", "is_active"]
    search_fields = ["code", "name_th", "name_en"]
    raw_id_fields = ["parent"]

    # Villages and communities are created on the areas pages (audited); the tree comes from geothai.
    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False
