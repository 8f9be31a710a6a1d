from django.urls import path

from dashboard import activity, bulk, views

urlpatterns = [
    path("", views.home, name="home"),
    path("activity/", activity.activity_page, name="activity"),
    path("worklogs/approve-many/", bulk.worklog_approve_many, name="worklog-approve-many"),
    path("settlements/sign-many/", bulk.sheet_sign_many, name="sheet-sign-many"),
    path("staff/approve-many/", bulk.staff_approve_many_page, name="staff-approve-many"),
]
