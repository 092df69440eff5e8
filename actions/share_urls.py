"""The follow-up of each party's share: its status, deadline extensions, and what awaits the
Secretariat's decision. Included by ``actions.urls`` in its namespace."""

from django.urls import path

from actions import share_views
from otscustoms import converters  # noqa: F401 (registers <party:…>)

urlpatterns = [
    path("awaiting/", share_views.awaiting_decision, name="awaiting-decision"),
    path("<int:pk>/shares/<party:code>/status/", share_views.share_status, name="share-status"),
    path("<int:pk>/extensions/", share_views.extension_create, name="extension-create"),
    path("extensions/<int:pk>/decision/", share_views.extension_decide, name="extension-decide"),
]
