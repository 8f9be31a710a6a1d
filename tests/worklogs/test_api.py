"""Person-day logs through the API: the vendor submits, procurement approves or returns, a settled
month cannot be reopened, and another vendor's logs answer 404."""

import io
from datetime import date

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from openpyxl import load_workbook

from tests.worklogs.conftest import member
from worklogs.models import WorkLog

pytestmark = pytest.mark.django_db


def create(client, order, staff, days="10", month="2026-10"):
    return client.post(
        "/api/v1/worklogs/",
        {
            "order": order.pk,
            "month": month,
            "lines": [{"staff": member.pk, "days": days} for member in staff],
        },
        format="json",
    )


def test_the_vendor_submits_and_procurement_approves(api, vendor_pm, procurement, order, staff):
    vendor = api(vendor_pm)
    created = create(vendor, order, staff)
    assert created.status_code == 201, created.json()
    body = created.json()
    assert (body["month"], body["status"], body["total_days"]) == ("2026-10", "draft", "20.0")
    assert body["lines"][0]["role"] == "产品/平台服务"
    log = body["id"]

    assert vendor.post(f"/api/v1/worklogs/{log}/submit/").json()["status"] == "submitted"
    assert vendor.post(f"/api/v1/worklogs/{log}/approve/").status_code == 403
    buyer = api(procurement)
    returned = buyer.post(f"/api/v1/worklogs/{log}/return/", {"reason": "人天与考勤不符"})
    assert (returned.json()["status"], returned.json()["returned_reason"]) == (
        "returned",
        "人天与考勤不符",
    )
    edited = vendor.patch(
        f"/api/v1/worklogs/{log}/",
        {"lines": [{"staff": staff[0].pk, "days": "9.5"}]},
        format="json",
    )
    assert edited.json()["total_days"] == "9.5"
    vendor.post(f"/api/v1/worklogs/{log}/submit/")
    approved = buyer.post(f"/api/v1/worklogs/{log}/approve/").json()
    assert (approved["status"], approved["approved_by"]) == ("approved", procurement.pk)
    assert vendor.patch(f"/api/v1/worklogs/{log}/", {"lines": []}, format="json").status_code == 400

    reopened = buyer.post(f"/api/v1/worklogs/{log}/reopen/", {"reason": "补录一天"})
    assert reopened.json()["status"] == "returned"
    history = buyer.get(f"/api/v1/worklogs/{log}/history/").json()
    changes = [(entry["user"], entry["action"], entry["object"]) for entry in history]
    assert ("caigou", "已修改", str(WorkLog.objects.get(pk=log))) in changes
    assert any(
        entry["object"] == staff[1].name and entry["action"] == "已删除" for entry in history
    )
    assert ["状态", "已批准", "已退回"] in [
        [c["field"], c["old"], c["new"]] for entry in history for c in entry["changes"]
    ]


def test_reopening_a_settled_month_is_refused(api, procurement, vendor_pm, order, staff):
    from django.utils import timezone

    log = create(api(vendor_pm), order, staff).json()["id"]
    api(vendor_pm).post(f"/api/v1/worklogs/{log}/submit/")
    api(procurement).post(f"/api/v1/worklogs/{log}/approve/")
    WorkLog.objects.filter(pk=log).update(locked_at=timezone.now())

    response = api(procurement).post(f"/api/v1/worklogs/{log}/reopen/", {"reason": "x"})

    assert response.status_code == 409
    assert response.json() == {
        "detail": "该月结算单已确认，工作量记录不能再重新打开。已签署月份的更正请开具调整结算单。"
    }


def test_lists_filter_by_month_and_status(api, procurement, vendor_pm, order, staff):
    create(api(vendor_pm), order, staff, month="2026-09")
    create(api(vendor_pm), order, staff, month="2026-10")
    client = api(procurement)

    assert client.get("/api/v1/worklogs/?month=2026-10").json()["count"] == 1
    assert client.get("/api/v1/worklogs/?status=draft").json()["count"] == 2
    assert client.get("/api/v1/worklogs/?month=10-2026").status_code == 400


def test_another_vendors_logs_answer_404_everywhere(api, vendor_pm, other_vendor_pm, order, staff):
    log = create(api(vendor_pm), order, staff).json()["id"]
    client = api(other_vendor_pm)
    base = f"/api/v1/worklogs/{log}"
    upload = SimpleUploadedFile("log.xlsx", b"PK")

    for method, suffix, data in [
        ("get", "", None),
        ("get", "template/", None),
        ("get", "history/", None),
        ("post", "submit/", None),
        ("post", "approve/", None),
        ("post", "return/", {"r": 1}),
        ("post", "reopen/", None),
        ("post", "import/", {"file": upload}),
        ("patch", "", {"lines": []}),
    ]:
        assert getattr(client, method)(f"{base}/{suffix}", data).status_code == 404, suffix
    assert client.get("/api/v1/worklogs/").json()["count"] == 0
    assert create(client, order, staff).status_code == 400  # the order is not a valid choice


def test_the_template_is_prefilled_with_the_orders_active_staff(
    api, vendor_pm, order, staff, active_contract
):
    member(active_contract, 9, start_date=date(2026, 11, 2))  # not yet working in October
    log = create(api(vendor_pm), order, staff[:1], days="12").json()["id"]

    response = api(vendor_pm).get(f"/api/v1/worklogs/{log}/template/")

    sheet = load_workbook(io.BytesIO(response.content)).active
    assert [cell.value for cell in sheet[4]] == [
        "序号",
        "员工编号",
        "姓名",
        "岗位职责",
        "级别",
        "身份证号（脱敏）",
        "人天",
        "备注",
    ]
    rows = [[cell.value for cell in row] for row in sheet.iter_rows(min_row=5)]
    assert [(row[1], row[2], row[6]) for row in rows] == [
        (staff[0].pk, "员工1", 12),
        (staff[1].pk, "员工2", None),
    ]
    assert "本月工作日 18 天" in sheet["A3"].value


def test_a_refused_new_log_leaves_no_empty_draft_behind(api, vendor_pm, order, staff):
    response = create(api(vendor_pm), order, staff, days="0.3")

    assert response.status_code == 400
    assert not WorkLog.objects.exists()


def test_a_patch_with_incomplete_lines_is_a_clear_error(
    api, vendor_pm, procurement, order, staff, active_contract
):
    log = create(api(vendor_pm), order, staff).json()["id"]
    draft = (
        api(procurement)
        .post(
            "/api/v1/orders/",
            {
                "contract": active_contract.pk,
                "name": "x",
                "service_start": "2026-02-01",
                "service_end": "2026-03-01",
                "lines": [{"role": "产品/平台服务", "level": "高级", "planned_quantity": "1"}],
            },
            format="json",
        )
        .json()["id"]
    )

    broken_log = api(vendor_pm).patch(
        f"/api/v1/worklogs/{log}/", {"lines": [{"days": "1"}]}, format="json"
    )
    broken_order = api(procurement).patch(
        f"/api/v1/orders/{draft}/", {"lines": [{"role": "运维支撑"}]}, format="json"
    )

    assert broken_log.status_code == broken_order.status_code == 400
    assert broken_log.json() == {"lines": {"0": {"staff": ["该字段是必填项。"]}}}
    assert "planned_quantity" in broken_order.json()["lines"]["0"]
