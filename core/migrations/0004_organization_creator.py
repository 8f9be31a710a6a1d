import django.db.models.deletion
from django.db import migrations, models


def set_creators(apps, schema_editor):
    """A vendor that exactly one buyer contracts with is that buyer's; any other (several
    buyers, or none) stays an administrator's (empty)."""
    Organization = apps.get_model("core", "Organization")
    FrameworkContract = apps.get_model("contracts", "FrameworkContract")
    buyers = {}
    for vendor_id, buyer_id in FrameworkContract.objects.values_list("vendor_id", "buyer_id"):
        buyers.setdefault(vendor_id, set()).add(buyer_id)
    for vendor_id, ids in buyers.items():
        if len(ids) == 1:
            Organization.objects.filter(pk=vendor_id, kind="vendor").update(creator_id=min(ids))


class Migration(migrations.Migration):
    dependencies = [
        ("core", "0003_calendar_seed"),
        ("contracts", "0001_initial"),
    ]

    operations = [
        migrations.AddField(
            model_name="historicalorganization",
            name="creator",
            field=models.ForeignKey(
                blank=True,
                db_constraint=False,
                limit_choices_to={"kind": "buyer"},
                null=True,
                on_delete=django.db.models.deletion.DO_NOTHING,
                related_name="+",
                to="core.organization",
                verbose_name="created by buyer",
            ),
        ),
        migrations.AddField(
            model_name="organization",
            name="creator",
            field=models.ForeignKey(
                blank=True,
                limit_choices_to={"kind": "buyer"},
                null=True,
                on_delete=django.db.models.deletion.SET_NULL,
                related_name="+",
                to="core.organization",
                verbose_name="created by buyer",
            ),
        ),
        migrations.RunPython(set_creators, migrations.RunPython.noop),
    ]
