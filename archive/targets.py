"""What a document may attach to. The archive sits just above core, beneath every app whose
objects carry papers, so it cannot import them: each app registers its own (in its
`AppConfig.ready`), under the name the API uses for it (`contract`, `order`, `staff`, `sheet`,
`invoice`, `payment`, `acceptance`). A document is seen by exactly who sees its object: the
model's own `visible_to`; it is added by who sees the object and holds one of its `writers`
roles (an administrator always may).
"""

from dataclasses import dataclass

from django.contrib.contenttypes.models import ContentType


@dataclass(frozen=True)
class Target:
    name: str
    model: type
    # The kinds a document of this object may be, the first the default.
    kinds: tuple
    # Kinds an object of this model is expected to carry (flagged while missing).
    expected: tuple = ()
    # The roles that may add papers to an object of this model they see (they may change it).
    writers: tuple = ()
    # The lookup from an object to its contract's id (`pk` for a contract): what the
    # contract's archive (`contracts/<id>/archive/`) gathers.
    contract: str = "contract"

    @property
    def label(self) -> str:
        return str(self.model._meta.verbose_name)


TARGETS: dict[str, Target] = {}


def register(name: str, model, *, kinds, expected=(), writers=(), contract="contract") -> None:
    TARGETS[name] = Target(name, model, tuple(kinds), tuple(expected), tuple(writers), contract)


def target_of_model(model) -> Target:
    for target in TARGETS.values():
        if target.model is model:
            return target
    raise LookupError(f"{model._meta.label} takes no documents")


def content_type(target: Target) -> ContentType:
    return ContentType.objects.get_for_model(target.model)
