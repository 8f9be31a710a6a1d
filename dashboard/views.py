from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.templatetags.static import static
from django.utils import timezone

from dashboard.selectors import dashboard


@login_required
def home(request):
    """The user's to-do: counts and links, by role."""
    todos = dashboard(user=request.user, today=timezone.localdate())
    return render(request, "dashboard/home.html", {"todos": todos})


def favicon(request):
    """Browsers ask for /favicon.ico whatever the page links: the SVG mark answers."""
    return redirect(static("favicon.svg"), permanent=True)
