"""Scores through the API: procurement scores a month on its template, the vendor confirms or
disputes, a score is reopened only while no sheet rests on it, and templates are checked
and frozen."""

from decimal import Decimal

import pytest
from django.test import Client

from assessment.builtin_templates import ANNEX2, KPI_004_LITERAL
from assessment.models import Assessment
from core.models import User
from tests.assessment.conftest import by_code
from tests.factories import BuyerFactory, UserFactory
from tests.pdf import pdf_text

pytestmark = pytest.mark.django_db


def score(client, order, annex2, quality="45", month="2026-10"):
    codes = by_code(annex2)
    return client.post(
        "/api/v1/assessments/",
        {
            "order": order.pk,
            "month": month,
            "entries": [{"indicator": codes["quality"].pk, "value": quality}],
            "incidents": [
                {
                    "indicator": codes["complaint"].pk,
                    "date": "2026-10-09",
                    "description": "需求响应超时被投诉",
                }
            ],
        },
        format="json",
    )


def test_procurement_scores_and_the_vendor_confirms(api, procurement, vendor_pm, order, annex2):
    buyer, vendor = api(procurement), api(vendor_pm)
    created = score(buyer, order, annex2)
    assert created.status_code == 201, created.json()
    body = created.json()
    assert (body["status"], body["total_score"], body["template"]) == ("draft", "94.00", annex2.pk)
    pk = body["id"]
    assert vendor.get(f"/api/v1/assessments/{pk}/").status_code == 404  # not published yet

    assert buyer.post(f"/api/v1/assessments/{pk}/publish/").json()["status"] == "published"
    assert buyer.post(f"/api/v1/assessments/{pk}/confirm/").status_code == 403
    disputed = vendor.post(f"/api/v1/assessments/{pk}/dispute/", {"reason": "投诉不属实"})
    assert (disputed.json()["status"], disputed.json()["dispute_reason"]) == (
        "disputed",
        "投诉不属实",
    )
    rescored = buyer.patch(f"/api/v1/assessments/{pk}/", {"incidents": []}, format="json")
    assert rescored.json()["total_score"] == "95.00"
    buyer.post(f"/api/v1/assessments/{pk}/publish/")
    confirmed = vendor.post(f"/api/v1/assessments/{pk}/confirm/").json()
    assert confirmed["status"] == "confirmed"
    locked = buyer.patch(f"/api/v1/assessments/{pk}/", {"incidents": []}, format="json")
    assert locked.status_code == 400
    assert locked.json() == {"detail": "2026-10 的考核状态为“已确认”，不能修改。"}


def test_a_vendor_pm_cannot_create_or_change_a_score(api, procurement, vendor_pm, order, annex2):
    assert score(api(vendor_pm), order, annex2).status_code == 403
    pk = score(api(procurement), order, annex2).json()["id"]
    api(procurement).post(f"/api/v1/assessments/{pk}/publish/")

    response = api(vendor_pm).patch(f"/api/v1/assessments/{pk}/", {"incidents": []}, format="json")

    assert response.status_code == 403
    assert Assessment.objects.get(pk=pk).total_score == Decimal("94.00")


def test_another_vendors_assessments_answer_404(api, procurement, other_vendor_pm, order, annex2):
    pk = score(api(procurement), order, annex2).json()["id"]
    api(procurement).post(f"/api/v1/assessments/{pk}/publish/")
    client = api(other_vendor_pm)

    for method, suffix in [
        ("get", ""),
        ("get", "pdf/"),
        ("get", "history/"),
        ("post", "confirm/"),
        ("post", "dispute/"),
        ("post", "publish/"),
        ("patch", ""),
    ]:
        assert getattr(client, method)(f"/api/v1/assessments/{pk}/{suffix}").status_code == 404
    assert client.get("/api/v1/assessments/").json()["count"] == 0


