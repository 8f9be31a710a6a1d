import pytest

from assessment.models import AssessmentTemplate
from assessment.services import template_adopt
from tests.worklogs.conftest import issued_order

ANNEX2_NAME = "服务质量考核办法（附件2）"
KPI_NAME = "安源区就业之家线上推广运营考核表（004）"


@pytest.fixture
def order(active_contract):
    return issued_order(active_contract)


def adopted(name, buyer):
    """The buyer's own copy of a shared starter, the template its contracts are scored on."""
    return template_adopt(
        starter=AssessmentTemplate.objects.get(name=name, buyer=None, version=1), buyer=buyer
    )


@pytest.fixture
def annex2(buyer):
    return adopted(ANNEX2_NAME, buyer)


@pytest.fixture
def kpi(buyer):
    return adopted(KPI_NAME, buyer)


def by_code(template):
    return {i.code: i for c in template.categories.all() for i in c.indicators.all()}
