"""The reports pages, under /reports/."""

from django.urls import path

from pocketbook.reports import views
from pocketbook.reports.export_urls import urlpatterns as export_urlpatterns
from pocketbook.reports.ops_urls import urlpatterns as ops_urlpatterns
from pocketbook.reports.printout_urls import urlpatterns as printout_urlpatterns

app_name = "reports"

urlpatterns = [
    path("", views.index, name="index"),
    path("households/", views.households, name="households"),
    path("poverty/", views.poverty, name="poverty"),
    *ops_urlpatterns,  # help, ess, volunteers, map (reports-ops)
    *printout_urlpatterns,  # the PDFs: household pocketbook, incident report, monthly summary
    *export_urlpatterns,  # exports of every list
]
