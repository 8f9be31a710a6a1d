from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from contracts.selectors import contract_detail_queryset
from core.errors import DomainError
from core.history import history_entries
from core.lists import list_context, wants_export
from core.models import User
from core.views import require_role, take_step
from staffing import services
from staffing.filters import ROSTER, StaffFilter
from staffing.forms import (
    NameReplacementForm,
    NoticeForm,
    ReasonForm,
    ReplacementDemandForm,
    StaffForm,
)
from staffing.models import StaffMember
from staffing.selectors import roster_roles, staff_list
from staffing.services import qualification_rule, replacement_due


@login_required
def roster(request, pk):
    """A contract's roster: the vendor keeps it, procurement reviews it."""
    contract = get_object_or_404(contract_detail_queryset(user=request.user), pk=pk)
    form = StaffForm(request.POST or None, contract=contract)
    if request.method == "POST":
        require_role(request, User.Role.VENDOR_PM)
        if form.is_valid():
            try:
                member = services.staff_create(contract=contract, **form.cleaned_data)
            except DomainError as error:
                form.add_error(error.field if error.field in form.fields else None, error.message)
            else:
                messages.success(request, _("%(name)s joined the roster.") % {"name": member.name})
                return redirect("staff-roster", pk=pk)
    filterset = StaffFilter(
        request.GET,
        queryset=staff_list(user=request.user).filter(contract=contract),
        request=request,
    )
    listed = list_context(request, ROSTER, filterset, size=50)
    if wants_export(request) and not listed["filter_problems"]:
        return ROSTER.download(listed["rows"])
    today = timezone.localdate()
    is_vendor = request.user.has_role(User.Role.VENDOR_PM)
    candidates = contract.staff.filter(status=StaffMember.Status.PENDING, replaces__isnull=True)
    for member in listed["page"]:
        member.steps = StaffMember.flow.allowed(member, request.user)
        member.overdue = member.replacement_overdue(today)
        if is_vendor and member.needs_replacement:
            member.candidates = [
                c for c in candidates if (c.role, c.level) == (member.role, member.level)
            ]
    _roles, levels = roster_roles(contract)
    return render(
        request,
        "staffing/roster.html",
        {
            **listed,
            "contract": contract,
            "form": form,
            "rules": [(level, *qualification_rule(contract, level)) for level in levels],
            "is_vendor": is_vendor,
            "is_procurement": request.user.has_role(User.Role.PROCUREMENT),
            "notice_form": NoticeForm(),
            "reason_form": ReasonForm(),
            "replacement_due": replacement_due(today),
            "may_approve_many": any("approve" in m.steps for m in listed["page"]),
        },
        status=400 if listed["filter_problems"] else 200,
    )


def _member(request, pk) -> StaffMember:
    return get_object_or_404(staff_list(user=request.user), pk=pk)


def _cleaned(form) -> dict:
    """The posted form's values; its problems as the refusal the page shows."""
    if not form.is_valid():
        raise DomainError(" ".join(e for errors in form.errors.values() for e in errors))
    return form.cleaned_data


@login_required
@require_POST
def give_notice(request, pk):
    member = _member(request, pk)
    take_step(
        request,
        StaffMember.flow["give-notice"],
        lambda: services.staff_give_notice(member=member, **_cleaned(NoticeForm(request.POST))),
        _("Notice recorded for %(name)s.") % {"name": member.name},
    )
    return redirect("staff-roster", pk=member.contract_id)


@login_required
@require_POST
def approve_exception(request, pk):
    member = _member(request, pk)
    take_step(
        request,
        StaffMember.flow["approve-exception"],
        lambda: services.staff_approve_exception(
            member=member, actor=request.user, **_cleaned(ReasonForm(request.POST))
        ),
        _("Exception approved for %(name)s.") % {"name": member.name},
    )
    return redirect("staff-roster", pk=member.contract_id)


@login_required
@require_POST
def approve(request, pk):
    member = _member(request, pk)
    take_step(
        request,
        StaffMember.flow["approve"],
        lambda: services.staff_approve(member=member, actor=request.user),
        _("%(name)s approved.") % {"name": member.name},
    )
    return redirect("staff-roster", pk=member.contract_id)


@login_required
@require_POST
def refuse(request, pk):
    member = _member(request, pk)
    take_step(
        request,
        StaffMember.flow["refuse"],
        lambda: services.staff_refuse(
            member=member, actor=request.user, **_cleaned(ReasonForm(request.POST))
        ),
        _("%(name)s refused.") % {"name": member.name},
    )
    return redirect("staff-roster", pk=member.contract_id)


def _act(request, member, perform, done: str):
    """A roster action that is no step of the member's flow (his state stays)."""
    try:
        perform()
    except DomainError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, done)
    return redirect("staff-roster", pk=member.contract_id)


@login_required
@require_POST
def demand_replacement(request, pk):
    """3.2.4: procurement asks for a member to be replaced by a day (10 working days on)."""
    member = _member(request, pk)
    require_role(request, User.Role.PROCUREMENT)
    return _act(
        request,
        member,
        lambda: services.staff_demand_replacement(
            member=member, **_cleaned(ReplacementDemandForm(request.POST))
        ),
        _("Replacement of %(name)s requested.") % {"name": member.name},
    )


@login_required
@require_POST
def name_replacement(request, pk):
    """3.2.3–3.2.4: the vendor names who replaces a member (same role and level)."""
    member = _member(request, pk)
    require_role(request, User.Role.VENDOR_PM)
    return _act(
        request,
        member,
        lambda: services.staff_name_replacement(
            member=member, **_cleaned(NameReplacementForm(request.POST, member=member))
        ),
        _("Replacement of %(name)s named.") % {"name": member.name},
    )


@login_required
def staff_detail(request, pk):
    member = _member(request, pk)
    return render(
        request,
        "staffing/staff_detail.html",
        {"member": member, "history": history_entries(member)},
    )
