from archive.models import Document
from archive.selectors import documents_of
from core.pdf import render_pdf
from orders.kinds import KINDS
from orders.models import Order, Termination


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
