"""Assessment templates belong to a buyer; the shared starters are read-only and copied on
first use; a contract is scored on its own buyer's templates only."""

from datetime import date
from decimal import Decimal

import pytest
from django.test import Client

from assessment.builtin_templates import ANNEX2
from assessment.models import AssessmentTemplate, Indicator
from contracts.services import ContractError, contract_create, contract_update
from core.models import User
from tests.factories import BuyerFactory, ContractFactory, OrganizationFactory, UserFactory

pytestmark = pytest.mark.django_db
API = "/api/v1/assessment-templates"


@pytest.fixture
def starter():
    """附件2 as the portal ships it (the first of its name)."""
    return AssessmentTemplate.objects.filter(name=ANNEX2["name"]).order_by("pk").first()


@pytest.fixture
def rival():
    """Procurement of another buyer of the portal."""
    return UserFactory(
        username="b-caigou", role=User.Role.PROCUREMENT, organization=BuyerFactory(name="别家")
    )


def new_contract(client, vendor, code, **fields):
    body = {
        "code": code,
        "name": "定制化服务支撑项目",
        "vendor": vendor.pk,
        "signed_on": "2026-03-01",
        "ceiling_incl_tax": "1060000.00",
        **fields,
    }
    return client.post("/api/v1/contracts/", body, format="json")


def per_unit(template_id, code):
    return Indicator.objects.get(category__template_id=template_id, code=code).per_unit


def test_another_buyers_templates_answer_404_on_every_route(api, procurement, rival, starter):
    mine = api(procurement)
    draft = mine.post(f"{API}/{starter.pk}/new-version/").json()
    ours = AssessmentTemplate.objects.filter(name=starter.name).exclude(pk=starter.pk)
    theirs, page = api(rival), Client()
    page.force_login(rival)

    for pk in ours.values_list("pk", flat=True):
        assert theirs.get(f"{API}/{pk}/").status_code == 404
        assert theirs.get(f"{API}/{pk}/history/").status_code == 404
        assert theirs.patch(f"{API}/{pk}/", {"total": "90"}, format="json").status_code == 404
        assert theirs.put(f"{API}/{pk}/", draft, format="json").status_code == 404
        assert theirs.post(f"{API}/{pk}/publish/").status_code == 404
        assert theirs.post(f"{API}/{pk}/new-version/").status_code == 404
        assert page.get(f"/assessment-templates/{pk}/").status_code == 404
        assert page.post(f"/assessment-templates/{pk}/", {"publish": ""}).status_code == 404
        assert page.post(f"/assessment-templates/{pk}/", {"new_version": ""}).status_code == 404
    listed = [item["id"] for item in theirs.get(f"{API}/").json()["results"]]
    assert set(listed).isdisjoint(ours.values_list("pk", flat=True))
    assert starter.pk in listed
    assert "v2" not in page.get("/assessment-templates/").content.decode()
    # The new version of the starter is this buyer's, after its own copy of the starter.
    assert [(t.buyer, t.version, t.status) for t in ours.order_by("version")] == [
        (procurement.organization, 1, "published"),
        (procurement.organization, 2, "draft"),
    ]
    assert draft["buyer"] == procurement.organization_id


