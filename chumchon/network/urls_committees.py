"""Pages for committees (/network/committees/), child development centres (/network/centres/)
and the HSDS exchange (/network/exchange/). Include at ""."""

from django.urls import path

from chumchon.network.views import centres, committees, exchange

urlpatterns = [
    path("network/committees/", committees.committee_list, name="committee-list"),
    path("network/committees/<int:committee_id>/", committees.committee_detail, name="committee-detail"),
    path("network/committees/<int:committee_id>/meetings/new/", committees.meeting_form, name="meeting-new"),
    path("network/committees/<int:committee_id>/meetings/<int:meeting_id>/", committees.meeting_form,
         name="meeting-edit"),
    path("network/centres/", centres.centre_list, name="centre-list"),
    path("network/centres/<int:centre_id>/", centres.centre_detail, name="centre-detail"),
    path("network/exchange/", exchange.exchange, name="network-exchange"),
]
