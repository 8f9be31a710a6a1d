import re
from datetime import date

import pytest

from orders.services import order_create, order_issue
from staffing.services import staff_create
from tests.factories import approved, id_number


def member(contract, serial, **overrides):
    fields = {
        "name": f"员工{serial}",
        "phone": "13812345678",
        "education": "本科",
        "years_experience": 9,
        "role": "产品/平台服务",
        "level": "高级",
        "start_date": date(2026, 1, 1),
    }
    made = staff_create(contract=contract, id_number=id_number(serial), **{**fields, **overrides})
    # Approved (2.9) unless below the rule: then his exception waits for procurement.
    return made if made.qualification_issue else approved(made)


def issued_order(contract, name="运营支撑", start=date(2026, 2, 1), end=date(2026, 11, 30)):
    order = order_create(
        contract=contract,
        name=name,
        service_start=start,
        service_end=end,
        lines=[{"role": "产品/平台服务", "level": "高级", "planned_quantity": "200"}],
    )
    return order_issue(order=order)


@pytest.fixture
def order(active_contract):
    return issued_order(active_contract)


@pytest.fixture
def staff(active_contract):
    return [member(active_contract, serial) for serial in (1, 2)]


def report_rows(page: str) -> list[list[str]]:
    """The rows of a refused upload's table of problems, as the user reads them: worksheet,
    row, column, value typed, problem."""
    body = page.split('class="table compact problems upload-problems"', 1)[1].split("</tbody>")[0]
    return [
        [re.sub(r"<[^>]+>", "", cell).strip() for cell in re.findall(r"<td[^>]*>(.*?)</td>", row)]
        for row in re.findall(r"<tr>(.*?)</tr>", body, re.S)[1:]  # the header row first
    ]
