from django.urls import path

from governance import penalty_views

urlpatterns = [
    path("governance/penalties/", penalty_views.penalty_index, name="penalty-list"),
    path("governance/penalties/new/", penalty_views.penalty_create, name="penalty-create"),
    path("governance/penalties/proposal/", penalty_views.penalty_proposal, name="penalty-proposal"),
    path("governance/penalties/<int:pk>/", penalty_views.penalty_detail, name="penalty-detail"),
    path("governance/penalties/<int:pk>/pdf/", penalty_views.penalty_pdf, name="penalty-pdf"),
    path(
        "governance/penalties/<int:pk>/demand/",
        penalty_views.penalty_demand,
        name="penalty-demand",
    ),
    path(
        "governance/penalties/<int:pk>/<str:name>/",
        penalty_views.penalty_step,
        name="penalty-step",
    ),
]
