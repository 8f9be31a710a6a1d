"""Per-item contracts (seed 002): deliveries instead of person-days, settled per piece."""

import io
from datetime import date
from decimal import Decimal
from urllib.parse import unquote

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from openpyxl import load_workbook

from core.errors import DomainError
from demo.items import per_item_contract, per_item_order
from settlement.models import SettlementSheet
from settlement.services import settlements_compute, sheet_confirm
from staffing.models import StaffMember
from staffing.services import staff_create
from tests.factories import accepted, id_number
from tests.pdf import pdf_text
from tests.settlement.conftest import confirmed_score, issued
from worklogs.lines import DeliveryInput, LineInput
from worklogs.models import DeliveryLine, WorkLog
from worklogs.services import (
    worklog_approve,
    worklog_open,
    worklog_save,
    worklog_save_deliveries,
    worklog_submit,
)

pytestmark = pytest.mark.django_db
AUGUST, SEPTEMBER = date(2026, 8, 1), date(2026, 9, 1)
WHITE, COLOUR, PHOTO, POSTCARD, MAGNET, KEY_RING = (
    "3D手办打印（白膜）",
    "3D手办打印（彩膜）",
    "写真照片打印",
    "明信片打印",
    "冰箱贴",
    "钥匙扣",
)
# 9,375.00 at the prices incl. tax 300 / 200 / 10 / 5 / 15 / 20: 4,500 + 1,800 + 1,630 + 355
# + 570 + 520, the colour figurines in two parcels; the remade magnets are not paid.
AUGUST_DELIVERIES = [
    DeliveryInput(COLOUR, 10, "SF1001", 0, "1"),
    DeliveryInput(COLOUR, 5, "SF1002", 1, "2"),
    DeliveryInput(WHITE, 9, "SF1001", 0, "3"),
    DeliveryInput(PHOTO, 163, "YT2001", 0, "4"),
    DeliveryInput(POSTCARD, 71, "YT2001", 0, "5"),
    DeliveryInput(MAGNET, 38, "ZTO3001", 4, "6"),
    DeliveryInput(KEY_RING, 26, "ZTO3001", 0, "7"),
]


@pytest.fixture
def items_contract(buyer, vendor):
    return per_item_contract(buyer=buyer, vendor=vendor, code="T-002")


def approved(order, month, deliveries, procurement):
    log = worklog_save_deliveries(log=worklog_open(order=order, month=month), deliveries=deliveries)
    return worklog_approve(log=worklog_submit(log=log), actor=procurement)


def signed(sheet, vendor_pm, procurement):
    """Confirmed by the vendor, its month accepted (验收) and signed by the buyer."""
    sheet_confirm(sheet=sheet, actor=vendor_pm)
    accepted(sheet, procurement)
    return sheet_confirm(sheet=sheet, actor=procurement)


def test_a_month_of_deliveries_settles_per_piece_to_the_cent(
    items_contract, procurement, vendor_pm
):
    order = per_item_order(items_contract)
    approved(order, AUGUST, AUGUST_DELIVERIES, procurement)
    confirmed_score(order, AUGUST, "43.5", procurement, vendor_pm)  # 43.5 + 50 = 93.5

    assert settlements_compute(month=AUGUST)["computed"] == 1
    sheet = signed(order.sheets.get(), vendor_pm, procurement)

    lines = {
        line.item: (line.quantity, line.unit, line.unit_price_incl_tax)
        for line in sheet.lines.all()
    }
    assert lines[COLOUR] == (Decimal("15"), "件", Decimal("300.00"))
    assert lines[MAGNET] == (Decimal("38"), "件", Decimal("15.00"))
    assert sheet.base_amount == Decimal("9375.00")
    assert sheet.score == Decimal("93.50")
    # 9,375.00 × 93.5 / 100 = 8,765.625: half-up 8,765.63 (half-even would pay 8,765.62).
    assert sheet.payable_incl_tax == Decimal("8765.63")
    assert sheet.payable_excl_tax == Decimal("8269.46")  # 8,765.63 / 1.06 = 8,269.462…
    assert sheet.tax_amount == Decimal("496.17")
    assert not sheet.capped
    items_contract.refresh_from_db()
    assert items_contract.settled_total == Decimal("8765.63")


