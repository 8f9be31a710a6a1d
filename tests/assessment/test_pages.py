"""Scoring in the browser: the form previews and saves the figures and incidents of 附件2 whole or
not at all, the vendor confirms, and procurement keeps its templates."""

from datetime import date

import pytest
from django.test import Client

from assessment.models import Assessment
from tests.assessment.conftest import by_code

pytestmark = pytest.mark.django_db


def browser(user):
    client = Client()
    client.force_login(user)
    return client


def test_procurement_scores_in_the_browser_and_the_vendor_confirms(
    procurement, vendor_pm, order, annex2
):
    codes = by_code(annex2)
    url = f"/orders/{order.pk}/assessment/2026-10/"
    buyer = browser(procurement)
    page = buyer.get(url).content.decode()
    assert "服务质量考核" in page and "scoring.js" in page

    form = {f"value-{codes['quality'].pk}": "45", "incident-rows": "4", "publish": ""}
    for row, code in enumerate(("capability", "complaint", "security", "management")):
        form |= {
            f"incident-{row}-indicator": codes[code].pk,
            f"incident-{row}-date": f"2026-10-1{row}",
            f"incident-{row}-description": f"{code} 事件",
        }
    posted = buyer.post(url, form)
    assert posted.status_code == 302

    assessment = Assessment.objects.get()
    assert (assessment.status, str(assessment.total_score)) == ("published", "90.00")
    vendor = browser(vendor_pm)
    assert "确认考核结果" in vendor.get(url).content.decode()
    vendor.post(f"/assessments/{assessment.pk}/confirm/")
    assessment.refresh_from_db()
    assert assessment.status == "confirmed"
    assert buyer.get(f"/assessments/{assessment.pk}/pdf/")["Content-Type"] == "application/pdf"


def test_bad_figures_are_shown_and_nothing_is_saved(procurement, order, annex2):
    codes = by_code(annex2)

    page = (
        browser(procurement)
        .post(
            f"/orders/{order.pk}/assessment/2026-10/",
            {f"value-{codes['quality'].pk}": "60", "incident-rows": "0", "save": ""},
        )
        .content.decode()
    )

    assert "60 超出 0 – 50.00" in page
    assert not Assessment.objects.exists()


def test_pages_of_another_vendor_and_unpublished_scores_are_404(
    procurement, vendor_pm, other_vendor_pm, order, annex2
):
    codes = by_code(annex2)
    url = f"/orders/{order.pk}/assessment/2026-10/"
    browser(procurement).post(
        url, {f"value-{codes['quality'].pk}": "45", "incident-rows": "0", "save": ""}
    )
    assessment = Assessment.objects.get()

    assert browser(vendor_pm).get(url).status_code == 404  # a draft is the buyer's
    stranger = browser(other_vendor_pm)
    for path in (url, f"/orders/{order.pk}/assessment/", f"/assessments/{assessment.pk}/pdf/"):
        assert stranger.get(path).status_code == 404, path
    assert stranger.post(f"/assessments/{assessment.pk}/confirm/").status_code == 404
    assert browser(vendor_pm).post(url, {}).status_code == 404


def test_procurement_keeps_templates_in_the_browser(procurement, annex2):
    client = browser(procurement)
    assert "服务质量考核办法" in client.get("/assessment-templates/").content.decode()

    client.post(f"/assessment-templates/{annex2.pk}/", {"new_version": ""})
    draft = annex2.__class__.objects.get(name=annex2.name, version=2)
    page = client.get(f"/assessment-templates/{draft.pk}/").content.decode()
    rows = {
        "rows": "1",
        "total": "100",
        "0-category": "服务质量考核",
        "0-category_max": "50",
        "0-code": "quality",
        "0-name": "支撑质量考核",
        "0-kind": "manual",
        "0-max": "50",
    }
    refused = client.post(f"/assessment-templates/{draft.pk}/", rows).content.decode()

    assert 'name="publish"' in page
    assert "各类别分值合计 50.00，与总分 100.00 不符。" in refused


