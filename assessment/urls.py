from django.urls import path

from assessment import views

urlpatterns = [
    path("assessment-templates/", views.template_list, name="template-list"),
    path("assessment-templates/<int:pk>/", views.template_detail, name="template-detail"),
    path("orders/<int:pk>/assessment/", views.order_assessments, name="assessment-months"),
    path(
        "orders/<int:pk>/assessment/<str:month>/", views.assessment_month, name="assessment-month"
    ),
    path("assessments/<int:pk>/confirm/", views.assessment_confirm, name="assessment-confirm"),
    path("assessments/<int:pk>/dispute/", views.assessment_dispute, name="assessment-dispute"),
    path("assessments/<int:pk>/reopen/", views.assessment_reopen, name="assessment-reopen"),
    path("assessments/<int:pk>/pdf/", views.assessment_pdf_download, name="assessment-pdf"),
]
