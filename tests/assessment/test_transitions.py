"""The steps of a monthly score and of a template agree on their pages, in the API and in the
services: procurement publishes a score (again after a dispute) and reopens it until a
confirmed sheet rests on it; the vendor confirms or disputes it; a template is published once,
then changed by a new version only."""

from datetime import date
from decimal import Decimal

import pytest
from django.utils import timezone

from assessment.models import Assessment, AssessmentTemplate
from assessment.services import (
    AssessmentError,
    assessment_confirm,
    assessment_dispute,
    assessment_open,
    assessment_publish,
    assessment_reopen,
    assessment_save,
    template_create,
    template_publish,
    template_spec,
)
from contracts.services import contract_update
from tests.assessment.conftest import by_code
from tests.transitions import flow_agrees

pytestmark = pytest.mark.django_db
Status = Assessment.Status
LOCKED = "locked"  # confirmed, and a sheet the vendor confirmed rests on it


@pytest.fixture
def users(vendor_pm, other_vendor_pm, procurement, finance):
    return [vendor_pm, other_vendor_pm, procurement, finance]


def score_in(state, order, annex2, procurement, vendor_pm):
    assessment = assessment_save(
        assessment=assessment_open(order=order, month=date(2026, 10, 1)),
        entries=[{"indicator": by_code(annex2)["quality"].pk, "value": Decimal("45")}],
        incidents=[],
    )
    if state != Status.DRAFT:
        assessment = assessment_publish(assessment=assessment, actor=procurement)
    if state == Status.DISPUTED:
        assessment = assessment_dispute(assessment=assessment, reason="投诉不属实")
    if state in (Status.CONFIRMED, LOCKED):
        assessment = assessment_confirm(assessment=assessment, actor=vendor_pm)
    if state == LOCKED:
        # What settlement does when the vendor confirms the month's sheet.
        Assessment.objects.filter(pk=assessment.pk).update(locked_at=timezone.now())
    return Assessment.objects.get(pk=assessment.pk)


@pytest.mark.parametrize("state", [*Status.values, LOCKED])
def test_a_scores_page_api_and_flow_agree(state, order, annex2, users, procurement, vendor_pm):
    assessment = score_in(state, order, annex2, procurement, vendor_pm)
    flow_agrees(
        flow=Assessment.flow,
        obj=assessment,
        page=f"/orders/{order.pk}/assessment/2026-10/",
        api=f"/api/v1/assessments/{assessment.pk}/",
        users=users,
        data={"dispute": {"reason": "投诉不属实"}, "reopen": {"reason": "漏记一次投诉"}},
    )


def test_a_locked_score_is_refused_its_reopening_by_name(order, annex2, procurement, vendor_pm):
    assessment = score_in(LOCKED, order, annex2, procurement, vendor_pm)
    with pytest.raises(AssessmentError, match="调整结算单") as refused:
        assessment_reopen(assessment=assessment, reason="漏记一次投诉")
    assert refused.value.status == 409


@pytest.mark.parametrize("status", AssessmentTemplate.Status.values)
def test_a_templates_page_api_and_flow_agree(status, contract, annex2, users, procurement):
    template = template_create(
        spec={**template_spec(annex2), "name": "本单位考核办法"}, actor=procurement
    )
    if status == AssessmentTemplate.Status.PUBLISHED:
        template = template_publish(template=template, actor=procurement)
        # Scoring the contract on it shows it to the contract's vendor and to finance.
        contract_update(contract=contract, assessment_template=template)
    flow_agrees(
        flow=AssessmentTemplate.flow,
        obj=template,
        page=f"/assessment-templates/{template.pk}/",
        api=f"/api/v1/assessment-templates/{template.pk}/",
        users=users,
    )
