from django.urls import path

from chumchon.visits.views import due

app_name = "visits_due"

urlpatterns = [
    path("visits/due/", due.due_page, name="due"),
]
