from datetime import date

from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from contracts.models import FrameworkContract, RateCardLine
from core.calendar import add_workdays
from core.dates import add_months
from core.errors import DomainError
from core.models import User
from core.states import advance
from notifications.services import notify_contract
from staffing.identity import (
    id_number_digest,
    is_valid_id_number,
    mask_id_number,
    normalize_id_number,
)
from staffing.models import EDUCATION_RANK, Education, StaffMember

Status = StaffMember.Status
OPEN = (Status.PENDING, Status.ACTIVE, Status.LEAVING)
# 附件1 1.3–1.4 of seed 003: the rule of a contract that has none of its own.
DEFAULT_MIN_YEARS = {"高级": 5, "中级": 3, "初级": 1}
DEFAULT_MIN_EDUCATION = Education.JUNIOR_COLLEGE
EDITABLE = ("name", "phone", "education", "years_experience", "role", "level", "start_date")


class StaffError(DomainError):
    code = "staff"


TO_APPROVE = gettext_lazy(
    "%(name)s (%(role)s %(level)s) was registered on %(contract)s and awaits approval."
)
EXCEPTION = gettext_lazy(
    "%(name)s (%(role)s %(level)s) on %(contract)s is below the qualification rule and needs "
    "an exception: %(reason)s"
)
APPROVED = gettext_lazy("%(name)s (%(role)s %(level)s) was approved on %(contract)s.")
REFUSED = gettext_lazy("%(name)s (%(role)s %(level)s) was refused on %(contract)s: %(reason)s")


def _tell(kind: str, member: StaffMember, role: str, message, reason: str = "") -> None:
    """Tells the other side of the member's contract that he is theirs to act on now."""
    contract = member.contract
    notify_contract(
        kind,
        contract,
        role,
        message=message,
        params={
            "name": member.name,
            "role": member.role,
            "level": member.level,
            "contract": contract.code,
            "reason": reason,
        },
        url=reverse("staff-detail", args=[member.pk]),
    )


def _ask(member: StaffMember) -> None:
    """2.9 and 附件1 1.5: a registration waits for procurement's approval, or its exception."""
    if member.qualification_issue:
        _tell(
            "exception_requested", member, User.Role.PROCUREMENT, EXCEPTION, member.exception_reason
        )
    else:
        _tell("staff_approval_requested", member, User.Role.PROCUREMENT, TO_APPROVE)


def qualification_rule(contract: FrameworkContract, level: str) -> tuple[str, int]:
    """(minimum education, minimum years) for a level of the contract."""
    rules = {rule.level: rule for rule in contract.qualification_rules.all()}
    rule = rules.get(level) or rules.get("")
    if rule is not None:
        return rule.min_education, rule.min_years
    return DEFAULT_MIN_EDUCATION, DEFAULT_MIN_YEARS.get(level, 0)


def qualification_shortfall(member: StaffMember) -> str:
    """附件1 1.3–1.4: the rule the member fails, in words; empty when he meets it."""
    education, years = qualification_rule(member.contract, member.level)
    problems = []
    if EDUCATION_RANK[member.education] < EDUCATION_RANK[education]:
        problems.append(
            _("education must be %(required)s or above (is %(actual)s)")
            % {"required": Education(education).label, "actual": Education(member.education).label}
        )
    if member.years_experience < years:
        problems.append(
            _("a %(level)s needs %(years)s or more years of experience (has %(actual)s)")
            % {"level": member.level, "years": years, "actual": member.years_experience}
        )
    return "；".join(problems)


def _check_member(member: StaffMember, id_number: str | None) -> None:
    contract = member.contract
    if contract.status not in (FrameworkContract.Status.DRAFT, FrameworkContract.Status.ACTIVE):
        raise StaffError(
            _("Contract %(code)s is closed: its roster no longer changes.")
            % {"code": contract.code},
            field="contract",
        )
    priced = contract.rate_card_lines.filter(
        role=member.role, level=member.level, unit=RateCardLine.Unit.PERSON_DAY
    ).exists()
    staffed = not member.level and contract.staffing_roles.filter(role=member.role).exists()
    if not (priced or staffed):
        raise StaffError(
            _("%(role)s %(level)s is not on the rate card of %(code)s.")
            % {"role": member.role, "level": member.level, "code": contract.code},
            field="level",
        )
    if id_number is not None:
        number = normalize_id_number(id_number)
        if not is_valid_id_number(number):
            raise StaffError(_("This is not a valid 18-character ID number."), field="id_number")
        member.id_number_digest = id_number_digest(number)
        member.id_number_masked = mask_id_number(number)
    if member.end_date and member.end_date < member.start_date:
        raise StaffError(_("The last day cannot come before the start."), field="end_date")
    _check_one_contract_at_a_time(member)


