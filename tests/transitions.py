"""What every app's transition test shares: the page's buttons, the API's actions and the
service agree with the model's one declaration of its steps (`core.states.Flow`).

A page marks each step's form `data-step="<name>"`. For each user and each step, `flow_agrees`
checks that the page offers the step exactly when `flow.allowed` names it, and that the API
takes it exactly then: 2xx when allowed, 403 to a role the step does not name, 409 to a state
it does not leave from (or a guard that holds it back). Each API call runs in a savepoint
rolled back after it, so every step starts from the same object.
"""

import re

from django.db import transaction
from rest_framework.test import APIClient

from tests.pages import browser

STEP = re.compile(r'data-step="([\w-]+)"')


def shown_steps(user, page: str) -> set[str] | None:
    """The steps the page offers the user, or None when the user may not see it (404)."""
    response = browser(user).get(page)
    if response.status_code == 404:
        return None
    assert response.status_code == 200, (page, response.status_code)
    return set(STEP.findall(response.content.decode()))


def api_status(user, url: str, data: dict) -> int:
    client = APIClient()
    client.force_authenticate(user)
    with transaction.atomic():
        status = client.post(url, data, format="json").status_code
        transaction.set_rollback(True)
    return status


def flow_agrees(*, flow, obj, page: str, api: str, users, data=None) -> None:
    """`api` is the object's REST URL (`/api/v1/worklogs/7/`); `data` the body each API
    action needs ({action: {...}})."""
    data = data or {}
    for user in users:
        allowed = flow.allowed(obj, user)
        shown = shown_steps(user, page)
        if shown is None:  # the object is not the user's: no button, and the API answers 404
            for step in flow:
                assert api_status(user, f"{api}{step.api_action}/", {}) == 404
            continue
        assert shown & set(flow.steps) == allowed, (user.username, obj.status, shown, allowed)
        for action, steps in _by_action(flow).items():
            status = api_status(user, f"{api}{action}/", data.get(action, {}))
            if any(step.name in allowed for step in steps):
                expected = {200, 201}
            elif not any(user.has_role(*step.roles) for step in steps):
                expected = {403}
            else:
                expected = {409}
            assert status in expected, (user.username, obj.status, action, status)


def _by_action(flow) -> dict:
    """The steps behind each API action (a sheet's `confirm/` is the vendor's confirmation and
    the buyer's signature); steps the system takes have no action."""
    actions = {}
    for step in flow:
        if step.roles:
            actions.setdefault(step.api_action, []).append(step)
    return actions
