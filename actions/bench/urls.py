"""The bench's URL configuration (ROOT_URLCONF while it runs): the project's URLs and the
peer API (``actions.bench.peer``), which no served process mounts."""

from django.urls import path

from actions.bench.peer import PEER_PATH, CommitmentViewSet
from otscustoms.urls import urlpatterns as project_urlpatterns

# First: each project URL then tries one pattern more, rather than the peer trying them all.
urlpatterns = [
    path(PEER_PATH.lstrip("/"), CommitmentViewSet.as_view({"get": "list"})),
    *project_urlpatterns,
]
