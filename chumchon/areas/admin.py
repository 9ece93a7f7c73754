from django.contrib import admin

from chumchon.areas.models import Area
from chumchon.core.admin import ReadOnlyAdmin


@admin.register(Area)
class AreaAdmin(ReadOnlyAdmin):
    """Villages and communities are created on the areas pages (audited); the tree comes from geothai."""

    list_display = ["code", "level", "name_th", "name_en", "is_active"]
    list_filter = ["level", "is_active"]
    search_fields = ["code", "name_th", "name_en"]
    raw_id_fields = ["parent"]
