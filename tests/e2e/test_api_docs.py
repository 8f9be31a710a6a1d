"""The API's docs (`/api/v1/docs/`, Swagger UI) as a REST client's developer reads them: an
action lists the errors it can answer, each with its body, beside its answer and an example."""

import pytest

from core.models import User
from tests.e2e.conftest import PASSWORD, login, shot
from tests.factories import BuyerFactory


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_the_docs_show_each_operations_errors(live_server, browser):
    User.objects.create_user(
        "caigou", password=PASSWORD, role=User.Role.PROCUREMENT, organization=BuyerFactory()
    )
    page = login(browser, live_server, "caigou")
    # A link to an operation opens it (Swagger UI draws the operations as they are opened).
    page.goto(f"{live_server.url}/api/v1/docs/#/settlements/settlements_confirm_create")
    confirm = page.locator("#operations-settlements-settlements_confirm_create")
    responses = confirm.locator("tr.response")
    responses.first.wait_for()
    codes = responses.evaluate_all("rows => rows.map(row => row.dataset.code)")
    assert codes == ["200", "400", "401", "403", "404", "409", "429"]
    conflict = confirm.locator("tr.response[data-code='409']")
    conflict.scroll_into_view_if_needed()
    assert "another user is changing it" in conflict.inner_text()
    assert "其他用户正在修改相同的记录" in conflict.inner_text()  # its body's example
    shot(page, "api-docs-errors")

    # An order's creation shows its example, with its lines.
    page.goto("about:blank")  # a new page load: a change of the link's hash alone opens nothing
    page.goto(f"{live_server.url}/api/v1/docs/#/orders/orders_create")
    create = page.locator("#operations-orders-orders_create")
    create.locator("tr.response").first.wait_for()
    assert "An order with its lines" in create.inner_text()
    assert "41.5" in create.inner_text()
