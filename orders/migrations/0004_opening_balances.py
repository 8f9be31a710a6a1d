"""The ledger of a database that had counters before it: one opening entry per order holding
money (what it settled, what it still reserves), and for a contract whose counters differ from
its orders' the difference, so that the counters equal the sums of their entries from here on;
`manage.py ledger_check` then compares them with the sheets and orders."""

from django.db import migrations

OPEN = ("issued", "in_service")


def open_balances(apps, schema_editor):
    FrameworkContract = apps.get_model("contracts", "FrameworkContract")
    Order = apps.get_model("orders", "Order")
    LedgerEntry = apps.get_model("orders", "LedgerEntry")
    entries = []
    for contract in FrameworkContract.objects.order_by("pk"):
        settled = committed = 0
        for order in Order.objects.filter(contract=contract).order_by("pk"):
            reserved = (
                max(order.planned_amount - order.settled_total, 0) if order.status in OPEN else 0
            )
            if not (order.settled_total or reserved):
                continue
            settled += order.settled_total
            committed += reserved
            entries.append(_entry(LedgerEntry, contract, order, order.settled_total, reserved, settled, committed))
        rest = (contract.settled_total - settled, contract.committed_total - committed)
        if any(rest):
            entries.append(_entry(LedgerEntry, contract, None, *rest, contract.settled_total, contract.committed_total))
    LedgerEntry.objects.bulk_create(entries)


def _entry(model, contract, order, settled, committed, settled_after, committed_after):
    return model(
        contract=contract,
        order=order,
        kind="opening",
        reference=order.number if order else contract.code,
        settled_change=settled,
        committed_change=committed,
        settled_after=settled_after,
        committed_after=committed_after,
    )


class Migration(migrations.Migration):
    dependencies = [("orders", "0003_ledger")]

    operations = [migrations.RunPython(open_balances, migrations.RunPython.noop)]
