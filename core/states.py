"""Moving an object along its table of allowed transitions."""

from django.utils.translation import gettext as _


def advance(instance, *, sources, target, error, frozen=None, **fields):
    """Re-reads the object under a row lock, checks the move, applies it with `fields`, saves.

    Call it inside a transaction; `error` is the app's domain error class. `frozen` is the
    refusal when the object is frozen by settlement (`locked_at` set: the vendor confirmed a
    sheet resting on it), read under the same lock as the vendor's confirmation takes.
    """
    instance = type(instance).objects.select_for_update(no_key=True).get(pk=instance.pk)
    if frozen and instance.locked_at is not None:
        raise error(frozen, conflict=True)
    if instance.status not in sources:
        status_field = instance._meta.get_field("status")
        raise error(
            _("%(object)s is %(status)s: it cannot become %(target)s.")
            % {
                "object": instance,
                "status": instance.get_status_display(),
                "target": dict(status_field.flatchoices)[target],
            },
            conflict=True,
        )
    instance.status = target
    for name, value in fields.items():
        setattr(instance, name, value)
    instance.save()
    return instance
