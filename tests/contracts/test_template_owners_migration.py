"""contracts 0008: the templates every buyer shared go to their buyers."""

import importlib
from datetime import date

import pytest
from django.apps import apps

from assessment.builtin_templates import ANNEX2, KPI_004
from assessment.models import Assessment, AssessmentTemplate, Indicator
from assessment.services import template_create, template_publish, template_spec
from contracts.models import FrameworkContract
from contracts.services import contract_activate
from core.models import User
from tests.factories import BuyerFactory, ContractFactory, UserFactory, rate_card
from tests.worklogs.conftest import issued_order

pytestmark = pytest.mark.django_db
migration = importlib.import_module("contracts.migrations.0008_assessment_template_owners")


def legacy_template(admin, starter, name, maker=None, publish=True):
    """A template as every buyer shared it before: no buyer, made by `maker`."""
    template = template_create(spec={**template_spec(starter), "name": name}, actor=admin)
    if publish:
        template_publish(template=template, actor=admin)
    template.history.update(history_user=maker)
    return template


def scored_on(template, buyer):
    contract = rate_card(ContractFactory(buyer=buyer))
    FrameworkContract.objects.filter(pk=contract.pk).update(assessment_template=template)
    contract = contract_activate(contract=FrameworkContract.objects.get(pk=contract.pk))
    assessment = Assessment.objects.create(
        order=issued_order(contract), month=date(2026, 10, 1), template=template
    )
    return contract, assessment


def test_each_template_goes_to_its_buyers_and_the_shipped_ones_stay_starters():
    a, b, c = BuyerFactory(), BuyerFactory(), BuyerFactory()
    admin = UserFactory(role=User.Role.ADMIN)
    maker_b = UserFactory(role=User.Role.PROCUREMENT, organization=b)
    starter = AssessmentTemplate.objects.get(name=ANNEX2["name"], version=1)
    kpi = AssessmentTemplate.objects.get(name=KPI_004["name"], version=1)
    shared = legacy_template(admin, starter, "两家共用", maker=maker_b)
    single = legacy_template(admin, starter, "一家使用", maker=maker_b)
    draft_b = legacy_template(admin, starter, "乙方草稿", maker=maker_b, publish=False)
    admins = legacy_template(admin, starter, "管理员模板", maker=admin)
    on_shared_a, scored_a = scored_on(shared, a)
    on_shared_b, scored_b = scored_on(shared, b)
    on_single_c, _ = scored_on(single, c)
    on_starter_a, scored_starter = scored_on(starter, a)
    on_starter_c, _ = scored_on(starter, c)
    AssessmentTemplate.objects.filter(buyer__isnull=False).delete()  # no buyer had its own

    migration.assign(apps, None)

    def template_of(contract):
        return FrameworkContract.objects.get(pk=contract.pk).assessment_template

    def owner(template):
        return AssessmentTemplate.objects.get(pk=template.pk).buyer

    # Used by several buyers: its maker's buyer keeps it, the other one gets a copy.
    assert (owner(shared), template_of(on_shared_b)) == (b, shared)
    copy = template_of(on_shared_a)
    assert (copy.buyer, copy.name, copy.version, copy.status) == (a, "两家共用", 1, "published")
    assert copy.copied_from is None
    indicators = Indicator.objects.filter(category__template=copy).order_by("code")
    assert [(i.code, i.max, i.per_unit) for i in indicators] == [
        (i.code, i.max, i.per_unit)
        for i in Indicator.objects.filter(category__template=shared).order_by("code")
    ]
    assert {i.pk for i in indicators}.isdisjoint(
        Indicator.objects.filter(category__template=shared).values_list("pk", flat=True)
    )
    # Used by one buyer (whoever made it): that buyer's; unused: its maker's buyer's.
    assert (owner(single), template_of(on_single_c)) == (c, single)
    assert owner(draft_b) == b
    assert owner(admins) is None
    # The shipped templates stay starters; each buyer that used one has its own copy.
    assert owner(starter) is None and owner(kpi) is None
    for contract, buyer in ((on_starter_a, a), (on_starter_c, c)):
        assert (template_of(contract).buyer, template_of(contract).copied_from) == (
            buyer,
            starter,
        )
    # Scores keep the template they were made on.
    for assessment, template in ((scored_a, shared), (scored_b, shared), (scored_starter, starter)):
        assert Assessment.objects.get(pk=assessment.pk).template == template
    assert AssessmentTemplate.objects.filter(name="两家共用").count() == 2