def test_a_month_past_the_ceiling_is_cut_to_what_it_leaves(buyer, vendor, procurement, vendor_pm):
    contract = per_item_contract(
        buyer=buyer, vendor=vendor, code="T-002", ceiling=Decimal("12000.00")
    )
    order = per_item_order(contract, planned={COLOUR: 30})  # 9,000.00 reserved
    approved(order, AUGUST, AUGUST_DELIVERIES, procurement)
    confirmed_score(order, AUGUST, "43.5", procurement, vendor_pm)
    approved(order, SEPTEMBER, [DeliveryInput(COLOUR, 20, "SF2001", 0, "1")], procurement)
    confirmed_score(order, SEPTEMBER, "43.5", procurement, vendor_pm)
    settlements_compute(month=AUGUST)
    signed(order.sheets.get(month=AUGUST), vendor_pm, procurement)

    settlements_compute(month=SEPTEMBER)
    sheet = signed(order.sheets.get(month=SEPTEMBER), vendor_pm, procurement)

    assert sheet.uncapped_incl_tax == Decimal("5610.00")  # 20 × 300.00 × 93.5 / 100
    assert sheet.capped
    assert sheet.payable_incl_tax == Decimal("3234.37")  # 12,000.00 − 8,765.63
    assert sheet.payable_excl_tax == Decimal("3051.29")
    assert sheet.tax_amount == Decimal("183.08")
    contract.refresh_from_db()
    assert contract.settled_total == contract.ceiling_incl_tax


def test_bad_deliveries_are_refused_whole_and_each_named(items_contract, procurement):
    order = per_item_order(items_contract)
    log = worklog_save_deliveries(
        log=worklog_open(order=order, month=AUGUST), deliveries=AUGUST_DELIVERIES[:1]
    )
    with pytest.raises(DomainError) as refused:
        worklog_save_deliveries(
            log=log,
            deliveries=[
                DeliveryInput("3D手办打印（金属）", 3, "SF1", 0, "第1行"),
                DeliveryInput(PHOTO, -2, "SF1", 0, "第2行"),
                DeliveryInput(POSTCARD, 5, " ", 0, "第3行"),
                DeliveryInput(MAGNET, 5, "SF9", None, "第4行"),
                DeliveryInput(KEY_RING, 5, "SF9", 0, "第5行"),
                DeliveryInput(KEY_RING, 6, "SF9", 0, "第6行"),
            ],
        )
    problems = refused.value.messages
    assert [problem.split("：")[0] for problem in problems] == [f"第{n}行" for n in (1, 2, 3, 4, 6)]
    assert "3D手办打印（金属）" in problems[0] and "T-002" in problems[0]
    assert "SF9" in problems[4]
    assert list(log.deliveries.values_list("item", "quantity")) == [(COLOUR, 10)]
    with pytest.raises(DomainError) as refused:  # 9,000,000 × 283.02 excl. tax
        worklog_save_deliveries(log=log, deliveries=[DeliveryInput(COLOUR, 9_000_000, "S", 0, "1")])
    assert "2547180000.00" in refused.value.messages[0]
    assert "2000000.00" in refused.value.messages[0]

    with pytest.raises(DomainError, match="按件结算"):
        worklog_save(log=log, lines=[LineInput(1, Decimal(1), "1")])


def test_person_day_contracts_take_no_deliveries(active_contract):
    log = worklog_open(order=issued(active_contract), month=date(2026, 10, 1))
    with pytest.raises(DomainError, match="按人天结算"):
        worklog_save_deliveries(log=log, deliveries=AUGUST_DELIVERIES)
    assert not DeliveryLine.objects.exists()


def test_the_team_of_002_two_years_for_every_role(items_contract, procurement):
    def join(name, role, years, serial):
        return staff_create(
            contract=items_contract,
            id_number=id_number(serial, born="19850505"),
            name=name,
            role=role,
            level="",
            education="专科",
            years_experience=years,
            phone="13800000000",
            start_date=AUGUST,
            exception_reason="破格",
        )

    qualified = join("甲", "建模工程师", 2, 1)
    assert qualified.qualification_issue == ""  # waits only for the approval of 2.9
    short = join("乙", "产品物流负责人", 1, 2)
    assert short.status == StaffMember.Status.PENDING
    assert "2" in short.qualification_issue
    with pytest.raises(DomainError, match="报价表"):
        join("丙", "平面设计师", 5, 3)