def test_another_buyers_new_version_of_the_starter_leaves_this_buyers_default(
    api, procurement, rival, vendor, starter
):
    """The attack: 附件2 again with every deduction at its maximum, published by another
    buyer, became the default template of this buyer's next contract."""
    theirs = api(rival)
    assert theirs.patch(f"{API}/{starter.pk}/", {"total": "90"}, format="json").status_code == 400
    assert theirs.post(f"{API}/{starter.pk}/publish/").status_code == 400
    draft = theirs.post(f"{API}/{starter.pk}/new-version/").json()
    harsh = {
        **draft,
        "categories": [
            {
                **category,
                "indicators": [
                    {**i, "per_unit": i["max"] if i["kind"] == "deduction" else i["per_unit"]}
                    for i in category["indicators"]
                ],
            }
            for category in draft["categories"]
        ],
    }
    assert theirs.put(f"{API}/{draft['id']}/", harsh, format="json").status_code == 200
    assert theirs.post(f"{API}/{draft['id']}/publish/").json()["status"] == "published"

    created = new_contract(api(procurement), vendor, "MG-2026-010")

    assert created.status_code == 201, created.json()
    template = AssessmentTemplate.objects.get(pk=created.json()["assessment_template"])
    assert per_unit(template.pk, "capability") == Decimal("0.5000")
    assert per_unit(template.pk, "complaint") == Decimal("1.0000")
    assert (template.buyer, template.copied_from) == (procurement.organization, starter)
    assert per_unit(starter.pk, "capability") == Decimal("0.5000")
    rivals = new_contract(theirs, OrganizationFactory(), "B-2026-001").json()
    assert rivals["assessment_template"] == draft["id"]
    assert per_unit(draft["id"], "capability") == Decimal("20.0000")


def test_a_contract_cannot_be_given_another_buyers_template(
    api, procurement, rival, vendor, buyer, starter
):
    theirs = api(rival).post(f"{API}/{starter.pk}/new-version/").json()["id"]
    api(rival).post(f"{API}/{theirs}/publish/")
    client = api(procurement)

    refused = new_contract(client, vendor, "MG-2026-010", assessment_template=theirs)
    draft = new_contract(client, vendor, "MG-2026-011").json()
    patched = client.patch(
        f"/api/v1/contracts/{draft['id']}/", {"assessment_template": theirs}, format="json"
    )

    assert refused.status_code == patched.status_code == 400
    assert "assessment_template" in refused.json() and "assessment_template" in patched.json()
    rivals = AssessmentTemplate.objects.get(pk=theirs)
    with pytest.raises(ContractError) as created:
        ContractFactory(buyer=buyer, vendor=vendor, assessment_template=rivals)
    contract = ContractFactory(buyer=buyer, vendor=vendor)
    with pytest.raises(ContractError) as updated:
        contract_update(contract=contract, assessment_template=rivals)
    assert created.value.field == updated.value.field == "assessment_template"
    assert not rivals.contracts.exists()


def test_a_starter_given_to_a_contract_is_the_buyers_own_copy_made_once(
    api, procurement, vendor, buyer, starter
):
    client = api(procurement)
    first = new_contract(client, vendor, "MG-2026-010", assessment_template=starter.pk).json()
    second = contract_create(
        code="MG-2026-011",
        name="定制化服务支撑项目",
        buyer=buyer,
        vendor=vendor,
        signed_on=date(2026, 3, 1),
        ceiling_incl_tax=Decimal("1060000.00"),
        assessment_template=starter,
    )

    copy = AssessmentTemplate.objects.get(buyer=buyer)
    assert first["assessment_template"] == second.assessment_template_id == copy.pk
    assert (copy.name, copy.version, copy.status, copy.copied_from) == (
        starter.name,
        1,
        "published",
        starter,
    )
    assert starter.contracts.count() == 0


def test_vendors_and_finance_read_the_templates_of_their_contracts_only(
    api, procurement, rival, vendor_pm, finance, contract, starter
):
    used = contract.assessment_template
    ours_unused = api(procurement).post(f"{API}/{used.pk}/new-version/").json()["id"]
    theirs = api(rival).post(f"{API}/{starter.pk}/new-version/").json()["id"]
    for user in (vendor_pm, finance):
        client = api(user)
        assert client.get(f"{API}/{used.pk}/").status_code == 200
        assert client.get(f"{API}/{starter.pk}/").status_code == 200
        for hidden in (ours_unused, theirs):
            assert client.get(f"{API}/{hidden}/").status_code == 404
        assert client.post(f"{API}/{used.pk}/new-version/").status_code == 403
        listed = {item["id"] for item in client.get(f"{API}/").json()["results"]}
        assert listed == {
            used.pk,
            *AssessmentTemplate.objects.filter(buyer=None).values_list("pk", flat=True),
        }
