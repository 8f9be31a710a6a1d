from django.urls import path

from contracts import amendment_views, views

urlpatterns = [
    path("contracts/", views.contract_list, name="contract-list"),
    path("contracts/new/", views.contract_create, name="contract-create"),
    path("contracts/<int:pk>/", views.contract_detail, name="contract-detail"),
    path("contracts/<int:pk>/activate/", views.contract_activate, name="contract-activate"),
    path("contracts/<int:pk>/tax-rates/", views.tax_rate_add, name="contract-tax-rate-add"),
    path(
        "contracts/<int:pk>/rate-card/import/",
        views.rate_card_import,
        name="contract-rate-card-import",
    ),
    path(
        "contracts/<int:pk>/rate-card/export/",
        views.rate_card_export,
        name="contract-rate-card-export",
    ),
]

urlpatterns += [
    path(
        "contracts/<int:pk>/amendments/new/",
        amendment_views.amendment_create,
        name="amendment-create",
    ),
    path("amendments/<int:pk>/", amendment_views.amendment_detail, name="amendment-detail"),
    path("amendments/<int:pk>/edit/", amendment_views.amendment_edit, name="amendment-edit"),
    path("amendments/<int:pk>/sign/", amendment_views.amendment_sign, name="amendment-sign"),
    path("amendments/<int:pk>/delete/", amendment_views.amendment_delete, name="amendment-delete"),
    path("amendments/<int:pk>/pdf/", amendment_views.amendment_pdf, name="amendment-pdf"),
]
