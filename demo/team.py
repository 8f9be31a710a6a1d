"""003's team beyond the happy path (2.9, 3.2.4): a proposed member procurement refused with
its reason, and a replacement procurement demanded three weeks ago, its 10 working days past."""

from datetime import timedelta

from django.utils import timezone

from demo.common import id_number
from staffing.models import StaffMember
from staffing.services import staff_create, staff_demand_replacement, staff_refuse


def load_team(contract, *, procurement) -> None:
    """Idempotent: adds nothing once the refused member is there."""
    if contract.staff.filter(status=StaffMember.Status.REFUSED).exists():
        return
    proposed = staff_create(
        contract=contract,
        id_number=id_number(121),
        name="钱程",
        role="技术支持",
        level="中级",
        education="本科",
        years_experience=3,
        phone="13900000121",
        start_date=timezone.localdate(),
    )
    staff_refuse(
        member=proposed,
        actor=procurement,
        reason="面试中对现网运维流程不熟悉，请另荐人选。",
    )
    staff_demand_replacement(
        member=contract.staff.get(name="吴婷"),
        reason="多次未按时响应工单，服务达不到要求（3.2.4）。",
        today=timezone.localdate() - timedelta(days=21),
    )
