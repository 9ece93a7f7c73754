from django.urls import path

from chumchon.core import views

urlpatterns = [
    path("", views.home, name="home"),
]
