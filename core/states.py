"""How an object moves through its states: one declaration per model, read by everyone.

A model declares its `flow`: the steps it may take, each with the states it leaves from, the
state it reaches, who takes it and, where a state is not enough, a guard. The service performs a
step with `advance` (which checks it under a row lock), the page shows a step's button only when
`flow.allowed(obj, user)` names it, and the API's viewset takes its `action_roles` from
`flow.action_roles()`. `tests/test_transitions.py` proves the three agree for every model.
"""

from collections.abc import Callable
from dataclasses import dataclass

from django.utils.translation import gettext as _


@dataclass(frozen=True)
class Step:
    """One allowed move: `name` is the service's verb, the API's action and the button's key."""

    name: str
    sources: tuple[str, ...]
    target: str
    roles: tuple[str, ...]
    # A condition beyond the state, read from the object alone (no query): when it is false
    # the step is not offered and the service refuses it.
    guard: Callable[[object], bool] | None = None
    # The API action's URL path when it is not the step's name: the vendor's confirmation and
    # the buyer's signature of a sheet are both `confirm/`, told apart by who calls it.
    action: str = ""

    @property
    def api_action(self) -> str:
        return self.action or self.name

    def may(self, instance, user=None) -> bool:
        """Whether the object (and the user, when given) may take this step now."""
        if instance.status not in self.sources:
            return False
        if self.guard is not None and not self.guard(instance):
            return False
        return user is None or user.has_role(*self.roles)


class Flow:
    """The steps of one model, by name."""

    def __init__(self, *steps: Step):
        self.steps = {step.name: step for step in steps}

    def __getitem__(self, name: str) -> Step:
        return self.steps[name]

    def __iter__(self):
        return iter(self.steps.values())

    def allowed(self, instance, user) -> set[str]:
        """The names of the steps the user may take on the object now: the page's buttons."""
        if instance is None:
            return set()
        return {step.name for step in self if step.may(instance, user)}

    def action_roles(self) -> dict[str, tuple[str, ...]]:
        """Who may call each API action, by its URL path (a viewset's `action_roles`)."""
        roles = {}
        for step in self:
            roles[step.api_action] = (*roles.get(step.api_action, ()), *step.roles)
        return roles


def advance(instance, step: Step, *, error, frozen=None, **fields):
    """Re-reads the object under a row lock, checks the step, applies it with `fields`, saves.

    Call it inside a transaction; `error` is the app's domain error class. `frozen` is the
    refusal when the object is frozen by settlement (`locked_at` set: the vendor confirmed a
    sheet resting on it), read under the same lock as the vendor's confirmation takes.
    """
    instance = type(instance).objects.select_for_update(no_key=True).get(pk=instance.pk)
    if frozen and instance.locked_at is not None:
        raise error(frozen, conflict=True)
    if not step.may(instance):
        status_field = instance._meta.get_field("status")
        raise error(
            _("%(object)s is %(status)s: it cannot become %(target)s.")
            % {
                "object": instance,
                "status": instance.get_status_display(),
                "target": dict(status_field.flatchoices)[step.target],
            },
            conflict=True,
        )
    instance.status = step.target
    for name, value in fields.items():
        setattr(instance, name, value)
    instance.save()
    return instance
