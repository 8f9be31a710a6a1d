from datetime import date
from decimal import Decimal

import factory
from django.utils import timezone

from contracts.models import FrameworkContract, RateCardLine
from contracts.services import contract_create
from core.models import Organization, User
from orders.services import acceptance_record
from staffing.identity import check_character
from staffing.services import staff_approve


class OrganizationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Organization

    name = factory.Sequence(lambda n: f"供应商{n}有限公司")
    kind = Organization.Kind.VENDOR
    tax_id = factory.Sequence(lambda n: f"91510100MA{n:08d}")  # 统一社会信用代码, 18 characters


class BuyerFactory(OrganizationFactory):
    name = factory.Sequence(lambda n: f"采购方{n}有限公司")
    kind = Organization.Kind.BUYER
    # Tests about other things activate contracts without the signed copy; those about the
    # rule (tests/contracts/test_signed_contract.py) turn it on, as a real buyer has it.
    requires_signed_contract = False


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    role = User.Role.PROCUREMENT
    password = factory.PostGenerationMethodCall("set_password", "secret-pass-1")

    @factory.post_generation
    def saved(self, create, extracted, **kwargs):
        if create:
            self.save()


class ContractFactory(factory.django.DjangoModelFactory):
    """Made through the service, as users make them (with its first tax rate)."""

    class Meta:
        model = FrameworkContract

    code = factory.Sequence(lambda n: f"KJ-2026-{n:03d}")
    name = factory.Sequence(lambda n: f"定制化服务支撑项目{n}")
    buyer = factory.SubFactory(BuyerFactory)
    vendor = factory.SubFactory(OrganizationFactory)
    signed_on = date(2026, 1, 1)
    ceiling_incl_tax = Decimal("17627800.00")

    @classmethod
    def _create(cls, model_class, tax_rate=Decimal("0.06"), **kwargs):
        return contract_create(tax_rate=tax_rate, **kwargs)


class RateCardLineFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = RateCardLine

    contract = factory.SubFactory(ContractFactory)
    role = "产品/平台服务"
    level = "高级"
    estimated_quantity = Decimal("1250")
    cap_price_excl_tax = Decimal("849.06")
    price_excl_tax = Decimal("849.06")


def id_number(serial: int, born="19900101") -> str:
    """A well-formed fictitious ID number (GB 11643 check character)."""
    first17 = f"510104{born}{serial:03d}"
    return first17 + check_character(first17)


def rate_card(
    contract,
    lines=(
        ("产品/平台服务", "849.06", "754.72", "471.70"),
        ("技术支持", "1221.45", "977.50", "586.50"),
    ),
):
    """Agreed prices at the caps for each role × 高级/中级/初级."""
    for role, *prices in lines:
        for level, price in zip(("高级", "中级", "初级"), prices, strict=True):
            RateCardLineFactory(
                contract=contract,
                role=role,
                level=level,
                cap_price_excl_tax=Decimal(price),
                price_excl_tax=Decimal(price),
            )
    return contract


def accepted(sheet, procurement, accepted_on=None, note=""):
    """Procurement accepts the work a sheet pays for (验收), which the buyer's signature of
    002's months and 004's milestones needs; accepted today unless said."""
    return acceptance_record(
        order=sheet.order,
        month=sheet.basis.accepted_work(sheet)["month"],
        payment_item=sheet.payment_item,
        accepted_on=accepted_on or timezone.localdate(),
        note=note,
        actor=procurement,
    )


def terminated(contract, actor=None):
    """The contract terminated for breach at once (orders.terminations), by `actor` or a
    procurement user of its buyer."""
    from orders.terminations import termination_give

    actor = actor or UserFactory(role="procurement", organization=contract.buyer)
    termination_give(contract=contract, kind="breach", reason="违约", actor=actor)
    contract.refresh_from_db()
    return contract


def approved(member):
    """2.9: the member as procurement approved him, for the tests about other things (days are
    logged only for approved members); the approval itself is tested with pending ones."""
    return staff_approve(member=member, actor=None)
