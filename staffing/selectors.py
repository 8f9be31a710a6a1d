from contracts.models import RateCardLine
from staffing.models import StaffMember


def staff_list(*, user):
    return StaffMember.objects.visible_to(user).select_related(
        "contract", "vendor", "replaces", "replaced_by", "exception_approved_by"
    )


def roster_roles(contract) -> tuple[list[str], list[str]]:
    """The roles and levels a contract's roster takes: those its person-day lines price, and
    its staffing roles (002), which have no level."""
    lines = [ln for ln in contract.rate_card_lines.all() if ln.unit == RateCardLine.Unit.PERSON_DAY]
    staffing = [role.role for role in contract.staffing_roles.all()]
    roles = dict.fromkeys([*(ln.role for ln in lines), *staffing])
    levels = dict.fromkeys([*(ln.level for ln in lines), *([""] if staffing else [])])
    return list(roles), list(levels)
