from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import render
from django.utils import timezone

from core.errors import DomainError
from dashboard.selectors import dashboard


@login_required
def home(request):
    """The user's to-do: counts and links, by role."""
    try:
        todos = dashboard(user=request.user, today=timezone.localdate())
    except DomainError as error:  # a month the holiday calendar does not cover yet
        messages.warning(request, error.message)
        todos = []
    return render(request, "dashboard/home.html", {"todos": todos})
