"""The rate card read from and written to the 附件3 layout: all or nothing, every bad cell named,
export and import agreeing."""

import io
from decimal import Decimal

import pytest
from openpyxl import load_workbook

from contracts.models import RateCardLine
from contracts.services import contract_activate
from tests.contracts.annex3 import annex3_workbook, seed_rows, upload

SIX_INCL = {
    "849.06": "900.00",
    "754.72": "800.00",
    "471.70": "500.00",
    "1221.45": "1294.74",
    "977.50": "1036.15",
    "586.50": "621.69",
}


def import_(client, contract, content):
    return client.post(
        f"/api/v1/contracts/{contract.pk}/rate-card/import/",
        {"file": upload(content)},
        format="multipart",
    )


@pytest.mark.django_db
def test_the_seeds_own_annex3_imports_with_its_estimate_above_the_ceiling(
    api, procurement, contract
):
    response = import_(api(procurement), contract, annex3_workbook())

    assert response.status_code == 200, response.json()
    body = response.json()
    assert len(body["rate_card"]) == 21
    assert {
        line["cap_price_excl_tax"]: line["cap_price_incl_tax"] for line in body["rate_card"]
    } == SIX_INCL
    assert [line["price_excl_tax"] for line in body["rate_card"]] == [None] * 21
    # Priced at the caps, the estimate lies a few hundred yuan above the 1762.78万元 ceiling.
    assert body["ceiling_incl_tax"] == "17627800.00"
    assert body["estimate_incl_tax"] == "17628237.78"
    assert body["estimate_excess"] == "437.78"
    first = body["rate_card"][0]
    assert (first["role"], first["level"], first["estimated_quantity"]) == (
        "产品/平台服务",
        "高级",
        "1250.00",
    )
    assert first["estimate_excl_tax"] == "1061325.00"
    assert first["estimate_incl_tax"] == "1125004.50"


@pytest.mark.django_db
def test_agreed_prices_at_the_caps_derive_the_six_tax_inclusive_prices(api, procurement, contract):
    response = import_(api(procurement), contract, annex3_workbook(agreed_at_cap=True))

    assert response.status_code == 200, response.json()
    lines = response.json()["rate_card"]
    assert {line["price_excl_tax"]: line["price_incl_tax"] for line in lines} == SIX_INCL
    assert response.json()["estimate_excess"] == "437.78"
    contract_activate(contract=contract)


def rows_with(changes):
    rows = seed_rows(agreed_at_cap=True)
    for (index, column), value in changes.items():
        rows[index][column] = value
    return rows


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("changes", "expected"),
    [
        ({(0, 5): 900.00, (0, 6): None}, "第5行，F（不含税单价）"),
        ({(1, 1): "特级"}, "第6行，B（级别）"),
        ({(2, 2): "八百"}, "第7行，C（预估工作量）"),
        ({(3, 4): 900.01}, "第8行，E（含税单价最高限价）"),
        ({(4, 3): 754.725}, "第9行，D（不含税单价最高限价）"),
    ],
)
def test_a_bad_row_refuses_the_file_names_the_cell_and_saves_nothing(
    api, procurement, contract, changes, expected
):
    client = api(procurement)
    assert import_(client, contract, annex3_workbook(agreed_at_cap=True)).status_code == 200
    before = list(
        RateCardLine.objects.filter(contract=contract).values_list("pk", "price_excl_tax")
    )

    response = import_(client, contract, annex3_workbook(rows_with(changes)))

    assert response.status_code == 400
    problems = response.json()["file"]
    assert any(problem.startswith(expected) for problem in problems), problems
    assert (
        list(RateCardLine.objects.filter(contract=contract).values_list("pk", "price_excl_tax"))
        == before
    )


@pytest.mark.django_db
def test_every_bad_row_is_named(api, procurement, contract):
    rows = rows_with({(0, 5): 950, (0, 6): None, (7, 1): "特级", (20, 2): "abc"})

    response = import_(api(procurement), contract, annex3_workbook(rows))

    problems = response.json()["file"]
    assert [problem.split("，")[0] for problem in problems] == ["第5行", "第12行", "第25行"]
    assert (
        problems[0]
        == "第5行，F（不含税单价）：产品/平台服务 高级：成交价 950 高于最高限价 849.06。"
    )
    assert not RateCardLine.objects.filter(contract=contract).exists()


@pytest.mark.django_db
def test_a_duplicate_role_and_level_is_refused(api, procurement, contract):
    rows = seed_rows()
    rows[1][1] = "高级"

    problems = import_(api(procurement), contract, annex3_workbook(rows)).json()["file"]

    assert problems == ["第6行，B（级别）：产品/平台服务 高级 已在第5行出现"]


@pytest.mark.django_db
def test_a_file_that_is_not_a_workbook_or_too_big_gets_a_clear_error(api, procurement, contract):
    client = api(procurement)
    not_xlsx = import_(client, contract, b"role,level\n\xe4\xba\xa7,high\n")
    too_big = import_(client, contract, b"PK" + b"\0" * (5 * 1024 * 1024 + 1))

    assert not_xlsx.status_code == too_big.status_code == 400
    assert not_xlsx.json() == {"file": ["文件不是 Excel 工作簿（.xlsx）。"]}
    assert too_big.json() == {"file": ["文件超过 5 MB。"]}


