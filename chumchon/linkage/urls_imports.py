from django.urls import path

from chumchon.linkage.views import imports as views

app_name = "imports"

urlpatterns = [
    path("imports/", views.import_list, name="list"),
    path("imports/upload/", views.import_upload, name="upload"),
    path("imports/sources/<int:source_id>/", views.source_detail, name="source"),
    path("imports/<int:job_id>/", views.import_detail, name="detail"),
    path("imports/<int:job_id>/map/", views.import_map, name="map"),
    path("imports/<int:job_id>/progress/", views.import_progress_part, name="progress"),
    path("imports/<int:job_id>/errors.csv", views.import_errors, name="errors"),
]
