from django.urls import path

from finance import invoice_views, views

urlpatterns = [
    path("invoices/new/", invoice_views.invoice_create, name="invoice-create"),
    path("invoices/<int:pk>/", invoice_views.invoice_detail, name="invoice-detail"),
    path("invoices/<int:pk>/<str:name>/", invoice_views.invoice_step, name="invoice-step"),
    path("payments/new/<int:pk>/", invoice_views.payment_create, name="payment-create"),
    path("finance/", views.home, name="finance-home"),
    path("finance/invoices/", views.invoice_index, name="finance-invoices"),
    path("finance/payments/", views.payment_index, name="finance-payments"),
    path("finance/reconciliation/", views.reconciliation_page, name="finance-reconciliation"),
]
