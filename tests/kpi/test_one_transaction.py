"""A KPI page's form is one write: when its second half is refused, its first is not kept."""

from decimal import Decimal

import pytest

from assessment.models import Assessment, Indicator
from demo.fixed_price import approved_reports
from tests.kpi.test_milestones import AT_92, AT_92_SESSIONS
from tests.pages import browser

pytestmark = pytest.mark.django_db


def test_a_period_scored_and_refused_its_publication_keeps_no_score(kpi_order, procurement):
    approved_reports(kpi_order, AT_92, procurement, sessions=AT_92_SESSIONS)
    # A score given by hand that the page does not ask for: the score is computed, and its
    # publication refused for want of it.
    category = kpi_order.contract.assessment_template.categories.first()
    Indicator.objects.create(
        category=category, code="manual", name="服务态度", kind="manual", max=Decimal(5)
    )

    answer = browser(procurement).post(
        f"/orders/{kpi_order.pk}/kpi-period/6/", {"bonus_honours": "2", "publish": ""}, follow=True
    )

    assert "服务态度" in answer.content.decode()
    assert not Assessment.objects.filter(order=kpi_order).exists()
