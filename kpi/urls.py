from django.urls import path

from kpi import views

urlpatterns = [
    path("orders/<int:pk>/kpi/", views.kpi_order, name="kpi-order"),
    path("orders/<int:pk>/kpi/<str:month>/", views.kpi_month, name="kpi-month"),
    path("orders/<int:pk>/kpi-period/<int:months>/", views.kpi_assess, name="kpi-assess"),
    path("kpi-reports/<int:pk>/approve/", views.kpi_approve, name="kpi-approve"),
    path("kpi-reports/<int:pk>/return/", views.kpi_return, name="kpi-return"),
]
