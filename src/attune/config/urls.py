"""Every route of Attune; each app owns its own ``urls.py``."""

from django.urls import include, path

from attune.access import views as access_views

urlpatterns = [
    path("", include("attune.access.urls")),
    path("", include("attune.agency.urls")),
    path("", include("attune.clients.urls")),
    path("supervision/", include("attune.supervision.urls")),
    path("", include("attune.measures.urls")),
    path("", include("attune.care.urls")),
    path("", include("attune.language.urls")),
    path("", include("attune.community.urls")),
    path("", include("attune.organisation.urls")),
    path("", include("attune.equity.urls")),
    path("roster/", include("attune.roster.urls")),
    path("healthz", access_views.healthz, name="healthz"),
]

handler404 = "attune.access.views.not_found"
handler500 = "attune.access.views.server_error"
