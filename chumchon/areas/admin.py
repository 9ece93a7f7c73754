from django.contrib import admin

from chumchon.areas.models import Area


@admin.register(Area)
class AreaAdmin(admin.ModelAdmin):
    list_display = ["code", "level", "name_th", "name_en", "is_active"]
    list_filter = ["level", "is_active"]
    search_fields = ["code", "name_th", "name_en"]
    raw_id_fields = ["parent"]
