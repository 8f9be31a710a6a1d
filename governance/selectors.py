from datetime import date

from django.db.models import Count, Q, QuerySet

from contracts.models import FrameworkContract
from governance.models import Rectification

Status = Rectification.Status


def rectification_list(*, user) -> QuerySet:
    return Rectification.objects.visible_to(user).select_related(
        "contract__vendor", "order", "staff", "incident__assessment"
    )


def overdue(queryset: QuerySet, *, today: date) -> QuerySet:
    """Requests still unanswered after their due day (due days are working days)."""
    return queryset.filter(status=Status.OPEN, due_on__lt=today)


def rectification_counts(*, contract: FrameworkContract, today: date) -> dict:
    """2.10 on the contract page: how many failed, are open, and of those are overdue."""
    return contract.rectifications.aggregate(
        failed=Count("pk", filter=Q(status=Status.FAILED)),
        open=Count("pk", filter=Q(status=Status.OPEN)),
        overdue=Count("pk", filter=Q(status=Status.OPEN, due_on__lt=today)),
        answered=Count("pk", filter=Q(status=Status.ANSWERED)),
    )
