import pytest

from contracts.models import AssessmentTemplate
from tests.worklogs.conftest import issued_order

ANNEX2_NAME = "服务质量考核办法（附件2）"
KPI_NAME = "安源区就业之家线上推广运营考核表（004）"


@pytest.fixture
def order(active_contract):
    return issued_order(active_contract)


@pytest.fixture
def annex2():
    return AssessmentTemplate.objects.get(name=ANNEX2_NAME, version=1)


@pytest.fixture
def kpi():
    return AssessmentTemplate.objects.get(name=KPI_NAME, version=1)


def by_code(template):
    return {i.code: i for c in template.categories.all() for i in c.indicators.all()}
