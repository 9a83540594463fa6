from django.urls import path

from . import directory_views, referral_views, views

app_name = "cases"

urlpatterns = [
    path("", views.case_list, name="case_list"),
    path("tasks/", views.my_tasks, name="my_tasks"),
    path("<int:pk>/", views.case_detail, name="case_detail"),
    path("open/<int:household_id>/", views.case_open, name="case_open"),
    path("<int:pk>/close/", views.case_close, name="case_close"),
    path("<int:pk>/reopen/", views.case_reopen, name="case_reopen"),
    path("<int:pk>/take/", views.case_take, name="case_take"),
    path("<int:pk>/needs/add/", views.need_add, name="need_add"),
    path("needs/<int:pk>/dismiss/", views.need_dismiss, name="need_dismiss"),
    path("<int:pk>/plan/add/", views.plan_item_add, name="plan_item_add"),
    path("plan/<int:pk>/edit/", views.plan_item_edit, name="plan_item_edit"),
    path("<int:pk>/refer/", referral_views.referral_create, name="referral_create"),
    path("referrals/<int:pk>/revoke/", referral_views.referral_revoke, name="referral_revoke"),
    path("referrals/<int:pk>/letter.pdf", referral_views.referral_letter, name="referral_letter"),
    path("reply/<str:token>/", referral_views.referral_reply, name="referral_reply"),
    path("<int:pk>/assistance/add/", views.assistance_record, name="assistance_record"),
    path("assistance/<int:pk>/reverse/", views.assistance_reverse, name="assistance_reverse"),
    path("<int:pk>/follow-ups/add/", views.followup_record, name="followup_record"),
    path("agencies/", directory_views.agency_list, name="agency_list"),
    path("funds/", directory_views.fund_list, name="fund_list"),
]
