from django.urls import path

from pocketbook.core import views

app_name = "core"
urlpatterns = [
    path("", views.home, name="home"),
    path("overview/", views.overview, name="overview"),
    path("about/", views.about, name="about"),
    path("dates/understood/", views.date_understood, name="date_understood"),
]
