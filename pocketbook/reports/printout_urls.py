"""The printouts' URLs, included in the reports app's URLs (namespace "reports")."""

from django.urls import path

from pocketbook.reports.printouts import views

urlpatterns = [
    path("printouts/", views.monthly_form, name="printouts"),
    path("printouts/monthly.pdf", views.monthly_printout, name="monthly_printout"),
    path("printouts/household/<int:pk>.pdf", views.household_printout, name="household_printout"),
    path("printouts/incident/<int:pk>.pdf", views.incident_printout, name="incident_printout"),
]
