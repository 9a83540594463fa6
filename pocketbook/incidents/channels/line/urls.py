"""The LINE webhook's URL (included at `ess/line/webhook` by the project's urls.py)."""

from django.urls import path

from pocketbook.incidents.channels.line import views

urlpatterns = [path("", views.line_webhook, name="line_webhook")]
