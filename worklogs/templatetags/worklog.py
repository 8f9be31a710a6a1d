from django import template

from worklogs.kinds import log_kind

register = template.Library()


@register.filter
def work_done(log) -> str:
    """The month's work with its unit: "18.5 人天", or "320 件" delivered (002)."""
    return log_kind(log.order.contract).work_done(log)
