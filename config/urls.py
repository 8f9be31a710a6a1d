from csp.constants import UNSAFE_INLINE
from csp.decorators import csp_update
from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.db import transaction
from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView
from rest_framework.routers import DefaultRouter

from archive.api import DocumentViewSet, contract_archive
from assessment.api import AssessmentTemplateViewSet, AssessmentViewSet
from contracts.api import AmendmentViewSet, ContractViewSet, RateCardLineViewSet, TaxRateViewSet
from core.api import (
    ApiDocsView,
    BankAccountChangeViewSet,
    CalendarYearView,
    OrganizationViewSet,
    UserViewSet,
)
from core.auth import LoginForm, TokenListView, TokenRevokeView, TokenView
from core.metrics import metrics
from core.views import health, ready
from dashboard.bulk import SheetConfirmManyView, StaffApproveManyView, WorkLogApproveManyView
from dashboard.views import favicon
from finance.api import (
    InvoiceViewSet,
    PaymentViewSet,
    sheet_invoice,
    sheet_invoice_correct,
    sheet_pay,
)
from governance.api import RectificationViewSet
from governance.penalty_api import PenaltyViewSet
from kpi.api import KpiReportViewSet, LiveSessionViewSet, QuarterReviewViewSet
from notifications.api import NotificationPreferencesView, NotificationViewSet
from orders.api import AcceptanceViewSet, OrderViewSet, TerminationViewSet
from reports.api import consumption_report, outlook_report, spend_report, vendor_scores_report
from settlement.api import SettlementViewSet, task_resume, task_state
from staffing.api import StaffViewSet
from worklogs.api import WorkLogViewSet

handler500 = "core.views.server_error"

router = DefaultRouter()
router.register("users", UserViewSet)
router.register("organizations", OrganizationViewSet)
router.register("bank-account-changes", BankAccountChangeViewSet)
router.register("contracts", ContractViewSet)
router.register("tax-rates", TaxRateViewSet)
router.register("rate-card-lines", RateCardLineViewSet)
router.register("amendments", AmendmentViewSet)
router.register("staff", StaffViewSet)
router.register("orders", OrderViewSet)
router.register("acceptances", AcceptanceViewSet)
router.register("terminations", TerminationViewSet)
router.register("worklogs", WorkLogViewSet)
router.register("assessment-templates", AssessmentTemplateViewSet)
router.register("assessments", AssessmentViewSet)
router.register("kpi-reports", KpiReportViewSet)
router.register("quarter-reviews", QuarterReviewViewSet)
router.register("live-sessions", LiveSessionViewSet)
router.register("rectifications", RectificationViewSet)
router.register("settlements", SettlementViewSet)
router.register("invoices", InvoiceViewSet)
router.register("payments", PaymentViewSet)
router.register("documents", DocumentViewSet)
router.register("penalties", PenaltyViewSet)
router.register("notifications", NotificationViewSet)

api = [
    path("auth/token/", TokenView.as_view(), name="api-token"),
    path("auth/tokens/", TokenListView.as_view(), name="api-token-list"),
    path("auth/tokens/<str:token_id>/", TokenRevokeView.as_view(), name="api-token-revoke"),
    path("tasks/<str:task_id>/", task_state, name="api-task"),
    path("tasks/<str:task_id>/resume/", task_resume, name="api-task-resume"),
    path("calendar/<int:year>/", CalendarYearView.as_view(), name="api-calendar"),
    path("contracts/<int:pk>/archive/", contract_archive, name="api-contract-archive"),
    # Before the router: one transaction per item, not one for the request (dashboard.bulk).
    path(
        "worklogs/approve-many/",
        transaction.non_atomic_requests(WorkLogApproveManyView.as_view()),
        name="api-worklog-approve-many",
    ),
    path(
        "settlements/confirm-many/",
        transaction.non_atomic_requests(SheetConfirmManyView.as_view()),
        name="api-sheet-confirm-many",
    ),
    path(
        "staff/approve-many/",
        transaction.non_atomic_requests(StaffApproveManyView.as_view()),
        name="api-staff-approve-many",
    ),
    # Before the router: the sheet's old invoice and payment actions, now finance's.
    path("settlements/<int:pk>/invoice/", sheet_invoice, name="api-sheet-invoice"),
    path(
        "settlements/<int:pk>/correct-invoice/",
        sheet_invoice_correct,
        name="api-sheet-correct-invoice",
    ),
    path("settlements/<int:pk>/pay/", sheet_pay, name="api-sheet-pay"),
    # Before the router, whose notifications/<pk>/ would take it.
    path(
        "notifications/preferences/",
        NotificationPreferencesView.as_view(),
        name="api-notification-preferences",
    ),
    path("reports/consumption/", consumption_report, name="api-report-consumption"),
    path("reports/spend/", spend_report, name="api-report-spend"),
    path("reports/vendor-scores/", vendor_scores_report, name="api-report-vendor-scores"),
    path("reports/outlook/", outlook_report, name="api-report-outlook"),
    path("schema/", SpectacularAPIView.as_view(), name="api-schema"),
    # Swagger UI from the portal's own static files (sidecar), its script a file of its own;
    # only its page's small <style> block is inline.
    path(
        "docs/",
        csp_update({"style-src": [UNSAFE_INLINE]})(ApiDocsView.as_view(url_name="api-schema")),
        name="api-docs",
    ),
    path("", include(router.urls)),
]

urlpatterns = [
    path("healthz", health, name="health"),
    path("readyz", ready, name="ready"),
    path("metrics", metrics, name="metrics"),
    path("favicon.ico", favicon, name="favicon"),
    path("api/v1/", include(api)),
    path("admin/", admin.site.urls),
    path(
        "login/",
        auth_views.LoginView.as_view(
            authentication_form=LoginForm, redirect_authenticated_user=True
        ),
        name="login",
    ),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("i18n/", include("django.conf.urls.i18n")),
    path("", include("core.urls")),
    path("", include("notifications.urls")),
    path("", include("archive.urls")),
    path("", include("contracts.urls")),
    path("", include("staffing.urls")),
    path("", include("orders.urls")),
    path("", include("worklogs.urls")),
    path("", include("kpi.urls")),
    path("", include("assessment.urls")),
    path("", include("governance.urls")),
    path("", include("governance.penalty_urls")),
    path("", include("settlement.urls")),
    path("", include("finance.urls")),
    path("", include("reports.urls")),
    path("", include("dashboard.urls")),
]
