from decimal import Decimal

from django.db import migrations

from assessment.builtin_templates import BUILTIN


def _decimal(value):
    return None if value in (None, "") else Decimal(value)


def install(apps, schema_editor):
    """附件2 and 004's corrected scorecard, published, version 1, as shared starters. A
    database made before they moved here has them from contracts 0004 already."""
    Template = apps.get_model("assessment", "AssessmentTemplate")
    Category = apps.get_model("assessment", "TemplateCategory")
    Indicator = apps.get_model("assessment", "Indicator")
    for spec in BUILTIN:
        if Template.objects.filter(name=spec["name"]).exists():
            continue
        template = Template.objects.create(
            name=spec["name"], version=1, total=_decimal(spec["total"]),
            period_months=spec["period_months"], status="published")
        for position, category in enumerate(spec["categories"]):
            saved = Category.objects.create(
                template=template, position=position, name=category["name"],
                max=_decimal(category["max"]), is_bonus=category.get("is_bonus", False))
            for number, indicator in enumerate(category["indicators"]):
                Indicator.objects.create(
                    category=saved, position=number, code=indicator["code"],
                    name=indicator["name"], kind=indicator["kind"],
                    max=_decimal(indicator["max"]), per_unit=_decimal(indicator.get("per_unit")),
                    target=_decimal(indicator.get("target")), rule=indicator.get("rule", ""))


class Migration(migrations.Migration):
    dependencies = [("assessment", "0004_templates_from_contracts")]

    operations = [migrations.RunPython(install, migrations.RunPython.noop)]
