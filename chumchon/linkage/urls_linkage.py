from django.urls import path

from chumchon.linkage import views

app_name = "linkage"

urlpatterns = [
    path("linkage/review/", views.review_queue, name="review"),
    path("linkage/review/<int:candidate_id>/decide/", views.candidate_decide, name="decide"),
    path("linkage/merges/", views.merge_history, name="merges"),
    path("linkage/merges/<int:merge_id>/undo/", views.merge_undo, name="merge_undo"),
    path("linkage/runs/", views.run_start, name="run_start"),
    path("linkage/runs/<int:run_id>/", views.run_status, name="run_status"),
]
