"""The reports' pages: filters in the URL, a chart, and the same rows as an Excel workbook
(`?export=xlsx`)."""

from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import get_object_or_404, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from contracts.models import FrameworkContract
from core.lists import DATE, MONEY, NUMBER, PERCENT, Column, Table, query_with, wants_export
from core.models import User
from core.views import require_role
from reports.forms import SpendForm
from reports.selectors import consumption, outlook, spend, vendor_record, vendor_scores, vendors

PORTFOLIO = Table(
    Column("code", gettext_lazy("Contract code"), lambda r: r.contract.code),
    Column("name", gettext_lazy("Contract"), lambda r: r.contract.name),
    Column("vendor", gettext_lazy("Vendor"), lambda r: r.contract.vendor.name),
    Column("ceiling", gettext_lazy("Ceiling"), lambda r: r.contract.ceiling_incl_tax, MONEY),
    Column("settled", gettext_lazy("Settled"), lambda r: r.contract.settled_total, MONEY),
    Column(
        "used",
        gettext_lazy("Ceiling used"),
        lambda r: r.contract.settled_total / r.contract.ceiling_incl_tax,
        PERCENT,
    ),
    Column("estimate", gettext_lazy("Estimate"), lambda r: r.estimate.total_incl_tax, MONEY),
    Column("excess", gettext_lazy("Above the ceiling"), lambda r: r.estimate.excess, MONEY),
    Column("overrunning", gettext_lazy("Lines overrunning"), lambda r: len(r.overrunning), NUMBER),
    title=gettext_lazy("附件3 consumption"),
)


def _line(row) -> str:
    return f"{row.role} {row.level}".strip() or _("Without priced lines (milestones)")


CONSUMPTION = Table(
    Column("line", gettext_lazy("Priced line"), _line),
    Column("unit", gettext_lazy("Unit"), lambda r: r.unit),
    Column("estimated", gettext_lazy("Estimated"), lambda r: r.estimated_quantity, NUMBER),
    Column("estimate", gettext_lazy("Estimate incl. tax"), lambda r: r.estimate_incl_tax, MONEY),
    Column("planned", gettext_lazy("Planned by orders"), lambda r: r.planned_quantity, NUMBER),
    Column("approved", gettext_lazy("Approved in logs"), lambda r: r.approved_quantity, NUMBER),
    Column("used", gettext_lazy("Share used"), lambda r: r.used, PERCENT),
    Column("settled", gettext_lazy("Settled"), lambda r: r.settled_quantity, NUMBER),
    Column("money", gettext_lazy("Settled incl. tax"), lambda r: r.settled_incl_tax, MONEY),
    Column("projected", gettext_lazy("At the term's end"), lambda r: r.projected_quantity, NUMBER),
    Column(
        "overruns",
        gettext_lazy("Overruns the estimate"),
        lambda r: _("yes") if r.overruns else "",
    ),
    title=gettext_lazy("附件3 consumption"),
)


@login_required
def consumption_page(request):
    """The buyer's portfolio: each contract's ceiling and 附件3 estimate used; with
    `?contract=`, that contract's lines."""
    contracts = (
        FrameworkContract.objects.visible_to(request.user).select_related("vendor").order_by("code")
    )
    chosen = request.GET.get("contract")
    if not chosen:
        reports = consumption(contracts)
        if wants_export(request):
            return PORTFOLIO.download(reports)
        chart = {
            "labels": [report.contract.code for report in reports],
            "series": [
                (_("Settled"), [report.contract.settled_total for report in reports]),
                (_("Ceiling"), [report.contract.ceiling_incl_tax for report in reports]),
            ],
        }
        return render(
            request,
            "reports/portfolio.html",
            {"reports": reports, "chart": chart, "export_url": query_with(request, export="xlsx")},
        )
    if not chosen.isdigit():
        raise Http404
    contract = get_object_or_404(contracts, pk=chosen)
    report = consumption(contracts.filter(pk=contract.pk))[0]
    if wants_export(request):
        return CONSUMPTION.download(report.rows)
    chart = {
        "labels": [_line(row) for row in report.rows if row.role],
        "series": [
            (_("Estimated"), [row.estimated_quantity for row in report.rows if row.role]),
            (_("Approved in logs"), [row.approved_quantity for row in report.rows if row.role]),
            (_("At the term's end"), [row.projected_quantity for row in report.rows if row.role]),
        ],
    }
    return render(
        request,
        "reports/consumption.html",
        {
            "report": report,
            "contracts": contracts,
            "chart": chart,
            "export_url": query_with(request, export="xlsx"),
        },
    )


def spend_table(group_by: str) -> Table:
    columns = [
        Column("label", SpendForm.GROUPS[group_by], lambda r: r.label),
        Column("settled", gettext_lazy("Settled"), lambda r: r.settled_incl_tax, MONEY),
        Column("invoiced", gettext_lazy("Invoiced"), lambda r: r.invoiced_incl_tax, MONEY),
        Column("paid", gettext_lazy("Paid"), lambda r: r.paid_incl_tax, MONEY),
    ]
    if group_by == "contract":
        columns += [
            Column("ceiling", gettext_lazy("Ceiling"), lambda r: r.ceiling, MONEY),
            Column("to_date", gettext_lazy("Settled to date"), lambda r: r.settled_to_date, MONEY),
            Column("used", gettext_lazy("Ceiling used"), lambda r: r.ceiling_used, PERCENT),
        ]
    return Table(*columns, title=gettext_lazy("Spend"))


