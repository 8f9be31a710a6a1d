from django.contrib.contenttypes.models import ContentType
from django.db.models import Exists, OuterRef

from archive.models import Document
from contracts.models import RateCardLine
from staffing.models import StaffMember


def staff_list(*, user):
    """The people the user sees, each saying whether their confidentiality undertaking is in
    the archive (`has_undertaking`)."""
    undertakings = Document.objects.filter(
        content_type=ContentType.objects.get_for_model(StaffMember),
        object_id=OuterRef("pk"),
        kind=Document.Kind.STAFF_CONFIDENTIALITY,
    )
    return (
        StaffMember.objects.visible_to(user)
        .select_related("contract", "vendor", "replaces", "replaced_by", "exception_approved_by")
        .annotate(has_undertaking=Exists(undertakings))
    )


def lacking_undertaking(staff):
    """Of `staff` (annotated by `staff_list`), those still working under the contract (or
    proposed for it) whose confidentiality undertaking is missing: flagged until the vendor
    files it."""
    return staff.filter(has_undertaking=False).exclude(
        status__in=(StaffMember.Status.LEFT, StaffMember.Status.REFUSED)
    )


def roster_roles(contract) -> tuple[list[str], list[str]]:
    """The roles and levels a contract's roster takes: those its person-day lines price, and
    its staffing roles (002), which have no level."""
    lines = [ln for ln in contract.rate_card_lines.all() if ln.unit == RateCardLine.Unit.PERSON_DAY]
    staffing = [role.role for role in contract.staffing_roles.all()]
    roles = dict.fromkeys([*(ln.role for ln in lines), *staffing])
    levels = dict.fromkeys([*(ln.level for ln in lines), *([""] if staffing else [])])
    return list(roles), list(levels)