def test_deliveries_through_the_api(api, items_contract, vendor_pm, procurement):
    order = per_item_order(items_contract)
    vendor = api(vendor_pm)
    created = vendor.post(
        "/api/v1/worklogs/",
        {
            "order": order.pk,
            "month": "2026-08",
            "deliveries": [
                {"item": COLOUR, "quantity": 12, "tracking_ref": "SF1"},
                {"item": PHOTO, "quantity": 150, "tracking_ref": "YT1", "qa_claims": 3},
            ],
        },
        format="json",
    )
    assert created.status_code == 201, created.json()
    body = created.json()
    assert (body["status"], body["total_quantity"], body["lines"]) == ("draft", 162, [])
    assert body["deliveries"][1] == {
        "item": PHOTO,
        "quantity": 150,
        "tracking_ref": "YT1",
        "qa_claims": 3,
    }
    log = body["id"]

    refused = vendor.patch(
        f"/api/v1/worklogs/{log}/",
        {"deliveries": [{"item": "明信片", "quantity": 1, "tracking_ref": "X"}]},
        format="json",
    )
    assert refused.status_code == 400
    assert "明信片" in str(refused.json())
    assert vendor.get(f"/api/v1/worklogs/{log}/").json()["total_quantity"] == 162

    assert vendor.post(f"/api/v1/worklogs/{log}/submit/").json()["status"] == "submitted"
    approved_log = api(procurement).post(f"/api/v1/worklogs/{log}/approve/").json()
    assert approved_log["status"] == "approved"


def test_another_vendors_deliveries_and_sheets_are_404(
    api, client, items_contract, vendor_pm, other_vendor_pm, procurement
):
    order = per_item_order(items_contract)
    log = approved(order, AUGUST, AUGUST_DELIVERIES, procurement)
    confirmed_score(order, AUGUST, "43.5", procurement, vendor_pm)
    settlements_compute(month=AUGUST)
    sheet = order.sheets.get()
    other = api(other_vendor_pm)
    assert other.get(f"/api/v1/worklogs/{log.pk}/").status_code == 404
    assert other.post(f"/api/v1/worklogs/{log.pk}/submit/").status_code == 404
    assert log.pk not in [row["id"] for row in other.get("/api/v1/worklogs/").json()["results"]]
    assert other.get(f"/api/v1/settlements/{sheet.pk}/pdf/").status_code == 404
    client.force_login(other_vendor_pm)
    assert client.get(f"/orders/{order.pk}/worklog/2026-08/").status_code == 404
    assert client.get(f"/settlements/{sheet.pk}/").status_code == 404


def test_the_vendor_records_a_month_on_the_delivery_page(client, items_contract, vendor_pm):
    order = per_item_order(items_contract)
    client.force_login(vendor_pm)
    url = f"/orders/{order.pk}/worklog/2026-08/"
    page = client.get(url).content.decode()
    assert "交付" in page and COLOUR in page

    bad = client.post(
        url,
        {
            "rows": "2",
            "item-0": COLOUR,
            "quantity-0": "3.5",
            "tracking-0": "SF1",
            "item-1": PHOTO,
            "quantity-1": "20",
            "tracking-1": "",
        },
    )
    assert bad.status_code == 200
    assert "未保存" in bad.content.decode() or "没有保存" in bad.content.decode()
    assert not WorkLog.objects.filter(order=order).exists()

    saved = client.post(
        url,
        {
            "rows": "2",
            "item-0": COLOUR,
            "quantity-0": "3",
            "tracking-0": "SF1",
            "claims-0": "1",
            "item-1": PHOTO,
            "quantity-1": "20",
            "tracking-1": "YT1",
            "submit": "",
        },
    )
    assert saved.status_code == 302
    log = WorkLog.objects.get(order=order)
    assert (log.status, log.total_quantity) == ("submitted", 23)
    assert "23 件" in client.get(f"/orders/{order.pk}/worklog/").content.decode()


def test_the_per_item_sheet_pdf_counts_pieces(api, items_contract, vendor_pm, procurement):
    order = per_item_order(items_contract)
    approved(order, AUGUST, AUGUST_DELIVERIES, procurement)
    confirmed_score(order, AUGUST, "43.5", procurement, vendor_pm)
    settlements_compute(month=AUGUST)
    sheet = signed(order.sheets.get(), vendor_pm, procurement)

    response = api(procurement).get(f"/api/v1/settlements/{sheet.pk}/pdf/")
    assert response.status_code == 200
    text = pdf_text(response.content)
    assert "交付数量（件）" in text and "含税单价（元/件）" in text
    assert f"{COLOUR}15300.004,500.00" in text
    assert "Σ交付数量×合同单价×当月考核得分/100" in text
    assert "8,765.63" in text and "捌仟柒佰陆拾伍元陆角叁分" in text


