from core.calendar import any_provisional
from core.pdf import render_pdf
from governance.models import Rectification
from governance.services import RECTIFICATION_WORKING_DAYS


def rectification_pdf(rectification: Rectification) -> bytes:
    """整改通知书 as the buyer sends it (2.10): the parties, the order, what is wrong and its
    evidence, the due day in working days, and the buyer's signature and seal."""
    return render_pdf(
        "governance/rectification_pdf.html",
        {
            "rectification": rectification,
            "contract": rectification.contract,
            "order": rectification.order,
            "working_days": RECTIFICATION_WORKING_DAYS,
            "provisional": any_provisional([rectification.issued_on, rectification.due_on]),
        },
    )
