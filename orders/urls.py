from django.urls import path

from orders import views

urlpatterns = [
    path("orders/", views.order_index, name="order-list"),
    path("orders/new/", views.order_create, name="order-create"),
    path("orders/prices/", views.order_prices, name="order-prices"),
    path("orders/<int:pk>/", views.order_detail, name="order-detail"),
    path("orders/<int:pk>/edit/", views.order_edit, name="order-edit"),
    path("orders/<int:pk>/issue/", views.order_issue, name="order-issue"),
    path("orders/<int:pk>/complete/", views.order_complete, name="order-complete"),
    path("orders/<int:pk>/cancel/", views.order_cancel, name="order-cancel"),
    path("orders/<int:pk>/pdf/", views.order_pdf_download, name="order-pdf"),
    path("orders/<int:pk>/terminate/", views.order_terminate, name="order-terminate"),
    # The contract's termination is a `Termination` of this app (contracts sits beneath it).
    path("contracts/<int:pk>/terminate/", views.contract_terminate, name="contract-terminate"),
    path("terminations/<int:pk>/", views.termination_detail, name="termination-detail"),
    path("terminations/<int:pk>/answer/", views.termination_answer, name="termination-answer"),
    path(
        "terminations/<int:pk>/withdraw/", views.termination_withdraw, name="termination-withdraw"
    ),
    path("terminations/<int:pk>/pdf/", views.termination_pdf_download, name="termination-pdf"),
    path("orders/<int:pk>/acceptances/", views.acceptance_record, name="acceptance-record"),
    path(
        "orders/<int:pk>/acceptances/<int:acceptance_id>/withdraw/",
        views.acceptance_withdraw,
        name="acceptance-withdraw",
    ),
    path("orders/<int:pk>/attachments/", views.attachment_upload, name="order-attachment-add"),
    path(
        "orders/<int:pk>/attachments/<int:attachment_id>/",
        views.attachment_download,
        name="order-attachment",
    ),
]
