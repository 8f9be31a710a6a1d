from django.urls import path

from kpi import session_views, views

urlpatterns = [
    path("orders/<int:pk>/kpi/", views.kpi_order, name="kpi-order"),
    path("orders/<int:pk>/kpi/quarters/<int:quarter>/", views.kpi_quarter, name="kpi-quarter"),
    path("orders/<int:pk>/kpi/export.xlsx", views.kpi_order_workbook, name="kpi-order-workbook"),
    path("orders/<int:pk>/kpi/<str:month>/", views.kpi_month, name="kpi-month"),
    path(
        "orders/<int:pk>/kpi/<str:month>/report.xlsx",
        views.kpi_month_workbook,
        name="kpi-month-workbook",
    ),
    path(
        "orders/<int:pk>/kpi/<str:month>/upload/", views.kpi_month_upload, name="kpi-month-upload"
    ),
    path(
        "orders/<int:pk>/kpi/<str:month>/sessions/",
        session_views.kpi_sessions,
        name="kpi-sessions",
    ),
    path(
        "orders/<int:pk>/kpi/<str:month>/sessions.xlsx",
        session_views.kpi_sessions_export,
        name="kpi-sessions-export",
    ),
    path(
        "orders/<int:pk>/kpi/<str:month>/sessions/import/",
        session_views.kpi_sessions_import,
        name="kpi-sessions-import",
    ),
    path(
        "orders/<int:pk>/live-sessions/<int:session>/delete/",
        session_views.kpi_session_delete,
        name="kpi-session-delete",
    ),
    path("orders/<int:pk>/kpi-period/<int:months>/", views.kpi_assess, name="kpi-assess"),
    path("kpi-reports/<int:pk>/approve/", views.kpi_approve, name="kpi-approve"),
    path("kpi-reports/<int:pk>/return/", views.kpi_return, name="kpi-return"),
    path("kpi-reports/<int:pk>/pdf/", views.kpi_report_pdf_download, name="kpi-report-pdf"),
]