def _check_one_contract_at_a_time(member: StaffMember) -> None:
    """4.2.2.6: the same person is never on two contracts (or twice on one) at once."""
    others = (
        StaffMember.objects.filter(id_number_digest=member.id_number_digest, status__in=OPEN)
        .exclude(pk=member.pk)
        .select_related("contract")
    )
    for other in others:
        ends = other.end_date or date.max
        if other.start_date <= (member.end_date or date.max) and member.start_date <= ends:
            if other.vendor_id != member.vendor_id:
                # Another vendor's engagement: the asker learns only that there is one.
                raise _engaged_elsewhere()
            raise StaffError(
                _("This person is already on contract %(code)s (%(name)s) until %(until)s.")
                % {
                    "code": other.contract.code,
                    "name": other.contract.name,
                    "until": other.end_date or _("further notice"),
                },
                field="id_number",
            )


def _engaged_elsewhere() -> StaffError:
    return StaffError(_("This person is already on another contract."), field="id_number")


def _save(member: StaffMember) -> StaffMember:
    try:
        with transaction.atomic():
            member.save()
    except IntegrityError as error:  # a concurrent registration of the same person won
        raise _engaged_elsewhere() from error
    return member


@transaction.atomic
def staff_create(
    *,
    contract: FrameworkContract,
    id_number: str,
    replaces=None,
    exception_reason: str = "",
    **fields,
) -> StaffMember:
    """附件1 1.3–1.4 and 4.2.2.6: a qualified person, on one contract at a time."""
    contract = FrameworkContract.objects.select_for_update(no_key=True).get(pk=contract.pk)
    member = StaffMember(
        contract=contract,
        vendor_id=contract.vendor_id,
        replaces=replaces,
        **{name: fields[name] for name in EDITABLE if name in fields},
    )
    _check_member(member, id_number)
    if replaces is not None:
        _check_replacement(member, replaces)
    shortfall = qualification_shortfall(member)
    if shortfall:
        _ask_exception(member, shortfall, exception_reason)
    _save(member)
    _ask(member)
    return member


def _ask_exception(member: StaffMember, shortfall: str, reason: str) -> None:
    """附件1 1.5: a person below the rule waits for procurement's approval, asked with a
    reason."""
    if not reason.strip():
        raise StaffError(
            _("Not qualified: %(shortfall)s. Ask procurement for an exception with a reason.")
            % {"shortfall": shortfall},
            field="years_experience",
        )
    member.status = Status.PENDING
    member.qualification_issue = shortfall
    member.exception_reason = reason.strip()


def _check_replacement(member: StaffMember, replaced: StaffMember) -> None:
    """3.2.3: a replacement has the same role and level as the person he replaces."""
    if replaced.contract_id != member.contract_id:
        raise StaffError(_("A replacement works on the same contract."), field="replaces")
    if (replaced.role, replaced.level) != (member.role, member.level):
        raise StaffError(
            _("A replacement of %(name)s must be %(role)s %(level)s too.")
            % {"name": replaced.name, "role": replaced.role, "level": replaced.level},
            field="level",
        )
    wanted = replaced.status == Status.LEAVING or replaced.replacement_demanded_on is not None
    if not wanted or StaffMember.objects.filter(replaces_id=replaced.pk).exists():
        raise StaffError(
            _("%(name)s is neither leaving nor asked to be replaced, or already has a successor.")
            % {"name": replaced.name},
            field="replaces",
        )


@transaction.atomic
def staff_update(
    *, member: StaffMember, id_number: str | None = None, exception_reason: str = "", **fields
) -> StaffMember:
    """附件1 1.5: an approved exception covers the one role and level it was approved for;
    another below the rule waits for a new approval, as a new registration does."""
    member = StaffMember.objects.select_for_update(no_key=True).get(pk=member.pk)
    if member.status in (Status.LEFT, Status.REFUSED):
        raise StaffError(
            _("%(name)s is %(status)s: the record no longer changes.")
            % {"name": member.name, "status": member.get_status_display()},
            conflict=True,
        )
    approved_for = (member.role, member.level)
    for name in EDITABLE:
        if name in fields:
            setattr(member, name, fields[name])
    _check_member(member, id_number)
    if member.exception_approved_at and (member.role, member.level) != approved_for:
        # The approval was for the former role and level: it covers nothing any more.
        member.exception_reason = ""
        member.exception_approved_by = member.exception_approved_at = None
    shortfall = qualification_shortfall(member)
    if shortfall and member.exception_approved_at is None and member.status != Status.PENDING:
        if member.status != Status.ACTIVE:  # under notice: no approval to wait for
            raise StaffError(
                _("Not qualified: %(shortfall)s.") % {"shortfall": shortfall},
                field="years_experience",
            )
        _ask_exception(member, shortfall, exception_reason)
        _save(member)
        _ask(member)  # an active member back to waiting: procurement decides again
        return member
    member.qualification_issue = shortfall
    return _save(member)


