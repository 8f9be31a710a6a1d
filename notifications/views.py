from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from core.views import filtered, page_of
from notifications.filters import NotificationFilter
from notifications.kinds import KINDS
from notifications.models import Channel
from notifications.selectors import channels_of, notification_list
from notifications.services import (
    NotificationError,
    notification_read,
    notifications_read_all,
    preferences_save,
)

PAGE_SIZE = 50
# The settings table's column heads, short enough for a phone; the channels' own labels say
# the rest above it.
SHORT = {
    Channel.EMAIL: gettext_lazy("Email at once"),
    Channel.DIGEST: gettext_lazy("Daily digest"),
    Channel.PORTAL: gettext_lazy("Portal only"),
    Channel.OFF: gettext_lazy("Off"),
}


@login_required
def notification_index(request):
    """通知: what the user was told, newest first; `?unread=true` keeps what is still unread."""
    filterset = NotificationFilter(
        request.GET, queryset=notification_list(user=request.user), request=request
    )
    rows, problems = filtered(filterset)
    return render(
        request,
        "notifications/notification_list.html",
        {
            "filter": filterset,
            "only_unread": filterset.form.cleaned_data.get("unread") if not problems else None,
            "page": page_of(request, rows, PAGE_SIZE),
            "filter_problems": problems,
        },
        status=400 if problems else 200,
    )


def _own(request, pk):
    """The user's own notification; another's is a 404 like one that does not exist."""
    return get_object_or_404(notification_list(user=request.user), pk=pk)


def _inbox_or_back(request):
    """The inbox page the button was pressed on (its filter and page kept)."""
    back = request.POST.get("next", "")
    if back.startswith("/") and url_has_allowed_host_and_scheme(back, {request.get_host()}):
        return back
    return reverse("notification-list")


@login_required
@require_POST
def notification_open(request, pk):
    """Reads the notification and goes where it points: only a path of the portal's own (a link
    is a notification's text, never a way out to another site). A POST, as every change is: a
    page elsewhere cannot mark the user's notifications read."""
    notification = notification_read(notification=_own(request, pk), actor=request.user)
    target = notification.url
    if target.startswith("/") and url_has_allowed_host_and_scheme(target, {request.get_host()}):
        return redirect(target)
    return redirect("notification-list")


@login_required
@require_POST
def notification_mark_read(request, pk):
    notification_read(notification=_own(request, pk), actor=request.user)
    return redirect(_inbox_or_back(request))


@login_required
@require_POST
def notification_mark_all_read(request):
    marked = notifications_read_all(actor=request.user)
    messages.success(
        request,
        _("%(count)s notifications marked as read.") % {"count": marked}
        if marked
        else _("Nothing was unread."),
    )
    return redirect(_inbox_or_back(request))


def _preference_groups(chosen: dict[str, str], error_kind: str | None) -> list:
    """(title, rows) per group of kinds; a row: kind, label, mandatory, the channel chosen, its
    cells (channel, label, allowed) and whether the error shown is its own."""
    groups = {False: [], True: []}
    for kind, spec in KINDS.items():
        cells = [
            (value, label, not (spec.mandatory and value == Channel.OFF))
            for value, label in Channel.choices
        ]
        groups[spec.reminder].append(
            {
                "kind": kind,
                "label": spec.label,
                "mandatory": spec.mandatory,
                "channel": chosen[kind],
                "cells": cells,
                "error": kind == error_kind,
            }
        )
    return [
        (_("When work is handed to you"), groups[False]),
        (_("Reminders of deadlines"), groups[True]),
    ]


@login_required
def notification_preferences(request):
    """How the user is told of each kind: at once by email, in the daily digest, in the portal
    only, or not at all (a payee account's change is always told)."""
    chosen = channels_of(request.user)
    error = None
    if request.method == "POST":
        posted = {kind: request.POST[kind] for kind in KINDS if kind in request.POST}
        try:
            preferences_save(actor=request.user, channels=posted)
        except NotificationError as problem:
            error = problem
            chosen.update(posted)
        else:
            messages.success(request, _("Your notification settings were saved."))
            return redirect("notification-preferences")
    return render(
        request,
        "notifications/preferences.html",
        {
            "groups": _preference_groups(chosen, error.field if error else None),
            "channels": [(SHORT[value], label) for value, label in Channel.choices],
            "error": error,
        },
        status=400 if error else 200,
    )
