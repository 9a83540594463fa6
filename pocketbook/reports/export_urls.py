"""The export pages, included in the reports app's URLs (namespace "reports")."""

from django.urls import path

from pocketbook.reports import export_views

urlpatterns = [
    path("exports/", export_views.export_create, name="export_create"),
    path("exports/<uuid:public_id>/", export_views.export_detail, name="export_detail"),
    path("exports/<uuid:public_id>/download", export_views.export_download, name="export_download"),
]
