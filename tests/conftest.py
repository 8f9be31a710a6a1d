import pytest
from rest_framework.test import APIClient

from core.models import User
from tests.factories import BuyerFactory, ContractFactory, OrganizationFactory, UserFactory


@pytest.fixture
def buyer(db):
    return BuyerFactory(name="咪咕音乐有限公司")


@pytest.fixture
def vendor(db):
    return OrganizationFactory(name="甲供应商有限公司")


@pytest.fixture
def other_vendor(db):
    return OrganizationFactory(name="乙供应商有限公司")


@pytest.fixture
def procurement(buyer):
    return UserFactory(username="caigou", role=User.Role.PROCUREMENT, organization=buyer)


@pytest.fixture
def finance(buyer):
    return UserFactory(username="caiwu", role=User.Role.FINANCE, organization=buyer)


@pytest.fixture
def vendor_pm(vendor):
    return UserFactory(username="pm", role=User.Role.VENDOR_PM, organization=vendor)


@pytest.fixture
def other_vendor_pm(other_vendor):
    return UserFactory(username="pm2", role=User.Role.VENDOR_PM, organization=other_vendor)


@pytest.fixture
def contract(buyer, vendor):
    return ContractFactory(buyer=buyer, vendor=vendor)


@pytest.fixture
def other_contract(buyer, other_vendor):
    return ContractFactory(buyer=buyer, vendor=other_vendor)


@pytest.fixture
def api():
    """api(user) → a REST client logged in as that user (anonymous without one)."""

    def client_for(user=None):
        client = APIClient()
        if user is not None:
            client.force_authenticate(user)
        return client

    return client_for


def pytest_report_header(config):
    from django.conf import settings

    broker = "redis" if settings.REDIS_URL else "eager (no broker)"
    return f"database: {settings.DATABASES['default']['ENGINE']}; celery: {broker}"


@pytest.fixture
def active_contract(contract):
    """The vendor's contract with a priced rate card, active."""
    from contracts.services import contract_activate
    from tests.factories import rate_card

    rate_card(contract)
    return contract_activate(contract=contract)


@pytest.fixture
def other_active_contract(other_contract):
    from contracts.services import contract_activate
    from tests.factories import rate_card

    rate_card(other_contract)
    return contract_activate(contract=other_contract)