def test_the_002_demo_settles_its_september_end_to_end():
    call_command("load_demo")
    from core.models import User

    vendor_pm = User.objects.get(username="zhiyin_pm")
    procurement = User.objects.get(username="caigou")
    august, september = SettlementSheet.objects.filter(contract__code="MGYY-2026-002").order_by(
        "month"
    )
    assert august.status == SettlementSheet.Status.SIGNED
    # 12 × 300 + 8 × 200 + 151 × 10 + 200 × 5 + 63 × 15 + 37 × 20 = 9,395.00, scored 94.
    assert (august.base_amount, august.payable_incl_tax) == (Decimal("9395"), Decimal("8831.30"))

    sheet = signed(september, vendor_pm, procurement)
    # 18 × 300 + 11 × 200 + 240 × 10 + 315 × 5 + 90 × 15 + 54 × 20 = 14,005.00, scored 97:
    # 13,584.85; / 1.06 = 12,815.896… → 12,815.90; tax 768.95.
    assert sheet.base_amount == Decimal("14005")
    assert (sheet.payable_incl_tax, sheet.payable_excl_tax, sheet.tax_amount) == (
        Decimal("13584.85"),
        Decimal("12815.90"),
        Decimal("768.95"),
    )
    assert sheet.contract.settled_total == Decimal("22416.15")  # 8,831.30 + 13,584.85


def test_a_log_read_is_written_back_unchanged_whatever_its_kind(api, items_contract, vendor_pm):
    from tests.worklogs.conftest import issued_order, member

    vendor = api(vendor_pm)
    per_item = per_item_order(items_contract)
    log = worklog_save_deliveries(
        log=worklog_open(order=per_item, month=AUGUST), deliveries=AUGUST_DELIVERIES
    )
    body = vendor.get(f"/api/v1/worklogs/{log.pk}/").json()
    assert body["lines"] == [] and len(body["deliveries"]) == 7
    written = vendor.put(f"/api/v1/worklogs/{log.pk}/", body, format="json")
    assert written.status_code == 200, written.json()
    assert written.json()["total_quantity"] == log.total_quantity == 322

    days = worklog_open(
        order=issued_order(_person_day_contract(items_contract)), month=date(2026, 10, 1)
    )
    worklog_save(log=days, lines=[LineInput(member(days.order.contract, 7).pk, Decimal(3), "1")])
    body = vendor.get(f"/api/v1/worklogs/{days.pk}/").json()
    assert body["deliveries"] == []
    assert vendor.put(f"/api/v1/worklogs/{days.pk}/", body, format="json").status_code == 200
    refused = vendor.patch(
        f"/api/v1/worklogs/{days.pk}/",
        {"deliveries": [{"item": COLOUR, "quantity": 1, "tracking_ref": "SF1"}]},
        format="json",
    )
    assert refused.status_code == 400 and "按人天结算" in str(refused.json())


def _person_day_contract(items_contract):
    """The same vendor's person-day contract with a priced rate card, active."""
    from contracts.services import contract_activate
    from tests.factories import ContractFactory, rate_card

    contract = ContractFactory(buyer=items_contract.buyer, vendor=items_contract.vendor)
    rate_card(contract)
    return contract_activate(contract=contract)


def test_what_a_per_item_month_refuses_and_records(api, client, items_contract, vendor_pm):
    order = per_item_order(items_contract)
    log = worklog_save_deliveries(
        log=worklog_open(order=order, month=AUGUST), deliveries=AUGUST_DELIVERIES[:1]
    )
    worklog_save_deliveries(log=log, deliveries=[DeliveryInput(COLOUR, 300, "SF1001", 0, "1")])
    vendor = api(vendor_pm)
    history = vendor.get(f"/api/v1/worklogs/{log.pk}/history/").json()
    assert any(
        change["field"] == "件数" or change["new"] == "300"
        for entry in history
        if entry["object"].startswith(COLOUR)
        for change in entry["changes"]
    ), history
    client.force_login(vendor_pm)
    # A per-item month counts no working days.
    assert "个工作日" not in client.get(f"/orders/{order.pk}/worklog/2027-01/").content.decode()
    # A row count that int() reads but a form should not ("²").
    assert client.post(f"/orders/{order.pk}/worklog/2026-08/", {"rows": "²"}).status_code == 302


