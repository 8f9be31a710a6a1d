from django.urls import path

from notifications import views

urlpatterns = [
    path("notifications/", views.notification_index, name="notification-list"),
    path(
        "notifications/preferences/",
        views.notification_preferences,
        name="notification-preferences",
    ),
    path(
        "notifications/read-all/",
        views.notification_mark_all_read,
        name="notification-read-all",
    ),
    path("notifications/<int:pk>/open/", views.notification_open, name="notification-open"),
    path("notifications/<int:pk>/read/", views.notification_mark_read, name="notification-read"),
]