@login_required
def spend_page(request):
    form = SpendForm(request.GET)
    if not form.is_valid():
        return render(request, "reports/spend.html", {"form": form}, status=400)
    options = form.cleaned_data
    rows = spend(user=request.user, **options)
    table = spend_table(options["group_by"])
    if wants_export(request):
        return table.download(rows)
    totals = {
        name: sum((getattr(row, name) for row in rows), 0)
        for name in ("settled_incl_tax", "invoiced_incl_tax", "paid_incl_tax")
    }
    chart = {
        "labels": [row.label for row in rows],
        "series": [
            (_("Settled"), [row.settled_incl_tax for row in rows]),
            (_("Invoiced"), [row.invoiced_incl_tax for row in rows]),
            (_("Paid"), [row.paid_incl_tax for row in rows]),
        ],
    }
    return render(
        request,
        "reports/spend.html",
        {
            "form": form,
            "options": options,
            "groups": SpendForm.GROUPS.items(),
            "rows": rows,
            "totals": totals,
            "chart": chart,
            "export_url": query_with(request, export="xlsx"),
        },
    )


def scores_table(categories: list[str]) -> Table:
    return Table(
        Column("contract", gettext_lazy("Contract code"), lambda r: r.contract),
        Column("order", gettext_lazy("Order"), lambda r: r.order_number),
        Column("month", gettext_lazy("Month"), lambda r: f"{r.month:%Y-%m}"),
        Column("months", gettext_lazy("Months scored"), lambda r: r.period_months, NUMBER),
        Column("score", gettext_lazy("Score"), lambda r: r.score, NUMBER),
        *(
            Column(f"c{index}", name, lambda r, name=name: r.deductions.get(name), NUMBER)
            for index, name in enumerate(categories)
        ),
        Column("incidents", gettext_lazy("Incidents"), lambda r: r.incidents, NUMBER),
        title=gettext_lazy("Vendor scores"),
    )


def categories_of(rows) -> list[str]:
    """The categories the rows lose points in, in their templates' order."""
    return list(dict.fromkeys(name for row in rows for name in row.deductions))


@login_required
def vendor_scores_page(request):
    """A vendor's monthly scores and what it did on time; a vendor's PM sees its own."""
    choices = vendors(user=request.user)
    chosen = request.GET.get("vendor") or (choices.values_list("pk", flat=True).first())
    if chosen is None:
        return render(request, "reports/vendor_scores.html", {"vendors": choices})
    if not str(chosen).isdigit():
        raise Http404
    vendor = get_object_or_404(choices, pk=chosen)
    rows = vendor_scores(user=request.user, vendor=vendor)
    categories = categories_of(rows)
    if wants_export(request):
        return scores_table(categories).download(rows)
    by_order = {}
    for row in rows:
        if row.period_months == 1:
            by_order.setdefault(row.order_number, {})[f"{row.month:%Y-%m}"] = row.score
    months = sorted({month for scores in by_order.values() for month in scores})
    chart = {
        "labels": months,
        "series": [
            (number, [scores.get(month) for month in months]) for number, scores in by_order.items()
        ],
    }
    return render(
        request,
        "reports/vendor_scores.html",
        {
            "vendors": choices,
            "vendor": vendor,
            "rows": rows,
            "scored": [(row, [row.deductions.get(c) for c in categories]) for row in rows],
            "categories": categories,
            "record": vendor_record(user=request.user, vendor=vendor),
            "chart": chart,
            "export_url": query_with(request, export="xlsx"),
        },
    )


OUTLOOK = Table(
    Column("first", gettext_lazy("Week from"), lambda w: w.first, DATE),
    Column("last", gettext_lazy("Week to"), lambda w: w.last, DATE),
    Column("sheets", gettext_lazy("Sheets"), lambda w: w.sheets, NUMBER),
    Column("due", gettext_lazy("Due"), lambda w: w.due_incl_tax, MONEY),
    title=gettext_lazy("Finance outlook"),
)


@login_required
def outlook_page(request):
    require_role(request, User.Role.FINANCE, User.Role.PROCUREMENT)
    report = outlook(user=request.user, today=timezone.localdate())
    if wants_export(request):
        return OUTLOOK.download(report.weeks)
    chart = {
        "labels": [f"{week.first:%m-%d}" for week in report.weeks],
        "series": [(_("Due"), [week.due_incl_tax for week in report.weeks])],
    }
    return render(
        request,
        "reports/outlook.html",
        {
            "report": report,
            "chart": chart,
            "sections": [
                ("not-invoiced", _("Signed, not invoiced"), report.not_invoiced),
                ("overdue", _("Overdue"), report.overdue),
            ],
            "export_url": query_with(request, export="xlsx"),
        },
    )
