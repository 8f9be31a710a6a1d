"""Every model that moves through states declares its steps once (`flow`), and the API's
actions are exactly the declared steps, open to the declared roles. Each app's
`test_transitions.py` checks its pages' buttons and its services against the same declaration."""

import pytest
from django.apps import apps

from config.urls import router
from core.states import Flow

APPS = {
    "core",
    "contracts",
    "staffing",
    "orders",
    "worklogs",
    "assessment",
    "kpi",
    "governance",
    "settlement",
    "finance",
}
# A calendar year's status says where its days come from (a notice, or computed), not a step.
NOT_A_FLOW = {"CalendarYear"}


def _moving_models():
    for model in apps.get_models():
        if (
            model._meta.app_label not in APPS
            or model.__name__.startswith("Historical")
            or model.__name__ in NOT_A_FLOW
        ):
            continue
        status = next((f for f in model._meta.fields if f.name == "status"), None)
        if status is not None and status.choices:
            yield model


def test_every_model_with_states_declares_its_flow():
    missing = [
        m.__name__ for m in _moving_models() if not isinstance(getattr(m, "flow", None), Flow)
    ]
    assert missing == []


@pytest.mark.parametrize(
    "viewset",
    [
        viewset
        for _prefix, viewset, _basename in router.registry
        if isinstance(getattr(viewset.queryset.model, "flow", None), Flow)
    ],
    ids=lambda viewset: viewset.__name__,
)
def test_api_actions_are_the_declared_steps_for_the_declared_roles(viewset):
    flow = viewset.queryset.model.flow
    actions = {action.url_path for action in viewset.get_extra_actions()}
    declared = flow.action_roles()
    for step in flow:
        if not step.roles:  # taken by the system (a date passing), never by a request
            assert step.api_action not in actions
            continue
        assert step.api_action in actions, f"{viewset.__name__} has no action {step.api_action}/"
        assert set(viewset.action_roles[step.api_action]) == set(declared[step.api_action])
