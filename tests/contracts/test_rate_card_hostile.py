"""A hostile 附件3 is refused with its reason, and the rate card stays as it was."""

import pytest

from contracts.models import RateCardLine
from tests.contracts.annex3 import annex3_workbook, seed_rows, upload
from tests.core import hostile

pytestmark = pytest.mark.django_db


def import_(client, contract, content):
    return client.post(
        f"/api/v1/contracts/{contract.pk}/rate-card/import/",
        {"file": upload(content)},
        format="multipart",
    )


def test_a_total_computed_by_a_formula_is_refused_naming_its_cell(api, procurement, contract):
    rows = seed_rows(agreed_at_cap=True)
    rows[0][8] = "=C5*D5"  # 不含税总价 of the first line, as buyers' sheets compute it

    response = import_(api(procurement), contract, annex3_workbook(rows))

    assert response.status_code == 400
    assert response.json() == {
        "file": ["第5行 I列是公式：上传只接受数值，请将单元格粘贴为数值后重新上传。"]
    }
    assert not RateCardLine.objects.exists()


def test_a_rate_card_longer_than_200_rows_is_refused_without_reading_on(api, procurement, contract):
    rows = seed_rows(agreed_at_cap=True)
    rows += [
        [f"岗位{number}", level, 10, 500.0, 530.0, None, None, None, None, None]
        for number in range(100)
        for level in ("高级", "中级", "初级")
    ]

    response = import_(api(procurement), contract, annex3_workbook(rows))

    assert response.status_code == 400
    assert response.json() == {"file": ["工作表超过 200 行，超出了本上传的行数上限。"]}
    assert not RateCardLine.objects.exists()


@pytest.mark.parametrize(
    ("build", "message"),
    [
        (hostile.bomb, "工作簿解压后的大小异常，已拒绝。"),
        (hostile.many_rows, "工作表超过 20,000 行，超出了本上传的行数上限。"),
        (hostile.encrypted, "文件不是 Excel 工作簿（.xlsx）。"),
    ],
)
def test_hostile_files_leave_the_rate_card_as_it_was(api, procurement, contract, build, message):
    client = api(procurement)
    assert import_(client, contract, annex3_workbook(agreed_at_cap=True)).status_code == 200
    before = list(RateCardLine.objects.values_list("pk", flat=True))

    response = import_(client, contract, build())

    assert response.status_code == 400
    assert response.json() == {"file": [message]}
    assert list(RateCardLine.objects.values_list("pk", flat=True)) == before