def test_items_are_not_roles_and_pieces_are_whole(items_contract):
    from orders.services import order_create

    def join(role, level):
        return staff_create(
            contract=items_contract,
            id_number=id_number(9, born="19850505"),
            name="丁",
            role=role,
            level=level,
            education="本科",
            years_experience=5,
            phone="13800000000",
            start_date=AUGUST,
        )

    with pytest.raises(DomainError, match="报价表"):
        join(MAGNET, "")
    with pytest.raises(DomainError, match="报价表"):
        join("建模工程师", "高级")
    with pytest.raises(DomainError, match="整件"):
        order_create(
            contract=items_contract,
            name="半个手办",
            service_start=AUGUST,
            service_end=SEPTEMBER,
            lines=[{"role": COLOUR, "level": "", "planned_quantity": Decimal("2.5")}],
        )


def _filled(template: bytes, rows) -> SimpleUploadedFile:
    book = load_workbook(io.BytesIO(template))
    sheet = book.active
    for row, values in enumerate(rows, start=sheet.max_row + 1):  # below the lines it holds
        for column, value in enumerate(values, start=2):
            sheet.cell(row=row, column=column, value=value)
    buffer = io.BytesIO()
    book.save(buffer)
    return SimpleUploadedFile("交付.xlsx", buffer.getvalue())


def test_deliveries_by_workbook_download_fill_and_upload(api, client, items_contract, vendor_pm):
    order = per_item_order(items_contract)
    log = worklog_save_deliveries(
        log=worklog_open(order=order, month=AUGUST), deliveries=AUGUST_DELIVERIES[:2]
    )
    vendor = api(vendor_pm)
    response = vendor.get(f"/api/v1/worklogs/{log.pk}/template/")
    assert response.status_code == 200
    assert "交付记录-T-002-001-2026-08.xlsx" in unquote(response["Content-Disposition"])
    sheet = load_workbook(io.BytesIO(response.content)).active
    assert [c.value for c in sheet[4]] == [
        "序号",
        "产品项目",
        "件数",
        "快递单号",
        "质保重制件数",
        "备注",
    ]
    assert [c.value for c in sheet[6]][:5] == [2, COLOUR, 5, "SF1002", 1]
    (choices,) = sheet.data_validations.dataValidation
    assert (
        choices.formula1 == '"' + ",".join([WHITE, COLOUR, PHOTO, POSTCARD, MAGNET, KEY_RING]) + '"'
    )

    bad = _filled(
        response.content, [(COLOUR, 3.5, "SF1", 0), ("金属手办", 2, "SF2", None), (PHOTO, 9, "", 0)]
    )
    client.force_login(vendor_pm)
    refused = client.post(f"/orders/{order.pk}/worklog/2026-08/upload/", {"file": bad})
    assert refused.status_code == 400
    page = refused.content.decode()
    assert "第7行" in page  # 3.5 pieces: refused while read
    assert list(log.deliveries.values_list("quantity", flat=True)) == [10, 5]

    good = _filled(response.content, [(MAGNET, 40, "ZTO9", 2), (KEY_RING, 12, "ZTO9", None)])
    imported = vendor.post(f"/api/v1/worklogs/{log.pk}/import/", {"file": good})
    assert imported.status_code == 200, imported.json()
    body = imported.json()
    assert body["total_quantity"] == 10 + 5 + 40 + 12  # the two lines kept, two added
    assert body["deliveries"][2] == {
        "item": MAGNET,
        "quantity": 40,
        "tracking_ref": "ZTO9",
        "qa_claims": 2,
    }


def test_the_roster_and_the_order_pdf_of_a_per_item_contract(
    api, client, items_contract, vendor_pm
):
    order = per_item_order(items_contract)
    client.force_login(vendor_pm)
    roster = client.get(f"/contracts/{items_contract.pk}/staff/").content.decode()
    assert "配置岗位" in roster and "建模工程师" in roster and "打包寄送快递" in roster

    text = pdf_text(api(vendor_pm).get(f"/api/v1/orders/{order.pk}/pdf/").content)
    assert "计划数量（件）" in text and "含税单价（元/件）" in text
    assert f"{COLOUR}—300300.0090,000.00" in text  # 300 pieces, not 300.00
