from django.urls import path

from worklogs import views

urlpatterns = [
    path("worklogs/", views.worklog_index, name="worklog-list"),
    path("orders/<int:pk>/worklog/", views.order_months, name="worklog-months"),
    path("orders/<int:pk>/worklog/<str:month>/", views.worklog_month, name="worklog-month"),
    path(
        "orders/<int:pk>/worklog/<str:month>/template/",
        views.worklog_template,
        name="worklog-template",
    ),
    path(
        "orders/<int:pk>/worklog/<str:month>/upload/", views.worklog_upload, name="worklog-upload"
    ),
    path("worklogs/<int:pk>/approve/", views.worklog_approve, name="worklog-approve"),
    path("worklogs/<int:pk>/return/", views.worklog_return, name="worklog-return"),
    path("worklogs/<int:pk>/reopen/", views.worklog_reopen, name="worklog-reopen"),
]
