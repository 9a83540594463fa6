"""The reports pages, under /reports/."""

from django.urls import path

from pocketbook.reports import views

app_name = "reports"

urlpatterns = [
    path("", views.index, name="index"),
    path("households/", views.households, name="households"),
    path("poverty/", views.poverty, name="poverty"),
]
