"""Pages that show the network: /network/graph/, /network/matrix/, /network/gaps/ (include at "")."""

from django.urls import path

from chumchon.network.views import analysis

urlpatterns = [
    path("network/graph/", analysis.network_graph, name="network-graph"),
    path("network/matrix/", analysis.network_matrix, name="network-matrix"),
    path("network/gaps/", analysis.network_gaps, name="network-gaps"),
]
