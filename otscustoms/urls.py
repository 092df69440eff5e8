from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path

from actions import views as actions_views
from otscustoms import views

# JSON for an unknown URL under /api/, the site's page elsewhere.
handler404 = "otscustoms.api.not_found"

admin.site.site_header = "OTS customs register — administration"
admin.site.site_title = "OTS customs register"

urlpatterns = [
    path("", views.home, name="home"),
    path("healthz", views.healthz, name="healthz"),
    path("accounts/login/", auth_views.LoginView.as_view(), name="login"),
    path("accounts/", include("django.contrib.auth.urls")),
    path("admin/", admin.site.urls),
    path("meetings/", include("meetings.urls")),
    # Printed documents: /meetings/<CODE>/*.pdf, /parties/<CODE>/obligations.pdf, /reports/...
    path("", include("meetings.pdf.urls")),
    path("commitments/", include("actions.urls")),
    path("api/v1/", include("actions.api.urls")),
    path("calendar/", include("actions.feed_urls")),
    path("settings/", include("parties.urls")),
    path("reminders/", actions_views.reminder_log, name="reminder-log"),
    path("import/", include("meetings.import_urls")),
    path("parties/", include("parties.party_urls")),
    path("i18n/", include("django.conf.urls.i18n")),
]

# No route serves MEDIA_ROOT, in any mode: evidence is private and leaves only through
# actions:report-attachment, which checks who asks.