@transaction.atomic
def staff_approve(*, member: StaffMember, actor) -> StaffMember:
    """2.9: procurement accepts a registered member; from now on days can be logged for him."""
    if member.qualification_issue:
        raise StaffError(
            _("%(name)s is below the qualification rule: approve the exception, with its reason.")
            % {"name": member.name},
            conflict=True,
        )
    member = advance(
        member,
        StaffMember.flow["approve"],
        error=StaffError,
        approved_by=actor,
        approved_at=timezone.now(),
    )
    _tell("staff_decided", member, User.Role.VENDOR_PM, APPROVED)
    return member


@transaction.atomic
def staff_approve_exception(*, member: StaffMember, actor, reason: str) -> StaffMember:
    """附件1 1.5: procurement may accept a person below the rule, with a recorded reason."""
    if not reason.strip():
        raise StaffError(_("Give the reason for the exception."), field="reason")
    now = timezone.now()
    member = advance(
        member,
        StaffMember.flow["approve-exception"],
        error=StaffError,
        exception_reason=reason.strip(),
        exception_approved_by=actor,
        exception_approved_at=now,
        approved_by=actor,
        approved_at=now,
    )
    _tell("staff_decided", member, User.Role.VENDOR_PM, APPROVED)
    return member


@transaction.atomic
def staff_refuse(*, member: StaffMember, actor, reason: str) -> StaffMember:
    """2.9: procurement refuses a proposed member and says why; the vendor reads the reason.
    A refused replacement no longer stands for the one he was to replace (another may)."""
    if not reason.strip():
        raise StaffError(_("Give the reason for the refusal."), field="reason")
    member = advance(
        member,
        StaffMember.flow["refuse"],
        error=StaffError,
        refusal_reason=reason.strip(),
        approved_by=actor,
        approved_at=timezone.now(),
        replaces=None,
    )
    _tell("staff_decided", member, User.Role.VENDOR_PM, REFUSED, member.refusal_reason)
    return member


@transaction.atomic
def staff_give_notice(*, member: StaffMember, notice_date: date, last_day: date) -> StaffMember:
    """3.2.3: a departure needs a month's written notice; a shorter one is flagged."""
    if last_day < notice_date:
        raise StaffError(_("The last day cannot come before the notice."), field="last_day")
    return advance(
        member,
        StaffMember.flow["give-notice"],
        error=StaffError,
        notice_given_on=notice_date,
        end_date=last_day,
        short_notice=last_day < add_months(notice_date, 1),
    )


REPLACEMENT_WORKING_DAYS = 10


def replacement_due(day: date) -> date:
    """3.2.4: a demanded replacement is due 10 working days after the demand, unless the
    demand sets another day."""
    return add_workdays(day, REPLACEMENT_WORKING_DAYS)


@transaction.atomic
def staff_demand_replacement(
    *, member: StaffMember, reason: str, due: date | None = None, today: date | None = None
) -> StaffMember:
    """3.2.4: the buyer may ask for a member to be replaced by a given day."""
    today = today or timezone.localdate()
    member = StaffMember.objects.select_for_update(no_key=True).get(pk=member.pk)
    if member.status not in (Status.ACTIVE, Status.LEAVING):
        raise StaffError(_("Only a working member can be replaced."), conflict=True)
    if member.replacement_demanded_on is not None:
        raise StaffError(
            _("A replacement of %(name)s was demanded already.") % {"name": member.name},
            conflict=True,
        )
    if not reason.strip():
        raise StaffError(_("Give the reason for the replacement."), field="reason")
    due = due or replacement_due(today)
    if due <= today:
        raise StaffError(_("The replacement is due on a later day."), field="due")
    member.replacement_demanded_on = today
    member.replacement_demand_reason = reason.strip()
    member.replacement_due = due
    member.save()
    return member


@transaction.atomic
def staff_name_replacement(*, member: StaffMember, replacement: StaffMember) -> StaffMember:
    """3.2.3–3.2.4: the vendor names who replaces a member leaving or asked away: someone
    registered on the same contract, of the same role and level, not yet approved or refused
    (procurement still approves him)."""
    member = StaffMember.objects.select_for_update(no_key=True).get(pk=member.pk)
    replacement = StaffMember.objects.select_for_update(no_key=True).get(pk=replacement.pk)
    if replacement.status != Status.PENDING or replacement.replaces_id is not None:
        raise StaffError(
            _("%(name)s cannot be named: only a newly registered member replaces someone.")
            % {"name": replacement.name},
            field="replacement",
        )
    _check_replacement(replacement, member)
    replacement.replaces = member
    replacement.save()
    return member


def staff_mark_departed(*, today: date) -> int:
    """Members whose last day has passed leave the roster (safe to run twice)."""
    leave = StaffMember.flow["leave"]
    departed = StaffMember.objects.filter(status__in=leave.sources, end_date__lt=today)
    for member in departed:
        member.status = leave.target
        member.save(update_fields=["status"])
    return len(departed)
