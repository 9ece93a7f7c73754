"""Staff tooling only. Field work goes through the pages and the API, which are scoped and audited."""

from django.contrib import admin

from chumchon.people.models import DataBasis, Household, Person, PersonMove


@admin.register(Household)
class HouseholdAdmin(admin.ModelAdmin):
    list_display = ["id", "area", "house_no", "is_active"]
    search_fields = ["house_no", "area__code"]
    raw_id_fields = ["area"]


@admin.register(Person)
class PersonAdmin(admin.ModelAdmin):
    list_display = ["id", "first_name", "last_name", "area", "status"]
    search_fields = ["search_text"]
    raw_id_fields = ["area", "household"]
    readonly_fields = ["sort_key", "search_text", "version"]


admin.site.register(PersonMove)
admin.site.register(DataBasis)
