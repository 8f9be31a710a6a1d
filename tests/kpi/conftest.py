from datetime import date

import pytest

from demo.fixed_price import fixed_price_contract


@pytest.fixture
def kpi_order(buyer, vendor):
    """Seed 004's contract (service 2026-01 to 2026-12) and its issued order."""
    _contract, order = fixed_price_contract(
        buyer=buyer,
        vendor=vendor,
        code="AYQ-2026-004",
        signed_on=date(2026, 1, 1),
        service_start=date(2026, 1, 1),
    )
    return order
