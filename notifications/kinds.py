"""The kinds of notification: what happened, or which deadline nears. A kind is a name in
code (no database choices), so adding one needs no migration; `KINDS` gives each its label on
the preferences page and whether a user may turn it off."""

from typing import NamedTuple

from django.utils.translation import gettext_lazy as _


class Kind(NamedTuple):
    label: str
    # A few things must reach someone whatever they chose: the fraud-prone change of a payee
    # account (4.6.3). Such a kind can be moved between channels, never turned off.
    mandatory: bool = False
    # A reminder of a deadline (the preferences page lists these apart from the hand-offs).
    reminder: bool = False


KINDS = {
    # Hand-offs: a state change gives work to another role.
    "order_issued": Kind(_("An order was issued to us")),
    "log_submitted": Kind(_("A work log was submitted")),
    "log_returned": Kind(_("A work log was returned")),
    "exception_requested": Kind(_("An exception was requested")),
    "staff_approval_requested": Kind(_("Staff await approval")),
    "staff_decided": Kind(_("Staff were approved or refused")),
    "score_published": Kind(_("A score was published")),
    "score_disputed": Kind(_("A score was disputed")),
    "sheet_to_confirm": Kind(_("A settlement sheet awaits our confirmation")),
    "sheet_to_sign": Kind(_("A settlement sheet awaits signature")),
    "sheet_signed": Kind(_("A settlement sheet was signed")),
    "invoice_recorded": Kind(_("An invoice was recorded")),
    "payment_made": Kind(_("A payment was made")),
    "kpi_report_submitted": Kind(_("A KPI report was submitted")),
    "kpi_report_returned": Kind(_("A KPI report was returned")),
    "quarter_commented": Kind(_("A quarterly review was commented")),
    "milestone_due": Kind(_("A milestone payment is due")),
    "rectification_requested": Kind(_("A rectification was requested")),
    "rectification_answered": Kind(_("A rectification was answered")),
    "penalty_proposed": Kind(_("A penalty was proposed")),
    "penalty_disputed": Kind(_("A penalty was disputed")),
    "bank_account_changed": Kind(_("A payee bank account changes"), mandatory=True),
    # Reminders: a deadline nears or has passed (each sent once per step).
    "log_due": Kind(_("A work log is due"), reminder=True),
    "approval_waiting": Kind(_("An approval has been waiting"), reminder=True),
    "signature_waiting": Kind(_("A signature has been waiting"), reminder=True),
    "invoice_missing": Kind(_("An invoice has not arrived"), reminder=True),
    "payment_due": Kind(_("A payment is due"), reminder=True),
    "payment_overdue": Kind(_("A payment is overdue"), reminder=True),
    "ceiling_used": Kind(_("A contract's ceiling is running out"), reminder=True),
    "contract_ending": Kind(_("A contract is ending"), reminder=True),
    "rectification_due": Kind(_("A rectification is due"), reminder=True),
}
