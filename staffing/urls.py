from django.urls import path

from staffing import views

urlpatterns = [
    path("contracts/<int:pk>/staff/", views.roster, name="staff-roster"),
    path("staff/<int:pk>/", views.staff_detail, name="staff-detail"),
    path("staff/<int:pk>/give-notice/", views.give_notice, name="staff-give-notice"),
    path(
        "staff/<int:pk>/approve-exception/", views.approve_exception, name="staff-approve-exception"
    ),
    path("staff/<int:pk>/approve/", views.approve, name="staff-approve"),
    path("staff/<int:pk>/refuse/", views.refuse, name="staff-refuse"),
    path(
        "staff/<int:pk>/name-replacement/",
        views.name_replacement,
        name="staff-name-replacement",
    ),
    path(
        "staff/<int:pk>/demand-replacement/",
        views.demand_replacement,
        name="staff-demand-replacement",
    ),
]
