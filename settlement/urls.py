from django.urls import path

from settlement import views

urlpatterns = [
    path("contracts/<int:pk>/ceiling.json", views.contract_ceiling, name="contract-ceiling"),
    path("orders/<int:pk>/milestones/", views.order_milestones, name="order-milestones"),
    path(
        "orders/<int:pk>/milestones/<int:item>/settle/",
        views.milestone_compute,
        name="milestone-compute",
    ),
    path(
        "orders/<int:pk>/milestones/<int:item>/true-up/",
        views.milestone_true_up,
        name="milestone-true-up",
    ),
    path("settlements/", views.sheet_index, name="sheet-list"),
    path("settlements/ledger/", views.ledger, name="sheet-ledger"),
    path("settlements/<int:pk>/", views.sheet_detail, name="sheet-detail"),
    path("settlements/<int:pk>/pdf/", views.sheet_pdf_download, name="sheet-pdf"),
    path("settlements/<int:pk>/adjust/", views.sheet_adjust, name="sheet-adjust"),
    path("settlements/<int:pk>/<str:name>/", views.sheet_action, name="sheet-action"),
]
