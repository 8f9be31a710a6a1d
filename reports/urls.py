from django.urls import path

from reports import views

urlpatterns = [
    path("reports/consumption/", views.consumption_page, name="report-consumption"),
    path("reports/spend/", views.spend_page, name="report-spend"),
    path("reports/vendor-scores/", views.vendor_scores_page, name="report-vendor-scores"),
    path("reports/outlook/", views.outlook_page, name="report-outlook"),
]
