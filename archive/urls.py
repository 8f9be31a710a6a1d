from django.urls import path

from archive import views

urlpatterns = [
    path("documents/new/<str:target>/<int:pk>/", views.document_new, name="document-new"),
    path("documents/<int:pk>/download/", views.document_download, name="document-file"),
    path("contracts/<int:pk>/archive/", views.contract_archive, name="contract-archive"),
]
