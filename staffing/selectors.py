from staffing.models import StaffMember


def staff_list(*, user):
    return StaffMember.objects.visible_to(user).select_related(
        "contract", "vendor", "replaces", "replaced_by", "exception_approved_by"
    )
