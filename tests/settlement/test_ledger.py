"""One module moves money (orders/ledger.py): each movement is an entry with the contract's
figures after it, the counters are the sums of their entries, `ledger_check` finds any drift,
and nothing else writes a counter."""

import re
from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from contracts.models import FrameworkContract
from finance.services import FinanceError, sheet_invoice, sheet_pay
from orders import ledger
from orders.models import LedgerEntry, Order
from orders.services import order_cancel
from settlement.models import SettlementSheet
from settlement.services import settlements_compute, sheet_adjust, sheet_confirm
from tests.settlement.conftest import OCTOBER

ROOT = Path(__file__).resolve().parents[2]


def entries(contract):
    return [
        (e.kind, e.settled_change, e.committed_change, e.settled_after, e.committed_after)
        for e in LedgerEntry.objects.filter(contract=contract).order_by("pk")
    ]


def test_each_movement_is_an_entry_with_the_figures_after_it(
    worked_example, procurement, vendor_pm
):
    """The worked example's order plans 100 senior days at 900.00: 90,000.00 reserved. Its
    October sheet pays 45,474.95 (44,525.05 still reserved); an adjustment takes 450.00 back
    (44,975.05 reserved again); cancelling the order gives those 44,975.05 back."""
    settlements_compute(month=OCTOBER)
    sheet = sheet_confirm(sheet=SettlementSheet.objects.get(), actor=vendor_pm)
    sheet_confirm(sheet=sheet, actor=procurement)
    adjustment = sheet_adjust(sheet=sheet, amount_incl_tax=Decimal("-450.00"), reason="多计")
    sheet_confirm(sheet=adjustment, actor=vendor_pm)
    sheet_confirm(sheet=adjustment, actor=procurement)
    order_cancel(order=worked_example, actor=procurement)

    assert entries(worked_example.contract) == [
        ("reserve", Decimal("0.00"), Decimal("90000.00"), Decimal("0.00"), Decimal("90000.00")),
        (
            "settle",
            Decimal("45474.95"),
            Decimal("-45474.95"),
            Decimal("45474.95"),
            Decimal("44525.05"),
        ),
        ("adjust", Decimal("-450.00"), Decimal("450.00"), Decimal("45024.95"), Decimal("44975.05")),
        ("release", Decimal("0.00"), Decimal("-44975.05"), Decimal("45024.95"), Decimal("0.00")),
    ]
    assert LedgerEntry.objects.filter(kind="settle").get().actor == procurement
    call_command("ledger_check")


def test_ledger_check_names_a_counter_written_behind_the_ledger(worked_example, capsys):
    call_command("ledger_check")
    FrameworkContract.objects.update(committed_total=Decimal("89999.00"))
    Order.objects.update(settled_total=Decimal("1.00"))

    with pytest.raises(CommandError, match="3 counters drift"):
        call_command("ledger_check")
    # The order's 1.00 makes its reservation 89,999.00: only the ledger sees the contract's
    # committed total is wrong.
    code, number = worked_example.contract.code, worked_example.number
    assert capsys.readouterr().err.splitlines() == [
        f"order {number} settled_total is 1.00, its ledger entries say 0.00",
        f"order {number} settled_total is 1.00, its signed sheets say 0.00",
        f"contract {code} committed_total is 89999.00, its ledger entries say 90000.00",
    ]


def test_a_movement_past_the_ceiling_is_a_conflict_not_a_crash(worked_example):
    contract = FrameworkContract.objects.get()
    order = Order.objects.get()

    with pytest.raises(ledger.LedgerError) as refused:
        ledger.settle(
            contract=contract,
            order=order,
            amount=contract.ceiling_incl_tax + Decimal("0.01"),
            reference="结算单",
        )
    assert refused.value.status == 409
    assert "上限" in refused.value.message


# An attribute assigned or moved, a keyword given (to a constructor, create() or update()),
# a field saved.
COUNTER_WRITE = re.compile(
    r"\.(settled_total|committed_total)\s*[-+]?=(?!=)"
    r"|\b(settled_total|committed_total)=(?!=)"
    r"|update_fields=\[[^\]]*(settled_total|committed_total)"
)


def test_no_app_but_the_ledger_writes_a_counter():
    writers = [
        f"{path.relative_to(ROOT)}:{number}"
        for path in ROOT.glob("*/**/*.py")
        if not path.is_relative_to(ROOT / ".venv")
        and not path.is_relative_to(ROOT / "tests")
        and "migrations" not in path.parts
        and path != ROOT / "orders" / "ledger.py"
        for number, line in enumerate(path.read_text().splitlines(), start=1)
        if COUNTER_WRITE.search(line)
    ]
    assert writers == []
    assert COUNTER_WRITE.search((ROOT / "orders" / "ledger.py").read_text())


def test_each_money_action_is_logged_once_committed(
    worked_example,
    procurement,
    vendor_pm,
    finance,
    caplog,
    django_capture_on_commit_callbacks,
    clock,
):
    """Who moved what, at INFO on portal.money: the signature of the worked example's October
    sheet (45,474.95), its invoice and its payment; nothing for a refused action."""
    clock(date(2026, 11, 10))
    settlements_compute(month=OCTOBER)
    sheet = sheet_confirm(sheet=SettlementSheet.objects.get(), actor=vendor_pm)
    caplog.set_level("INFO", logger="portal.money")
    with django_capture_on_commit_callbacks(execute=True):
        sheet = sheet_confirm(sheet=sheet, actor=procurement)
        sheet = sheet_invoice(
            sheet=sheet, actor=finance, number="No.0001", invoiced_on=date(2026, 11, 10),
            amount=Decimal("45474.95"),
        )  # fmt: skip
        sheet_pay(sheet=sheet, actor=finance, paid_on=date(2026, 11, 20))
    with django_capture_on_commit_callbacks(execute=True), pytest.raises(FinanceError):
        sheet_pay(sheet=sheet, actor=finance, paid_on=date(2026, 11, 21))

    logged = [r.money for r in caplog.records if r.name == "portal.money"]
    assert [(m["action"], m["amount"]) for m in logged] == [
        ("settle", "45474.95"),
        ("invoice", "45474.95"),
        ("pay", "45474.95"),
    ]
    assert logged[0]["actor_id"] == procurement.pk
    assert logged[0]["contract"] == worked_example.contract.code