def test_the_assessment_form_pdf_has_the_months_figures(api, procurement, order, annex2):
    pk = score(api(procurement), order, annex2).json()["id"]

    response = api(procurement).get(f"/api/v1/assessments/{pk}/pdf/")

    text = pdf_text(response.content)
    for expected in (
        "服务质量考核表",
        "支撑能力",
        "需求响应超时被投诉",
        "2026-10-09",
        "最终得分（满分100分）",
        "94.00",
    ):
        assert expected in text, expected


def test_templates_that_do_not_add_up_are_refused_and_published_ones_are_frozen(
    api, procurement, annex2
):
    client = api(procurement)
    refused = client.post("/api/v1/assessment-templates/", KPI_004_LITERAL, format="json")
    assert refused.status_code == 400
    assert refused.json()["categories"] == [
        "直播运营：指标分值合计 30.00，与类别分值 25.00 不符。",
        "直播效果：指标分值合计 20.00，与类别分值 25.00 不符。",
    ]

    frozen = client.patch(
        f"/api/v1/assessment-templates/{annex2.pk}/", {"total": "90"}, format="json"
    )
    assert frozen.status_code == 400
    draft = client.post(f"/api/v1/assessment-templates/{annex2.pk}/new-version/").json()
    assert (draft["name"], draft["version"], draft["status"]) == (ANNEX2["name"], 2, "draft")


def test_a_new_template_version_never_changes_a_past_score(api, procurement, order, annex2):
    client = api(procurement)
    pk = score(client, order, annex2).json()["id"]
    draft = client.post(f"/api/v1/assessment-templates/{annex2.pk}/new-version/").json()
    spec = {
        **draft,
        "categories": [
            {
                **category,
                "indicators": [
                    {**i, "per_unit": "2" if i["code"] == "complaint" else i["per_unit"]}
                    for i in category["indicators"]
                ],
            }
            for category in draft["categories"]
        ],
    }
    changed = client.put(f"/api/v1/assessment-templates/{draft['id']}/", spec, format="json")
    assert changed.status_code == 200, changed.json()
    client.post(f"/api/v1/assessment-templates/{draft['id']}/publish/")

    assert client.get(f"/api/v1/assessments/{pk}/").json()["total_score"] == "94.00"
    assert Assessment.objects.get(pk=pk).template == annex2


def test_procurement_reopens_a_score_until_a_sheet_rests_on_it(
    api, procurement, vendor_pm, order, annex2
):
    from django.utils import timezone

    buyer, vendor = api(procurement), api(vendor_pm)
    pk = score(buyer, order, annex2).json()["id"]
    url = f"/api/v1/assessments/{pk}"
    buyer.post(f"{url}/publish/")
    vendor.post(f"{url}/confirm/")

    assert vendor.post(f"{url}/reopen/", {"reason": "改"}).status_code == 403
    stranger = UserFactory(
        username="b-caigou", role=User.Role.PROCUREMENT, organization=BuyerFactory(name="别家")
    )
    assert api(stranger).post(f"{url}/reopen/", {"reason": "改"}).status_code == 404
    page = Client()
    page.force_login(stranger)
    assert page.post(f"/assessments/{pk}/reopen/", {"reason": "改"}).status_code == 404
    assert buyer.post(f"{url}/reopen/", {"reason": " "}).json() == {"reason": ["该字段不能为空。"]}
    reopened = buyer.post(f"{url}/reopen/", {"reason": "投诉经核实不成立"}).json()
    assert (reopened["status"], reopened["reopened_reason"]) == ("draft", "投诉经核实不成立")
    assert vendor.get(f"{url}/").status_code == 404  # a draft again, until published

    buyer.post(f"{url}/publish/")
    vendor.post(f"{url}/confirm/")
    Assessment.objects.filter(pk=pk).update(locked_at=timezone.now())  # its sheet confirmed
    refused = buyer.post(f"{url}/reopen/", {"reason": "再改"})
    assert refused.status_code == 409
    assert refused.json() == {
        "detail": "该月结算单已确认，考核结果不能再重新打开。已签署月份的更正请开具调整结算单。"
    }
    assert Assessment.objects.get(pk=pk).status == "confirmed"
