from django.urls import path

from pocketbook.incidents import views

app_name = "incidents"
urlpatterns = [
    # LINE channel: its webhook (POST /ess/line/webhook) goes here; it is mounted in pocketbook/urls.py for now.
    path("", views.board, name="board"),
    path("hotline/", views.hotline_call, name="hotline_call"),
    path("incidents/<int:pk>/", views.incident_detail, name="incident_detail"),
    path("incidents/<int:pk>/acknowledge/", views.incident_acknowledge, name="incident_acknowledge"),
    path("incidents/<int:pk>/note/", views.incident_note, name="incident_note"),
    path("incidents/<int:pk>/dispatch/", views.incident_dispatch, name="incident_dispatch"),
    path("incidents/<int:pk>/status/", views.incident_status, name="incident_status"),
    path("incidents/<int:pk>/merge/", views.incident_merge, name="incident_merge"),
    path("incidents/<int:pk>/reassign/", views.incident_reassign, name="incident_reassign"),
    path("incidents/<int:pk>/location/", views.incident_location, name="incident_location"),
    path("incidents/<int:pk>/household/", views.incident_household, name="incident_household"),
    path("assignments/", views.assignment_list, name="assignment_list"),
    path("assignments/<int:pk>/", views.assignment_detail, name="assignment_detail"),
    path("assignments/<int:pk>/<str:step>/", views.assignment_step, name="assignment_step"),
]
