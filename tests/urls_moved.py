"""The project's URLs under /moved/: a second URL configuration for tests of URL caches."""

from django.urls import include, path

urlpatterns = [path("moved/", include("otscustoms.urls"))]