@pytest.mark.django_db
def test_the_rate_card_of_an_active_contract_cannot_be_replaced(api, procurement, contract):
    client = api(procurement)
    import_(client, contract, annex3_workbook(agreed_at_cap=True))
    contract_activate(contract=contract)

    response = import_(client, contract, annex3_workbook(agreed_at_cap=True))

    assert response.status_code == 400
    assert response.json() == {
        "detail": f"合同 {contract.code} 状态为“生效中”：其条款和报价表不能再修改。"
    }


@pytest.mark.django_db
def test_export_is_laid_out_like_annex3_and_imports_back(api, procurement, contract, other_vendor):
    client = api(procurement)
    import_(client, contract, annex3_workbook(agreed_at_cap=True))

    response = client.get(f"/api/v1/contracts/{contract.pk}/rate-card/export/")

    assert response.status_code == 200
    assert "attachment" in response["Content-Disposition"]
    sheet = load_workbook(io.BytesIO(response.content)).active
    assert sheet["A1"].value == "报价表"
    assert [sheet.cell(3, column).value for column in (1, 2, 3)] == [
        "岗位职责",
        "级别",
        "预估工作量",
    ]
    assert (sheet["A5"].value, sheet["A6"].value, sheet["B6"].value) == (
        "产品/平台服务",
        None,
        "中级",
    )
    assert sheet["A26"].value == "合计"
    assert Decimal(str(sheet["J26"].value)) == Decimal("17628237.78")
    assert all(cell.data_type != "f" for row in sheet.iter_rows() for cell in row)

    from tests.factories import ContractFactory

    copy = ContractFactory(buyer=contract.buyer, vendor=other_vendor)
    assert import_(client, copy, response.content).status_code == 200
    fields = ("role", "level", "estimated_quantity", "cap_price_excl_tax", "price_excl_tax")
    assert list(copy.rate_card_lines.values_list(*fields)) == list(
        contract.rate_card_lines.values_list(*fields)
    )


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("changes", "expected"),
    [
        (
            {(0, 2): 999999999999999},
            "第5行，C（预估工作量）：999999999999999 超出范围：整数部分最多 12 位。",
        ),
        ({(0, 0): "岗" * 101}, "第5行，A（岗位职责）：岗位职责须为 1 至 100 个字符。"),
        ({(0, 2): -5}, "第5行，C（预估工作量）：预估工作量须在 0 与 10000000 之间。"),
    ],
)
def test_figures_that_cannot_be_kept_are_named_not_500(
    api, procurement, contract, changes, expected
):
    response = import_(api(procurement), contract, annex3_workbook(rows_with(changes)))

    assert response.status_code == 400
    assert expected in response.json()["file"]


@pytest.mark.django_db
def test_export_and_import_agree_after_a_rate_change(api, procurement, contract):
    from datetime import timedelta

    from django.utils import timezone

    from contracts.services import tax_rate_add

    tax_rate_add(
        contract=contract,
        effective_from=timezone.localdate() - timedelta(days=3),
        rate=Decimal("0.09"),
    )
    client = api(procurement)
    rows = seed_rows(agreed_at_cap=True)
    for row in rows:
        row[4] = row[6] = None  # no tax-inclusive figures: they depend on the rate
        row[7] = None
    assert import_(client, contract, annex3_workbook(rows)).status_code == 200
    exported = client.get(f"/api/v1/contracts/{contract.pk}/rate-card/export/").content
    sheet = load_workbook(io.BytesIO(exported)).active
    assert (sheet["E5"].value, sheet["H5"].value) == (925.48, 0.09)

    assert import_(client, contract, exported).status_code == 200


def test_prices_are_checked_at_the_rate_in_force_at_signing(api, procurement, contract):
    """Signed on 1 January 2026 at 6%; a 5% rate from July is entered before the import. The
    附件3 priced at 6% (900.00 for 849.06) is taken; a row stating 5% is checked at 5%; a rate
    the contract never had is named."""
    from datetime import date

    from contracts.services import tax_rate_add

    tax_rate_add(contract=contract, effective_from=date(2026, 7, 1), rate=Decimal("0.05"))
    client = api(procurement)
    assert (
        import_(client, contract, annex3_workbook(seed_rows(agreed_at_cap=True))).status_code == 200
    )

    rows = seed_rows(agreed_at_cap=True)
    rows[0][4] = rows[0][6] = 891.51  # 849.06 × 1.05
    rows[0][7] = "5%"
    assert import_(client, contract, annex3_workbook(rows)).status_code == 200

    rows[0][7] = "7%"
    refused = import_(client, contract, annex3_workbook(rows))
    assert "7.00% 不是合同的税率（6.00%、5.00%）" in " ".join(refused.json()["file"])
