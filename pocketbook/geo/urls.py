from django.urls import path

from pocketbook.geo import views

app_name = "geo"
urlpatterns = [
    path("villages/", views.village_list, name="village_list"),
    path("villages/new/", views.village_create, name="village_create"),
    path("villages/<str:code>/", views.village_detail, name="village_detail"),
]
