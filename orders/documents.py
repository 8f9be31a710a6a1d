from functools import partial

from archive.models import Document
from archive.selectors import documents_of
from core.pdf import render_pdf
from orders.kinds import KINDS
from orders.models import Order, Termination


def contract_order_pdfs(contract, user) -> list[tuple]:
    """Each issued order as 附件6, for the zip of the contract's papers (archive.bundle)."""
    orders = (
        Order.objects.visible_to(user)
        .filter(contract_id=contract.pk)
        .exclude(status=Order.Status.DRAFT)
        .order_by("batch")
    )
    return [(f"附件6 委托订单/{order.number}.pdf", partial(order_pdf, order)) for order in orders]


def order_pdf(order: Order) -> bytes:
    """附件6 委托订单 as a PDF, with amounts in figures and 大写 and places for both seals."""
    return render_pdf(
        "orders/order_pdf.html",
        {
            "order": order,
            "contract": order.contract,
            "kind": KINDS[order.contract.settlement_mode],
            "lines": order.lines.all(),
            "payment_plan": order.payment_plan.all(),
            "attachments": documents_of(order).filter(kind=Document.Kind.ORDER_ATTACHMENT),
        },
    )


def termination_pdf(termination: Termination) -> bytes:
    """解除通知书: the notice of termination, its clause, reason and effective date."""
    return render_pdf(
        "orders/termination_pdf.html",
        {"termination": termination, "contract": termination.contract},
    )
