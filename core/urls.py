from django.urls import path

from core import views

urlpatterns = [
    path("calendar/", views.calendar_list, name="calendar-list"),
    path("calendar/<int:year>/", views.calendar_detail, name="calendar-detail"),
    path("calendar/<int:year>/import/", views.calendar_import, name="calendar-import"),
    path("calendar/<int:year>/export/", views.calendar_export, name="calendar-export"),
]
