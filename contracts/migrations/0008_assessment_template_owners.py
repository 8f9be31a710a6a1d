from django.db import migrations

# The shipped templates (0004) by name, as they were then: they live in the assessment app
# now, which this app may not import.
BUILTIN_NAMES = {"服务质量考核办法（附件2）", "安源区就业之家线上推广运营考核表（004）"}


def _template_models(apps):
    """Template, category, indicator and template history, found through the contract: this
    app's models at this point of history, the assessment app's since they moved there (its
    test runs `assign` on today's models)."""
    Contract = apps.get_model("contracts", "FrameworkContract")
    Template = Contract._meta.get_field("assessment_template").related_model
    Category = Template._meta.get_field("categories").related_model
    Indicator = Category._meta.get_field("indicators").related_model
    History = apps.get_model(Template._meta.app_label, "HistoricalAssessmentTemplate")
    return Template, Category, Indicator, History


def assign(apps, schema_editor):
    """Every template was everyone's. The shipped ones (附件2, 004's, version 1) stay shared
    starters; another goes to the one buyer whose contracts use it, or to the buyer of whoever
    made it. A template used by several buyers stays with one of them (its maker's buyer, else
    that of its oldest contract); every other buyer, and every buyer of a starter, gets its own
    copy, and its contracts point to that. Scores keep the template they were made on."""
    Template = _template_models(apps)[0]
    Contract = apps.get_model("contracts", "FrameworkContract")
    for template in Template.objects.filter(buyer__isnull=True).order_by("pk"):
        using = Contract.objects.filter(assessment_template=template).order_by("pk")
        buyers = list(dict.fromkeys(using.values_list("buyer_id", flat=True)))
        starter = template.name in BUILTIN_NAMES and template.version == 1
        keeper = None
        if not starter:
            maker = _makers_buyer(apps, template)
            keeper = maker if maker in buyers or not buyers else buyers[0]
        if keeper is not None:
            template.buyer_id = keeper
            template.save(update_fields=["buyer"])
        for buyer in buyers:
            if buyer != keeper:
                copy = _copy(apps, template, buyer, copied_from=template if starter else None)
                using.filter(buyer_id=buyer).update(assessment_template=copy)


def _makers_buyer(apps, template):
    """The buyer of the user who made the template, from its history (None if unknown)."""
    History = _template_models(apps)[3]
    made = (
        History.objects.filter(id=template.pk, history_type="+")
        .select_related("history_user__organization")
        .first()
    )
    organization = made.history_user.organization if made and made.history_user else None
    return organization.pk if organization and organization.kind == "buyer" else None


def _copy(apps, template, buyer, copied_from):
    Template, Category, Indicator, _history = _template_models(apps)
    copy = Template.objects.create(
        buyer_id=buyer, copied_from=copied_from, name=template.name, version=template.version,
        total=template.total, period_months=template.period_months, status=template.status)
    for category in Category.objects.filter(template=template).order_by("position", "pk"):
        indicators = list(Indicator.objects.filter(category=category).order_by("position", "pk"))
        category.pk, category.template = None, copy
        category.save()
        for indicator in indicators:
            indicator.pk, indicator.category = None, category
            indicator.save()
    return copy


class Migration(migrations.Migration):
    dependencies = [("contracts", "0007_assessment_template_buyer")]

    operations = [migrations.RunPython(assign, migrations.RunPython.noop)]
