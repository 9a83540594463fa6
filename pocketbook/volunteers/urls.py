"""URLs of the volunteers pages, under /volunteers/ (the public certificate check is /verify/<code>/)."""

from django.urls import path

from pocketbook.volunteers import training_views, views

app_name = "volunteers"

urlpatterns = [
    path("", views.volunteer_list, name="volunteer_list"),
    path("new/", views.volunteer_create, name="volunteer_create"),
    path("import/", views.volunteer_import, name="volunteer_import"),
    path("<int:pk>/", views.volunteer_detail, name="volunteer_detail"),
    path("<int:pk>/edit/", views.volunteer_edit, name="volunteer_edit"),
    path("<int:pk>/status/", views.volunteer_status, name="volunteer_status"),
    path("assign/", views.assignment, name="assignment"),
    path("reassign/", views.reassign, name="reassign"),
    path("coverage/", views.coverage, name="coverage"),
    path("visits/", views.my_visits, name="my_visits"),
    path("visits/<int:household_pk>/new/", views.visit_create, name="visit_create"),
    path("training/", training_views.project_list, name="project_list"),
    path("training/new/", training_views.project_create, name="project_create"),
    path("training/<int:pk>/", training_views.project_detail, name="project_detail"),
    path("training/<int:pk>/edit/", training_views.project_edit, name="project_edit"),
    path("training/<int:pk>/sessions/new/", training_views.session_create, name="session_create"),
    path("training/<int:pk>/participants/new/", training_views.participant_create, name="participant_create"),
    path("training/<int:pk>/participants/area/", training_views.participants_add_area, name="participants_add_area"),
    path("training/<int:pk>/scores/", training_views.scores, name="scores"),
    path("training/<int:pk>/names.pdf", training_views.name_list, name="name_list"),
    path("training/<int:pk>/certificates/", training_views.certificates_issue, name="certificates_issue"),
    path("training/<int:pk>/report/", training_views.project_report, name="project_report"),
    path("training/certificates/<int:pk>.pdf", training_views.certificate_pdf, name="certificate_pdf"),
    path("training/participants/<int:pk>/qr.svg", training_views.participant_qr, name="participant_qr"),
    path("training/sessions/<int:pk>/check-in/", training_views.check_in_page, name="check_in"),
    path("training/sessions/<int:pk>/check-in/scan", training_views.check_in_scan, name="check_in_scan"),
    path("training/sessions/<int:pk>/check-in/list", training_views.check_in_list, name="check_in_list"),
    path("training/sessions/<int:pk>/check-in/counts", training_views.check_in_counts, name="check_in_counts"),
    path(
        "training/sessions/<int:pk>/check-in/<int:participant_pk>/tick",
        training_views.check_in_tick,
        name="check_in_tick",
    ),
]
