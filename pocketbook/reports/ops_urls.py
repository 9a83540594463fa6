"""reports-ops' pages, included in the reports app's URLs (namespace "reports")."""

from django.urls import path

from pocketbook.reports import ops_views

urlpatterns = [
    path("help/", ops_views.help_dashboard, name="help"),
    path("ess/", ops_views.ess_dashboard, name="ess"),
    path("ess/closed/", ops_views.closed_incidents, name="ess_closed"),
    path("volunteers/", ops_views.volunteers_dashboard, name="volunteers"),
    path("map/", ops_views.map_page, name="map"),
    path("map/points.json", ops_views.map_points, name="map_points"),
]
