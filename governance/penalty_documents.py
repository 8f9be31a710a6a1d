"""The penalty or refund on paper: its record, and, once no sheet follows to offset it, the
demand (催收函) that asks the vendor to pay it."""

from core.pdf import render_pdf
from governance.models import Penalty


def demand_filename(penalty: Penalty) -> str:
    word = "催收函" if penalty.demanded_on else "记录"
    return f"{penalty.get_kind_display()}{word}-{penalty.contract.code}-{penalty.pk}.pdf"


def demand_pdf(penalty: Penalty) -> bytes:
    return render_pdf(
        "governance/penalty_pdf.html",
        {"penalty": penalty, "contract": penalty.contract, "order": penalty.order},
    )
