from django.contrib.auth.decorators import login_required
from django.shortcuts import render
from django.utils import timezone

from dashboard.selectors import dashboard


@login_required
def home(request):
    """The user's to-do: counts and links, by role."""
    todos = dashboard(user=request.user, today=timezone.localdate())
    return render(request, "dashboard/home.html", {"todos": todos})
