from django.urls import path

from pocketbook.households import privacy_views, views

app_name = "households"
urlpatterns = [
    path("", views.household_list, name="household_list"),
    path("new/", views.household_create, name="household_create"),
    path("<int:pk>/", views.household_detail, name="household_detail"),
    path("<int:pk>/edit/", views.household_edit, name="household_edit"),
    path("<int:pk>/consent/", views.consent_edit, name="consent_edit"),
    path("<int:pk>/photos/new/", views.photo_add, name="photo_add"),
    path("photos/<int:pk>/", views.photo, name="photo"),
    path("photos/<int:pk>/remove/", views.photo_remove, name="photo_remove"),
    path("<int:pk>/members/new/", views.member_create, name="member_create"),
    path("members/<int:pk>/edit/", views.member_edit, name="member_edit"),
    path("members/<int:pk>/move/", views.member_move, name="member_move"),
    path("members/<int:pk>/end/", views.member_end, name="member_end"),
    path("members/<int:pk>/national-id/", views.national_id_reveal, name="national_id_reveal"),
    path("members/<int:pk>/privacy/", privacy_views.member_privacy, name="member_privacy"),
    path("members/<int:pk>/privacy/export/", privacy_views.member_export, name="member_export"),
    path("members/<int:pk>/privacy/erase/", privacy_views.member_erase, name="member_erase"),
]
