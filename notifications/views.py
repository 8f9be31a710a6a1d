from django.contrib.auth.decorators import login_required
from django.shortcuts import render

from core.views import page_of
from notifications.services import notification_list, unread_count

PAGE_SIZE = 50


@login_required
def notification_index(request):
    """通知: what the user was told, newest first."""
    return render(
        request,
        "notifications/notification_list.html",
        {
            "page": page_of(request, notification_list(user=request.user), PAGE_SIZE),
            "unread": unread_count(request.user),
        },
    )
