from django.urls import path

from chumchon.areas import views

app_name = "areas"

urlpatterns = [
    path("", views.area_list, name="list"),
    path("<str:tambon_code>/villages/new/", views.village_new, name="village_new"),
    path("<str:tambon_code>/communities/new/", views.community_new, name="community_new"),
    path("<str:code>/edit/", views.area_edit, name="edit"),
]
