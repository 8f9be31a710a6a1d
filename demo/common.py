"""What the demo contracts share: fictitious ID numbers, 附件2 scores and the papers of the
archive (placeholder PDFs for the signed scans)."""

from datetime import timedelta
from decimal import Decimal
from functools import cache

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from archive.models import Document
from archive.services import document_add
from assessment.models import Indicator
from assessment.services import assessment_open, assessment_publish, assessment_save
from core.pdf import render_pdf
from finance.services import invoice_receive, sheet_invoice, sheet_pay
from orders.services import acceptance_record
from staffing.identity import check_character
from staffing.services import staff_create


def id_number(serial: int) -> str:
    """A fictitious, well-formed ID number of a demo staff member."""
    first17 = f"5101041990{serial:04d}{serial % 1000:03d}"
    return first17 + check_character(first17)


def demo_member(contract, serial: int, name, role, level, education, years, start, **extra):
    """A demo person proposed on `contract`, with the fictitious ID number and phone of `serial`."""
    return staff_create(
        contract=contract,
        id_number=id_number(serial),
        name=name,
        role=role,
        level=level,
        education=education,
        years_experience=years,
        phone=f"1380000{serial:04d}",
        start_date=start,
        **extra,
    )


def published_score(order, month, quality: str, incidents, buyer):
    """A month scored on 附件2 and published: `quality` points of 服务质量考核 and incidents
    (indicator code, day, description) behind the deductions."""
    codes = {
        i.code: i
        for i in Indicator.objects.filter(category__template=order.contract.template_on(month))
    }
    assessment = assessment_save(
        assessment=assessment_open(order=order, month=month),
        entries=[{"indicator": codes["quality"].pk, "value": Decimal(quality)}],
        incidents=[
            {"indicator": codes[code].pk, "date": month.replace(day=day), "description": text}
            for code, day, text in incidents
        ],
    )
    return assessment_publish(assessment=assessment, actor=buyer)


@cache
def _placeholder(title: str) -> bytes:
    return render_pdf("demo/paper.html", {"title": title})


def file_paper(target, kind: str, title: str, user, dated=None):
    """A paper of `target` filed in the archive by `user`: a one-page placeholder PDF standing
    for the signed and sealed scan (rendered once per title); loaded on an earlier day, a date
    ahead is left out."""
    if dated is not None and dated > timezone.localdate():
        dated = None
    upload = SimpleUploadedFile(f"{title}.pdf", _placeholder(title), "application/pdf")
    return document_add(target=target, kind=kind, upload=upload, uploaded_by=user, dated=dated)


def signed_copy(contract, procurement):
    """The signed contract in the archive, which the buyer asks for before it takes effect."""
    return file_paper(
        contract,
        Document.Kind.SIGNED_CONTRACT,
        f"框架协议{contract.code}（双方盖章）",
        procurement,
        contract.signed_on,
    )


def undertakings(staff, vendor_pm, missing=()):
    """Each person's confidentiality undertaking filed, but for the names in `missing`."""
    for person in staff:
        if person.name not in missing:
            file_paper(
                person,
                Document.Kind.STAFF_CONFIDENTIALITY,
                f"保密承诺书-{person.name}",
                vendor_pm,
                person.start_date,
            )


def accept(order, day, note, procurement, *, month=None, payment_item=None) -> bool:
    """Procurement accepts a month or a milestone of the order on `day` (验收), its record
    filed; loaded on an earlier day, nothing ahead is accepted (False): its sheet then waits
    unsigned."""
    if day > timezone.localdate():
        return False
    acceptance_record(
        order=order,
        month=month,
        payment_item=payment_item,
        accepted_on=day,
        note=note,
        actor=procurement,
        upload=SimpleUploadedFile("验收单.pdf", _placeholder("验收单"), "application/pdf"),
    )
    return True


def signed_back(sheet, day):
    """The demo signs its past months today; a sheet invoiced in the past was signed before its
    invoice (finance refuses an invoice dated before the signature): dated `day`, its invoice
    deadline (3.3.1) with it."""
    from datetime import datetime, time

    from core.calendar import add_workdays

    signed_at = timezone.make_aware(datetime.combine(day, time(10)))
    type(sheet).objects.filter(pk=sheet.pk).update(
        signed_at=signed_at, invoice_due_by=add_workdays(day, 10)
    )
    sheet.refresh_from_db()
    return sheet


def paid_in_full(sheet, *, vendor_pm, finance, number: str, invoiced_on, paid_on):
    """A signed sheet invoiced in full on `invoiced_on` (signed five days before it, as
    `signed_back`), the invoice received that day, and paid in full on `paid_on`."""
    sheet = sheet_invoice(
        sheet=signed_back(sheet, invoiced_on - timedelta(days=5)),
        actor=vendor_pm,
        number=number,
        invoiced_on=invoiced_on,
        amount=sheet.payable_incl_tax,
    )
    invoice_receive(invoice=sheet.invoices.get(), actor=finance, received_on=invoiced_on)
    return sheet_pay(sheet=sheet, actor=finance, paid_on=paid_on)
