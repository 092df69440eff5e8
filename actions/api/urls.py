"""/api/v1/: the routes of every resource, the schema and its Swagger UI."""

from __future__ import annotations

from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView
from rest_framework.routers import DefaultRouter

from actions.api.extension_views import CommitmentExtensionViewSet, ExtensionViewSet
from actions.api.share_views import ShareUpdateViewSet, ShareViewSet
from actions.api.views import CommitmentUpdateViewSet, CommitmentViewSet
from meetings.api import DecisionViewSet, DocumentViewSet, MeetingViewSet
from otscustoms import converters  # noqa: F401  (registers <party:…>)
from parties.api import PartyViewSet

app_name = "api"


class Router(DefaultRouter):
    include_format_suffixes = False  # one URL per resource keeps the schema readable


router = Router()
router.register("parties", PartyViewSet, basename="party")
router.register("meetings", MeetingViewSet, basename="meeting")
router.register("decisions", DecisionViewSet, basename="decision")
router.register("documents", DocumentViewSet, basename="document")
router.register("commitments", CommitmentViewSet, basename="commitment")
router.register("extensions", ExtensionViewSet, basename="extension")

updates = CommitmentUpdateViewSet.as_view({"get": "list", "post": "create"})
update = CommitmentUpdateViewSet.as_view({"patch": "partial_update"})
review = CommitmentUpdateViewSet.as_view({"post": "review"})
share = ShareViewSet.as_view({"get": "retrieve"})
share_status = ShareViewSet.as_view({"post": "change_status"})
share_updates = ShareUpdateViewSet.as_view({"get": "list", "post": "create"})
extensions = CommitmentExtensionViewSet.as_view({"post": "create"})
SHARE = "commitments/<int:commitment_pk>/shares/<party:code>/"

urlpatterns = [
    path(
        "commitments.csv",
        CommitmentViewSet.as_view({"get": "export_csv"}),
        name="commitment-csv",
    ),
    path("commitments/<int:commitment_pk>/updates/", updates, name="commitment-updates-list"),
    path(
        "commitments/<int:commitment_pk>/updates/<int:pk>/",
        update,
        name="commitment-updates-detail",
    ),
    path(
        "commitments/<int:commitment_pk>/updates/<int:pk>/review/",
        review,
        name="commitment-updates-review",
    ),
    path(SHARE, share, name="commitment-share-detail"),
    path(f"{SHARE}status/", share_status, name="commitment-share-status"),
    path(f"{SHARE}updates/", share_updates, name="commitment-share-updates"),
    path(
        "commitments/<int:commitment_pk>/extensions/",
        extensions,
        name="commitment-extensions",
    ),
    path("schema/", SpectacularAPIView.as_view(), name="schema"),
    # The split view serves Swagger UI's start-up script as a file of its own (?script), and
    # our template its page styles as a static file: nothing inline for the CSP to refuse.
    path(
        "docs/",
        SpectacularSwaggerSplitView.as_view(
            url_name="api:schema", template_name="api/swagger_ui.html"
        ),
        name="docs",
    ),
    path("", include(router.urls)),
]
