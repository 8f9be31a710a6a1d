"""Staff personal data kept only as long as allowed (附件5, PIPL; README, Personal data): a
contract's people's ID numbers (the keyed digest and the mask) and phones are erased, in their
history too, `PERSONAL_DATA_YEARS` after the contract ended; their names stay. An
administrator exports one person's data on request."""

from datetime import date

from django.conf import settings
from django.db import transaction
from django.db.models import Q

from contracts.models import FrameworkContract
from core.dates import add_months
from staffing.models import PersonalDataErasure, StaffMember

ERASED = {"id_number_digest": "", "id_number_masked": "", "phone": ""}


def _kept_in_history(fields: dict) -> dict:
    """Of `fields`, those the history keeps (not the digest, which it never records)."""
    names = {field.name for field in StaffMember.history.model._meta.get_fields()}
    return {name: value for name, value in fields.items() if name in names}


def ended_on(contract) -> date:
    return contract.terminated_on or contract.end_date


@transaction.atomic
def personal_data_erase_due(*, today: date) -> list[PersonalDataErasure]:
    """Every contract ended more than the retention time before `today` whose people still have
    an ID number or a phone: erased, and each contract's erasure recorded (safe to run twice)."""
    erasures = []
    horizon = add_months(today, -12 * settings.PERSONAL_DATA_YEARS)
    kept = Q(id_number_digest__gt="") | Q(id_number_masked__gt="") | Q(phone__gt="")
    contracts = FrameworkContract.objects.filter(
        Q(terminated_on__lt=horizon) | Q(terminated_on=None, end_date__lt=horizon),
        pk__in=StaffMember.objects.filter(kept).values("contract_id"),
    )
    for contract in contracts.select_for_update(of=("self",)).order_by("pk"):
        people = StaffMember.objects.filter(kept, contract=contract)
        ids = list(people.values_list("pk", flat=True))
        people.update(**ERASED)
        StaffMember.history.filter(id__in=ids).update(**_kept_in_history(ERASED))
        erasures.append(
            PersonalDataErasure.objects.create(
                contract=contract, contract_ended_on=ended_on(contract), people=len(ids)
            )
        )
    return erasures


def personal_data_of(member: StaffMember) -> dict:
    """What the portal keeps of one person, for their request (PIPL art. 45)."""
    return {
        "name": member.name,
        "id_number": member.id_number_masked,
        "phone": member.phone,
        "education": member.get_education_display(),
        "years_experience": member.years_experience,
        "role": member.role,
        "level": member.level,
        "contract": str(member.contract),
        "start_date": member.start_date.isoformat(),
        "end_date": member.end_date.isoformat() if member.end_date else None,
        "status": member.get_status_display(),
        "history": [
            {
                "at": record.history_date.isoformat(),
                "change": record.get_history_type_display(),
                "phone": record.phone,
                "id_number": record.id_number_masked,
            }
            for record in member.history.order_by("history_date")
        ],
    }
