from django.urls import path

from pocketbook.assessments import views

app_name = "assessments"
urlpatterns = [
    path("household/<int:household_id>/new/", views.assessment_new, name="assessment_new"),
    path("household/<int:household_id>/new/<int:step>/", views.assessment_new, name="assessment_new_step"),
    path("household/<int:household_id>/new/discard/", views.assessment_discard, name="assessment_discard"),
    path("household/<int:household_id>/", views.assessment_history, name="assessment_history"),
    path("<int:pk>/", views.assessment_detail, name="assessment_detail"),
]
