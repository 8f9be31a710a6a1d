"""The buyer's remedies when a vendor falls short: rectification requests (2.10, 2.4, 2.5)."""

from datetime import date

from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from assessment.models import Assessment, Indicator
from assessment.services import AssessmentError, assessment_incident_add, assessment_open
from core.calendar import add_workdays
from core.errors import DomainError
from core.models import User
from core.states import advance
from governance.models import Rectification
from notifications.services import notify_contract
from orders.models import Order
from staffing.models import StaffMember

# 2.10: the vendor puts it right within 5 working days.
RECTIFICATION_WORKING_DAYS = 5


class GovernanceError(DomainError):
    code = "governance"


REQUESTED = gettext_lazy("Rectification requested on %(order)s, due by %(due)s: %(text)s")
ANSWERED = gettext_lazy("The vendor answered the rectification on %(order)s: %(text)s")


def _tell(kind: str, rectification: Rectification, role: str, message, text: str):
    notify_contract(
        kind,
        rectification.contract,
        role,
        message=message,
        params={
            "order": rectification.order.number,
            "due": str(rectification.due_on),
            "text": text,
        },
        url=reverse("rectification-detail", args=[rectification.pk]),
    )


def rectification_due_on(issued_on: date) -> date:
    """2.10: 5 working days after the request is issued, by the portal's calendar."""
    return add_workdays(issued_on, RECTIFICATION_WORKING_DAYS)


def _required(text: str, field: str) -> str:
    if not text.strip():
        raise GovernanceError(_("This field is required."), field=field)
    return text.strip()


@transaction.atomic
def rectification_issue(
    *,
    order: Order,
    description: str,
    evidence: str = "",
    staff: StaffMember | None = None,
    actor=None,
    issued_on: date | None = None,
) -> Rectification:
    """2.10: procurement asks the vendor to put an order's work (or one member's) right."""
    description = _required(description, "description")
    if not order.is_open:
        raise GovernanceError(
            _(
                "Order %(number)s is %(status)s: only an issued order or one in service "
                "can be asked to rectify."
            )
            % {"number": order.number, "status": order.get_status_display()},
            field="order",
        )
    if staff is not None and staff.contract_id != order.contract_id:
        raise GovernanceError(
            _("%(name)s does not work under the order's contract.") % {"name": staff.name},
            field="staff",
        )
    issued_on = issued_on or timezone.localdate()
    rectification = Rectification.objects.create(
        contract=order.contract,
        order=order,
        staff=staff,
        description=description,
        evidence=evidence.strip(),
        issued_on=issued_on,
        due_on=rectification_due_on(issued_on),
        issued_by=actor,
    )
    _tell(
        "rectification_requested",
        rectification,
        User.Role.VENDOR_PM,
        REQUESTED,
        description,
    )
    return rectification


@transaction.atomic
def rectification_answer(
    *, rectification: Rectification, answer: str, actor, day: date | None = None
) -> Rectification:
    """2.10: the vendor says what it did to put it right (`day`: today unless given)."""
    answered = advance(
        rectification,
        Rectification.flow["answer"],
        error=GovernanceError,
        answer=_required(answer, "answer"),
        answered_on=day or timezone.localdate(),
        answered_by=actor,
    )
    _tell("rectification_answered", answered, User.Role.PROCUREMENT, ANSWERED, answered.answer)
    return answered


@transaction.atomic
def rectification_accept(
    *, rectification: Rectification, actor, day: date | None = None
) -> Rectification:
    return advance(
        rectification,
        Rectification.flow["accept"],
        error=GovernanceError,
        decided_on=day or timezone.localdate(),
        decided_by=actor,
    )


@transaction.atomic
def rectification_fail(
    *, rectification: Rectification, reason: str, actor, day: date | None = None
) -> Rectification:
    """2.10: not up to standard (不达标); more than 3 on a contract let the buyer terminate."""
    return advance(
        rectification,
        Rectification.flow["fail"],
        error=GovernanceError,
        failed_reason=_required(reason, "reason"),
        decided_on=day or timezone.localdate(),
        decided_by=actor,
    )


def incident_description(rectification: Rectification) -> str:
    """The incident's text, in Chinese whoever links it: it is the score's record (附件2)."""
    text = f"整改不达标（2.10，整改通知第{rectification.pk}号）：{rectification.description}"
    return f"{text} {rectification.failed_reason}"[:500]


@transaction.atomic
def rectification_link_incident(
    *, rectification: Rectification, indicator: Indicator
) -> Rectification:
    """SPEC §5: a failed rectification becomes a deduction (an incident) in the order's score
    of the month it was issued in, so the score and the record agree."""
    rectification = Rectification.objects.select_for_update(no_key=True).get(pk=rectification.pk)
    if rectification.status != Rectification.Status.FAILED:
        raise GovernanceError(
            _("Only a rectification recorded as failed can become an incident."), conflict=True
        )
    if rectification.incident_id is not None:
        raise GovernanceError(
            _("This rectification is already an incident of an assessment."), conflict=True
        )
    month = rectification.issued_on.replace(day=1)
    try:
        assessment = assessment_open(order=rectification.order, month=month)
    except AssessmentError as error:
        raise GovernanceError(error.message, conflict=True) from error
    if assessment.status not in Assessment.EDITABLE:
        raise GovernanceError(
            _("The score of %(month)s is %(status)s: reopen it before adding the incident.")
            % {"month": f"{month:%Y-%m}", "status": assessment.get_status_display()},
            conflict=True,
        )
    if indicator.category.template_id != assessment.template_id or (
        indicator.kind != Indicator.Kind.DEDUCTION
    ):
        raise GovernanceError(_("Pick a deduction of the score's template."), field="indicator")
    rectification.incident = assessment_incident_add(
        assessment=assessment,
        indicator=indicator,
        day=rectification.issued_on,
        description=incident_description(rectification),
    )
    rectification.save(update_fields=["incident"])
    return rectification
