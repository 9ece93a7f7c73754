from django.urls import path

from chumchon.people import views

app_name = "people"

urlpatterns = [
    path("people/", views.search, name="search"),
    path("people/new/", views.person_new, name="person_new"),
    path("people/export.csv", views.export, name="export"),
    path("people/duplicates/", views.duplicates, name="duplicates"),
    path("people/<int:person_id>/", views.person_detail, name="person_detail"),
    path("people/<int:person_id>/edit/", views.person_edit, name="person_edit"),
    path("people/<int:person_id>/move/", views.person_move, name="person_move"),
    path("people/<int:person_id>/move/households/", views.move_households, name="move_households"),
    path("people/<int:person_id>/basis/", views.basis_record, name="basis_record"),
    path("people/<int:person_id>/basis/<int:record_id>/withdraw/", views.basis_withdraw,
         name="basis_withdraw"),
    path("households/new/", views.household_new, name="household_new"),
    path("households/<int:household_id>/", views.household_detail, name="household_detail"),
    path("households/<int:household_id>/edit/", views.household_edit, name="household_edit"),
    path("households/<int:household_id>/members/new/", views.member_new, name="member_new"),
]
