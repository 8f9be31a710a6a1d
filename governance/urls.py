from django.urls import path

from governance import views

urlpatterns = [
    path("governance/", views.rectification_index, name="rectification-list"),
    path("governance/rectifications/new/", views.rectification_create, name="rectification-create"),
    path(
        "governance/rectifications/<int:pk>/",
        views.rectification_detail,
        name="rectification-detail",
    ),
    path(
        "governance/rectifications/<int:pk>/answer/",
        views.rectification_answer,
        name="rectification-answer",
    ),
    path(
        "governance/rectifications/<int:pk>/accept/",
        views.rectification_accept,
        name="rectification-accept",
    ),
    path(
        "governance/rectifications/<int:pk>/fail/",
        views.rectification_fail,
        name="rectification-fail",
    ),
    path(
        "governance/rectifications/<int:pk>/link-incident/",
        views.rectification_link_incident,
        name="rectification-link-incident",
    ),
    path(
        "governance/rectifications/<int:pk>/pdf/",
        views.rectification_document,
        name="rectification-pdf",
    ),
]
