from django.urls import path

from chumchon.care import views

app_name = "care"

urlpatterns = [
    path("alerts/", views.alert_inbox, name="alert_list"),
    path("alerts/channels/", views.my_channels, name="my_channels"),
    path("alerts/groups/", views.area_groups, name="area_groups"),
    path("alerts/groups/<str:code>/", views.area_group_set, name="area_group_set"),
    path("alerts/stats/", views.alert_stats, name="alert_stats"),
    path("alerts/<int:alert_id>/", views.alert_detail, name="alert_detail"),
    path("alerts/<int:alert_id>/acknowledge/", views.alert_acknowledge, name="alert_acknowledge"),
    path("alerts/<int:alert_id>/resolve/", views.alert_resolve, name="alert_resolve"),
    path("people/<int:person_id>/alerts/new/", views.alert_new, name="alert_new"),
]
