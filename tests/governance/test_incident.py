"""A failed rectification becomes an incident of its order's score for the month it was issued
in (SPEC §5), so the score and the record agree: the deduction is taken, both pages link to each
other, re-saving the scoring form or the API keeps the link, and a score no longer editable, a
request not failed or one already linked is a 409 that changes nothing."""

from datetime import date
from decimal import Decimal

import pytest

from assessment.models import Assessment, Incident
from assessment.services import assessment_open, assessment_publish, assessment_save
from governance.models import Rectification
from tests.assessment.conftest import by_code
from tests.governance.conftest import answered, failed
from tests.pages import browser

pytestmark = pytest.mark.django_db
OCTOBER = date(2026, 10, 1)


@pytest.fixture
def codes(order):
    return by_code(order.contract.assessment_template)


@pytest.fixture
def october(order, codes):
    """附件2 quality 45 and one complaint: 45 + 20 + 9 + 10 + 10 = 94.00."""
    return assessment_save(
        assessment=assessment_open(order=order, month=OCTOBER),
        entries=[{"indicator": codes["quality"].pk, "value": Decimal("45")}],
        incidents=[
            {"indicator": codes["complaint"].pk, "date": date(2026, 10, 8), "description": "投诉"}
        ],
    )


def link(api, user, rectification, indicator):
    return api(user).post(
        f"/api/v1/rectifications/{rectification.pk}/link-incident/",
        {"indicator": indicator.pk},
        format="json",
    )


def test_the_failure_is_deducted_in_its_months_score(
    api, procurement, vendor_pm, order, codes, october
):
    assert october.total_score == Decimal("94.00")
    rectification = failed(order, procurement, vendor_pm)  # issued 12 October

    response = link(api, procurement, rectification, codes["capability"])

    assert response.status_code == 200, response.json()
    october.refresh_from_db()
    incident = Incident.objects.get(pk=response.json()["incident"])
    assert incident.assessment == october
    assert (incident.indicator, incident.date) == (codes["capability"], date(2026, 10, 12))
    assert incident.description.startswith(f"整改不达标（2.10，整改通知第{rectification.pk}号）")
    # 支撑能力 20 − 0.5 for one incident: 94.00 − 0.50.
    assert october.entries.get(indicator=codes["capability"]).score == Decimal("19.50")
    assert october.total_score == Decimal("93.50")

    detail = browser(procurement).get(f"/governance/rectifications/{rectification.pk}/")
    assert f"/orders/{order.pk}/assessment/2026-10/" in detail.content.decode()
    score_page = browser(procurement).get(f"/orders/{order.pk}/assessment/2026-10/")
    assert f"/governance/rectifications/{rectification.pk}/" in score_page.content.decode()


def test_re_saving_the_score_keeps_the_linked_incident(
    api, procurement, vendor_pm, order, codes, october
):
    rectification = failed(order, procurement, vendor_pm)
    link(api, procurement, rectification, codes["capability"])
    complaint, linked = october.incidents.order_by("date")

    page = browser(procurement).post(
        f"/orders/{order.pk}/assessment/2026-10/",
        {
            f"value-{codes['quality'].pk}": "46",
            "incident-rows": "2",
            **{
                f"incident-{row}-{name}": value
                for row, incident in enumerate([complaint, linked])
                for name, value in {
                    "id": incident.pk,
                    "indicator": incident.indicator_id,
                    "date": incident.date.isoformat(),
                    "description": incident.description,
                }.items()
            },
        },
    )
    assert page.status_code == 302
    api_save = api(procurement).patch(
        f"/api/v1/assessments/{october.pk}/",
        {"entries": [{"indicator": codes["quality"].pk, "value": "47"}]},
        format="json",
    )
    assert api_save.status_code == 200, api_save.json()

    rectification.refresh_from_db()
    assert rectification.incident_id == linked.pk
    october.refresh_from_db()
    # Quality 47, the two incidents still deducted: 47 + 19.5 + 9 + 10 + 10.
    assert october.total_score == Decimal("95.50")
    assert october.incidents.count() == 2


def test_a_published_score_an_unfailed_request_or_a_second_link_is_409(
    api, procurement, vendor_pm, order, codes, october
):
    waiting = answered(order, procurement, vendor_pm)
    rectification = failed(order, procurement, vendor_pm)
    assessment_publish(assessment=october, actor=procurement)

    published = link(api, procurement, rectification, codes["capability"])
    not_failed = link(api, procurement, waiting, codes["capability"])

    assert published.status_code == 409
    assert published.json() == {
        "detail": "2026-10 的考核状态为“已发布”：请先重新打开考核，再计入该事件。"
    }
    assert not_failed.status_code == 409
    assert Assessment.objects.get(pk=october.pk).total_score == Decimal("94.00")
    assert Rectification.objects.get(pk=rectification.pk).incident is None

    Assessment.objects.filter(pk=october.pk).update(status=Assessment.Status.DISPUTED)
    assert link(api, procurement, rectification, codes["capability"]).status_code == 200
    assert link(api, procurement, rectification, codes["complaint"]).status_code == 409
    assert link(api, vendor_pm, rectification, codes["complaint"]).status_code == 403


def test_only_a_deduction_of_the_scores_template_is_taken(
    api, procurement, vendor_pm, order, codes, october
):
    rectification = failed(order, procurement, vendor_pm)

    response = link(api, procurement, rectification, codes["quality"])

    assert response.status_code == 400
    assert response.json() == {"indicator": ["请选择该考核模板中的扣分项。"]}
    assert october.incidents.count() == 1
