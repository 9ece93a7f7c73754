"""Directory pages under /network/ (include at ""): organisations, services, relations, staff, terms."""

from django.urls import path

from chumchon.network.views import directory as views

urlpatterns = [
    path("network/organisations/", views.organisation_list, name="network-organisations"),
    path("network/organisations/new/", views.organisation_create, name="network-organisation-new"),
    path("network/organisations/<int:organisation_id>/", views.organisation_detail, name="network-organisation"),
    path("network/organisations/<int:organisation_id>/edit/", views.organisation_edit,
         name="network-organisation-edit"),
    path("network/organisations/<int:organisation_id>/services/new/", views.service_create,
         name="network-service-new"),
    path("network/organisations/<int:organisation_id>/relations/new/", views.relation_create,
         name="network-relation-new"),
    path("network/organisations/<int:organisation_id>/staff/", views.staff_add, name="network-staff-add"),
    path("network/organisations/<int:organisation_id>/staff/<int:staff_id>/remove/", views.staff_remove,
         name="network-staff-remove"),
    path("network/services/<int:service_id>/edit/", views.service_edit, name="network-service-edit"),
    path("network/relations/<int:relation_id>/delete/", views.relation_delete, name="network-relation-delete"),
    path("network/terms/", views.term_list, name="network-terms"),
]
