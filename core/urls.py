from django.urls import path

from core import views

urlpatterns = [
    path("account/tokens/", views.api_tokens, name="api-tokens"),
    path(
        "bank-account-changes/request/",
        views.bank_account_change_request,
        name="bank-account-change-request",
    ),
    path(
        "bank-account-changes/<int:pk>/<str:action>/",
        views.bank_account_change_action,
        name="bank-account-change-action",
    ),
    path("calendar/", views.calendar_list, name="calendar-list"),
    path("calendar/<int:year>/", views.calendar_detail, name="calendar-detail"),
    path("calendar/<int:year>/import/", views.calendar_import, name="calendar-import"),
    path("calendar/<int:year>/export/", views.calendar_export, name="calendar-export"),
]
