"""Every URL of Pocketbook."""

from django.contrib import admin
from django.urls import include, path

from pocketbook.api import api
from pocketbook.core import views as core_views
from pocketbook.volunteers import training_views as volunteers_training_views

admin.site.site_header = "Pocketbook"
admin.site.site_title = "Pocketbook"

urlpatterns = [
    # First: LINE's webhook takes the most requests, and every pattern tried before it costs each one
    # (15 % of a request's time when it came last).
    path("ess/line/webhook", include("pocketbook.incidents.channels.line.urls")),
    path("", include("pocketbook.core.urls")),
    path("", include("pocketbook.offline.urls")),
    path("accounts/", include("pocketbook.accounts.urls")),
    path("areas/", include("pocketbook.geo.urls")),
    path("households/", include("pocketbook.households.urls")),
    path("assessments/", include("pocketbook.assessments.urls")),
    path("volunteers/", include("pocketbook.volunteers.urls")),
    path("verify/<str:code>/", volunteers_training_views.verify_certificate, name="verify_certificate"),
    path("cases/", include("pocketbook.cases.urls")),
    path("reports/", include("pocketbook.reports.urls")),
    path("i18n/", include("django.conf.urls.i18n")),
    path("api/v1/", api.urls),
    path("admin/login/", core_views.admin_login),
    path("admin/", admin.site.urls),
    path("healthz", core_views.healthz, name="healthz"),
    path("ess/", include("pocketbook.incidents.urls")),
]

handler400 = "pocketbook.core.views.bad_request"
handler403 = "pocketbook.core.views.permission_denied"
handler404 = "pocketbook.core.views.page_not_found"
handler500 = "pocketbook.core.views.server_error"
