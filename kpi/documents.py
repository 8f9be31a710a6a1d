from core.pdf import render_pdf
from kpi.models import KpiReport
from kpi.selectors import figure_groups


def kpi_report_pdf(report: KpiReport) -> bytes:
    """004 四、验收方式: 运营数据报告 of a month, every figure by platform, with its due date,
    when it was submitted and whether late."""
    order = report.order
    values = {name: getattr(report, name) for name, _code in KpiReport.FIGURES}
    return render_pdf(
        "kpi/kpi_report_pdf.html",
        {
            "report": report,
            "order": order,
            "contract": order.contract,
            "groups": figure_groups(order, values),
        },
    )
