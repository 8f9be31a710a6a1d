"""Who changed what and when, from the django-simple-history records of an object and its parts.

Personal data is never shown: fields named in HIDDEN_FIELDS appear as changed, not with values.
"""

from datetime import datetime

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.decorators import action
from rest_framework.response import Response

HIDDEN_FIELDS = {"phone", "id_number_digest"}
ACTIONS = {"+": gettext_lazy("created"), "~": gettext_lazy("changed"), "-": gettext_lazy("deleted")}


def _value(record, field):
    value = getattr(record, field.attname)
    if field.name in HIDDEN_FIELDS:
        return "***"
    if field.choices:
        return str(dict(field.flatchoices).get(value, value))
    if isinstance(field, models.ForeignKey):
        related = getattr(record, field.name, None)
        return "" if related is None else str(related)
    if isinstance(value, bool):
        return str(_("yes") if value else _("no"))
    if isinstance(value, datetime):
        return f"{timezone.localtime(value):%Y-%m-%d %H:%M}"
    return "" if value is None else str(value)


def _entry(record, label):
    kept = {field.attname for field in record._meta.fields}  # excluded fields are not kept
    fields = [
        field
        for field in record.instance_type._meta.fields
        if field.attname in kept and field.name != "id"
    ]
    previous = record.prev_record
    changes = []
    for field in fields:
        new = _value(record, field)
        old = _value(previous, field) if previous is not None else ""
        if (record.history_type == "+" and new == "") or (previous is not None and old == new):
            continue
        if record.history_type == "-":
            continue
        changes.append({"field": str(field.verbose_name), "old": old, "new": new})
    return {
        "at": record.history_date,
        "user": str(record.history_user) if record.history_user else _("system"),
        "action": str(ACTIONS.get(record.history_type, record.history_type)),
        "object": label(record),
        "changes": changes,
        "reason": record.history_change_reason or "",  # why, when the change says (_change_reason)
    }


def history_entries(instance, parts=()):
    """The object's history and that of its parts (`(related history queryset, label)`),
    newest first."""
    records = [(record, lambda r: str(instance)) for record in instance.history.all()]
    for queryset, label in parts:
        records += [(record, label) for record in queryset]
    entries = [_entry(record, label) for record, label in records]
    # A save that changed nothing (kept from before saves compared first) is not shown.
    entries = [
        entry
        for entry, (record, _label) in zip(entries, records, strict=True)
        if record.history_type != "~" or entry["changes"] or entry.get("reason")
    ]
    return sorted(entries, key=lambda entry: entry["at"], reverse=True)


class HistoryEntrySerializer(serializers.Serializer):
    at = serializers.DateTimeField()
    user = serializers.CharField()
    action = serializers.CharField()
    object = serializers.CharField()
    changes = serializers.ListField(child=serializers.DictField(child=serializers.CharField()))
    reason = serializers.CharField(allow_blank=True)


class HistoryMixin:
    """`GET <resource>/<id>/history/`: who changed what and when (`history_selector(obj)`)."""

    history_selector = staticmethod(history_entries)

    @extend_schema(responses=HistoryEntrySerializer(many=True))
    @action(detail=True, methods=["get"], pagination_class=None, filter_backends=[])
    def history(self, request, pk=None):
        entries = self.history_selector(self.get_object())
        return Response(HistoryEntrySerializer(entries, many=True).data)
