from django.urls import path

from chumchon.visits.views import instruments

app_name = "visits_instruments"

urlpatterns = [
    path("instruments/", instruments.instrument_list, name="list"),
    path("instruments/add/", instruments.instrument_upload, name="upload"),
    path("instruments/<slug:code>/", instruments.instrument_detail, name="detail"),
]
