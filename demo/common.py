"""What the demo contracts share: fictitious ID numbers and 附件2 scores."""

from decimal import Decimal

from assessment.models import Indicator
from assessment.services import assessment_open, assessment_publish, assessment_save
from staffing.identity import check_character


def id_number(serial: int) -> str:
    """A fictitious, well-formed ID number of a demo staff member."""
    first17 = f"5101041990{serial:04d}{serial % 1000:03d}"
    return first17 + check_character(first17)


def published_score(order, month, quality: str, incidents, buyer):
    """A month scored on 附件2 and published: `quality` points of 服务质量考核 and incidents
    (indicator code, day, description) behind the deductions."""
    codes = {
        i.code: i
        for i in Indicator.objects.filter(category__template=order.contract.assessment_template)
    }
    assessment = assessment_save(
        assessment=assessment_open(order=order, month=month),
        entries=[{"indicator": codes["quality"].pk, "value": Decimal(quality)}],
        incidents=[
            {"indicator": codes[code].pk, "date": month.replace(day=day), "description": text}
            for code, day, text in incidents
        ],
    )
    return assessment_publish(assessment=assessment, actor=buyer)
