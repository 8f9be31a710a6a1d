from django.urls import path

from settlement import views

urlpatterns = [
    path("contracts/<int:pk>/ceiling.json", views.contract_ceiling, name="contract-ceiling"),
    path("settlements/", views.sheet_index, name="sheet-list"),
    path("settlements/ledger/", views.ledger, name="sheet-ledger"),
    path("settlements/<int:pk>/", views.sheet_detail, name="sheet-detail"),
    path("settlements/<int:pk>/pdf/", views.sheet_pdf_download, name="sheet-pdf"),
    path("settlements/<int:pk>/<str:name>/", views.sheet_action, name="sheet-action"),
]