def test_a_forged_form_is_refused_not_a_500(procurement, order, annex2):
    codes = by_code(annex2)
    client = browser(procurement)
    url = f"/orders/{order.pk}/assessment/2026-10/"

    for form in (
        {"incident-rows": "x"},
        {"incident-rows": "1", "incident-0-indicator": "abc", "incident-0-date": "2026-10-02"},
        {f"count-{codes['complaint'].pk}": "1.5", "incident-rows": "0"},
    ):
        response = client.post(url, {f"value-{codes['quality'].pk}": "45", **form})
        assert response.status_code == 200
        assert "不是" in response.content.decode()
    assert not Assessment.objects.exists()


def test_procurement_reopens_a_confirmed_score_in_the_browser(
    procurement, vendor_pm, order, annex2
):
    from demo.common import published_score

    assessment = published_score(order, date(2026, 10, 1), "45", [], procurement)
    browser(vendor_pm).post(f"/assessments/{assessment.pk}/confirm/")
    buyer = browser(procurement)
    url = f"/orders/{order.pk}/assessment/2026-10/"
    assert "更正考核结果" in buyer.get(url).content.decode()
    assert "更正考核结果" not in browser(vendor_pm).get(url).content.decode()

    buyer.post(f"/assessments/{assessment.pk}/reopen/", {"reason": "漏记一次投诉"})

    page = buyer.get(url).content.decode()
    assert "考核结果已退回草稿：请修改后重新发布。" in page and "漏记一次投诉" in page
    assessment.refresh_from_db()
    assert assessment.status == "draft"


@pytest.mark.parametrize("rows", ["99999999", "501", "9" * 5000])
def test_a_posted_count_of_rows_is_bounded(procurement, order, annex2, rows):
    """incident-rows=99999999 looped 200 s and the template editor's rows=99999999 82 s, each
    as long as the client asked; the forms take 500 rows at most and say so."""
    client = browser(procurement)
    codes = by_code(annex2)
    client.post(f"/assessment-templates/{annex2.pk}/", {"new_version": ""})
    draft = annex2.__class__.objects.get(name=annex2.name, version=2)

    scoring = client.post(
        f"/orders/{order.pk}/assessment/2026-10/",
        {f"value-{codes['quality'].pk}": "45", "incident-rows": rows, "save": ""},
    )
    editing = client.post(f"/assessment-templates/{draft.pk}/", {"rows": rows, "total": "100"})

    for answer in (scoring, editing):
        assert answer.status_code == 200
        text = answer.content.decode()
        if len(rows) < 10:
            assert f"表单提交了 {rows} 行，最多只接受 500 行。" in text
        else:
            assert "超出范围：整数部分最多 9 位。" in text
    assert not Assessment.objects.exists()
    assert draft.categories.count() == annex2.categories.count()


@pytest.mark.parametrize(
    ("typed", "message"),
    [
        ("NaN", "第1行：“NaN”不是数字：请只用数字书写，如 1250.50。"),
        ("1e1000000", "第1行：“1e1000000”不是数字"),
        ("12345", "第1行：12345 超出范围：整数部分最多 4 位。"),
    ],
)
def test_a_template_figure_that_is_no_plain_number_is_named(procurement, annex2, typed, message):
    client = browser(procurement)
    client.post(f"/assessment-templates/{annex2.pk}/", {"new_version": ""})
    draft = annex2.__class__.objects.get(name=annex2.name, version=2)
    rows = {
        "rows": "1",
        "total": "100",
        "0-category": "服务质量考核",
        "0-category_max": "50",
        "0-code": "quality",
        "0-name": "支撑质量考核",
        "0-kind": "manual",
        "0-max": typed,
    }

    refused = client.post(f"/assessment-templates/{draft.pk}/", rows)

    assert refused.status_code == 200
    assert message in refused.content.decode()
