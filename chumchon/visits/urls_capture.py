"""Visit capture pages and photo URLs (included at "" by chumchon/urls.py; plain URL names)."""

from __future__ import annotations

from django.urls import path

from chumchon.visits.views import capture, photos

urlpatterns = [
    path("visits/new/<int:household_id>/", capture.visit_new, name="visit-new"),
    path("visits/<int:visit_id>/", capture.visit_detail, name="visit-detail"),
    path("visits/<int:visit_id>/assess/<str:subject>/<slug:instrument_code>/", capture.assessment_new,
         name="assessment-new"),
    path("visits/<int:visit_id>/assessments/<int:assessment_id>/", capture.assessment_result,
         name="assessment-result"),
    path("visits/<int:visit_id>/photos/", photos.photo_upload, name="photo-upload"),
    path("photos/<int:photo_id>/", photos.photo_serve, name="photo-file"),
]
