from django.contrib import admin
from django.urls import include, path

from chumchon.api.main import api

urlpatterns = [
    path("i18n/", include("django.conf.urls.i18n")),
    path("admin/", admin.site.urls),
    path("api/v1/", api.urls),
    path("", include("chumchon.accounts.urls")),
    path("areas/", include("chumchon.areas.urls")),
    path("", include("chumchon.people.urls")),
    path("", include("chumchon.visits.urls_due")),
    path("", include("chumchon.visits.urls_capture")),
    path("", include("chumchon.visits.urls_instruments")),
    path("", include("chumchon.care.urls")),
    path("", include("chumchon.care.urls_plans")),
    path("", include("chumchon.visits.urls_forums")),
    path("", include("chumchon.network.urls_analysis")),
    path("", include("chumchon.network.urls_directory")),
    path("", include("chumchon.network.urls_committees")),
    path("", include("chumchon.linkage.urls_linkage")),
    path("", include("chumchon.linkage.urls_imports")),
    path("", include("chumchon.core.urls")),
]
