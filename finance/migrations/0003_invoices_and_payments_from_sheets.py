"""The invoices and payments recorded before they were records of their own (issue 21): each
invoice number on a contract's sheets becomes an invoice covering those sheets (special,
electronic, no code, at the sheets' amounts, the parties as the contract names them, received
the day it was issued, as payment was then counted); each paid sheet a transfer of its payable,
voucher "迁移". Nobody is named as having recorded them. The sheets' own fields already say the
same and are left as they are."""

from django.db import migrations

from core.calendar import add_workdays

MIGRATED = "迁移"


def forwards(apps, schema_editor):
    Sheet = apps.get_model("settlement", "SettlementSheet")
    Invoice = apps.get_model("finance", "Invoice")
    InvoiceSheet = apps.get_model("finance", "InvoiceSheet")
    Payment = apps.get_model("finance", "Payment")
    sheets = (
        Sheet.objects.filter(status__in=["invoiced", "paid"], payable_incl_tax__gt=0)
        .exclude(invoice_number="")
        .select_related("contract__buyer", "contract__vendor")
        .order_by("pk")
    )
    groups = {}
    for sheet in sheets:
        groups.setdefault((sheet.contract_id, sheet.invoice_number), []).append(sheet)
    numbers = set()
    for (contract_id, number), group in groups.items():
        contract = group[0].contract
        issued_on = max(sheet.invoiced_on for sheet in group)
        dues = [sheet.payment_due_by for sheet in group if sheet.payment_due_by]
        invoice = Invoice.objects.create(
            contract=contract,
            kind="special",
            medium="electronic",
            # The same number on two contracts' sheets (nothing refused it then) stays apart.
            code="" if number not in numbers else f"{MIGRATED}{contract_id}",
            number=number,
            issued_on=issued_on,
            received_on=issued_on,
            amount_incl_tax=sum(sheet.payable_incl_tax for sheet in group),
            amount_excl_tax=sum(sheet.payable_excl_tax for sheet in group),
            tax_amount=sum(sheet.tax_amount for sheet in group),
            tax_rate=group[0].tax_rate,
            seller_tax_id=contract.vendor.tax_id,
            buyer_name=contract.buyer.name,
            buyer_tax_id=contract.buyer.tax_id,
            delivery_due_by=add_workdays(issued_on, 10),
            payment_due_by=min(dues) if dues else add_workdays(issued_on, 30),
        )
        numbers.add(number)
        InvoiceSheet.objects.bulk_create(
            InvoiceSheet(
                invoice=invoice,
                sheet=sheet,
                amount_excl_tax=sheet.payable_excl_tax,
                amount_incl_tax=sheet.payable_incl_tax,
            )
            for sheet in group
        )
        Payment.objects.bulk_create(
            Payment(
                sheet=sheet,
                paid_on=sheet.paid_on,
                amount=sheet.payable_incl_tax,
                method="transfer",
                payer_bank_name=contract.buyer.bank_name,
                payer_account=contract.buyer.bank_account,
                payee_bank_name=contract.vendor.bank_name,
                payee_account=contract.vendor.bank_account,
                voucher_number=MIGRATED,
            )
            for sheet in group
            if sheet.status == "paid" and sheet.paid_on
        )


def backwards(apps, schema_editor):
    apps.get_model("finance", "Payment").objects.filter(recorded_by=None).delete()
    apps.get_model("finance", "Invoice").objects.filter(recorded_by=None).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("finance", "0002_recorded_by_optional"),
        ("settlement", "0007_lines_say_what_they_count"),
        ("core", "0005_bank_account_change"),
    ]

    operations = [migrations.RunPython(forwards, backwards)]
