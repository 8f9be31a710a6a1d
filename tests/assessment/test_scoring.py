"""How a score is computed (SPEC §5): each indicator kind, floors per category, the KPI
scorecard, and the templates whose figures do not add up are refused with their numbers."""

from datetime import date
from decimal import Decimal

import pytest

from assessment.builtin_templates import KPI_004_LITERAL
from assessment.services import AssessmentError, assessment_open, assessment_save, template_problems
from tests.assessment.conftest import by_code
from tests.factories import ContractFactory

pytestmark = pytest.mark.django_db
OCTOBER = date(2026, 10, 1)


def incident(indicator, day=3, text="事件"):
    return {"indicator": indicator.pk, "date": date(2026, 10, day), "description": text}


def test_annex2_quality_45_and_one_of_each_incident_scores_90(order, annex2):
    codes = by_code(annex2)
    assessment = assessment_open(order=order, month=OCTOBER)
    assert assessment.template == annex2  # the contract's template, 附件2 by default

    scored = assessment_save(
        assessment=assessment,
        entries=[{"indicator": codes["quality"].pk, "value": Decimal("45")}],
        incidents=[
            incident(codes["capability"], text="未按需求提供高级开发人员"),
            incident(codes["complaint"], 8, "活动页上线延误被投诉"),
            incident(codes["security"], 12, "测试数据外泄"),
            incident(codes["management"], 20, "缺第三周周报"),
        ],
    )

    scores = {e.indicator.code: e.score for e in scored.entries.select_related("indicator")}
    assert scores == {
        "quality": Decimal("45.00"),
        "capability": Decimal("19.50"),
        "complaint": Decimal("9.00"),
        "security": Decimal("7.50"),
        "management": Decimal("9.00"),
    }
    assert scored.total_score == Decimal("90.00")
    assert scored.incidents.count() == 4


def test_a_floored_category_takes_nothing_from_another(order, annex2):
    codes = by_code(annex2)
    scored = assessment_save(
        assessment=assessment_open(order=order, month=OCTOBER),
        entries=[{"indicator": codes["quality"].pk, "value": Decimal("50")}],
        incidents=[incident(codes["security"], day) for day in range(1, 12)],
    )

    assert scored.entries.get(indicator=codes["security"]).score == Decimal("0.00")
    assert scored.total_score == Decimal("90.00")


def test_the_kpi_scorecard_on_a_year_of_figures(buyer, vendor, kpi):
    from contracts.services import contract_activate
    from tests.factories import rate_card
    from tests.worklogs.conftest import issued_order

    contract = rate_card(ContractFactory(buyer=buyer, vendor=vendor, assessment_template=kpi))
    order = issued_order(
        contract_activate(contract=contract), start=date(2026, 1, 5), end=date(2026, 12, 31)
    )
    codes = by_code(kpi)
    figures = {
        "videos": {"actual": 170},
        "views": {"actual": 1_000_000},
        "followers": {"actual": 15_500},
        "sessions": {"actual": 140},
        "hours": {"actual": 270},
        "viewers_share": {"count": 120, "actual": 140},
        "viewers": {"actual": 300_000},
        "bonus_views": {"actual": 1_000_000},
        "bonus_followers": {"actual": 15_500},
        "bonus_viewers": {"actual": 300_000},
        "bonus_media": {"value": 1},
    }
    scored = assessment_save(
        assessment=assessment_open(order=order, month=date(2026, 12, 1)),
        entries=[
            {
                "indicator": codes[code].pk,
                **{k: Decimal(v) if k != "count" else v for k, v in data.items()},
            }
            for code, data in figures.items()
        ],
        incidents=[],
    )

    scores = {e.indicator.code: e.score for e in scored.entries.select_related("indicator")}
    assert scores == {
        "videos": Decimal("14.20"),  # 10 short × 0.08
        "views": Decimal("12.50"),  # 15 × 1,000,000 / 1,200,000
        "followers": Decimal("20.00"),  # target beaten: capped at the maximum
        "sessions": Decimal("14.60"),  # 4 short × 0.1
        "hours": Decimal("6.00"),  # 18 hours short × 0.5
        "viewers_share": Decimal("8.57"),  # 10 × 120 / 140
        "viewers": Decimal("10.00"),
        "bonus_views": Decimal("0.00"),
        "bonus_followers": Decimal("1.00"),
        "bonus_viewers": Decimal("0.00"),
        "bonus_innovation": Decimal("0.00"),
        "bonus_media": Decimal("1.00"),
        "bonus_honours": Decimal("0.00"),
    }
    assert (scored.base_score, scored.bonus_score, scored.total_score) == (
        Decimal("85.87"),
        Decimal("2.00"),
        Decimal("87.87"),
    )


def test_the_seeds_literal_kpi_table_is_refused_with_its_numbers():
    assert template_problems(KPI_004_LITERAL) == [
        "直播运营：指标分值合计 30.00，与类别分值 25.00 不符。",
        "直播效果：指标分值合计 20.00，与类别分值 25.00 不符。",
    ]


@pytest.mark.parametrize(
    ("entries", "incidents", "message"),
    [
        ([{"code": "quality", "value": Decimal("51")}], [], "51 超出 0 – 50.00"),
        ([{"code": "capability", "count": 2}], [], "2 次扣分需要 2 条事件记录，现有 0 条"),
        ([], [{"code": "security", "date": date(2026, 9, 30)}], "不在 2026-10"),
        ([], [{"code": "quality", "date": date(2026, 10, 2)}], "事件只能记在本模板的扣分项下"),
    ],
)
def test_figures_that_break_a_rule_are_refused(order, annex2, entries, incidents, message):
    codes = by_code(annex2)
    assessment = assessment_open(order=order, month=OCTOBER)

    with pytest.raises(AssessmentError) as refused:
        assessment_save(
            assessment=assessment,
            entries=[{"indicator": codes[e.pop("code")].pk, **e} for e in entries],
            incidents=[
                {"indicator": codes[i["code"]].pk, "date": i["date"], "description": "x"}
                for i in incidents
            ],
        )

    assert any(message in problem for problem in refused.value.messages), refused.value.messages
    assert not assessment.entries.exists()


def test_a_template_with_an_unknown_kind_or_thousandths_is_refused():
    spec = {
        "name": "x",
        "total": "100",
        "categories": [
            {
                "name": "A",
                "max": "100",
                "indicators": [
                    {"code": "a", "name": "甲", "kind": "zzz", "max": "33.333"},
                    {"code": "b", "name": "乙", "kind": "manual", "max": "33.333"},
                    {"code": "c", "name": "丙", "kind": "manual", "max": "33.334"},
                ],
            }
        ],
    }

    problems = template_problems(spec)

    assert any("不是有效的指标类型" in p for p in problems)
    assert any("最多两位小数" in p for p in problems)


def test_unusable_figures_and_overlong_notes_are_refused(order, annex2):
    codes = by_code(annex2)
    assessment = assessment_open(order=order, month=OCTOBER)

    for entry in (
        {"value": Decimal("NaN")},
        {"value": Decimal("Infinity")},
        {"value": Decimal("1"), "note": "长" * 301},
    ):
        with pytest.raises(AssessmentError):
            assessment_save(
                assessment=assessment,
                entries=[{"indicator": codes["quality"].pk, **entry}],
                incidents=[],
            )
