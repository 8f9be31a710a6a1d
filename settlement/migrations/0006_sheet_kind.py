from django.db import migrations, models


def kinds_from_references(apps, schema_editor):
    """A sheet's kind was told by which reference it carries: an adjusted sheet makes an
    adjustment, a payment-plan item a milestone, and anything else is a month of work."""
    for name in ("SettlementSheet", "HistoricalSettlementSheet"):
        sheets = apps.get_model("settlement", name).objects
        sheets.filter(adjusts__isnull=False).update(kind="adjustment")
        sheets.filter(adjusts__isnull=True, payment_item__isnull=False).update(kind="milestone")


class Migration(migrations.Migration):
    dependencies = [
        ("settlement", "0005_task_runs"),
    ]

    operations = [
        migrations.AddField(
            model_name="historicalsettlementsheet",
            name="kind",
            field=models.CharField(
                choices=[
                    ("month", "Month of work"),
                    ("milestone", "Milestone"),
                    ("adjustment", "Adjustment"),
                ],
                default="month",
                max_length=20,
                verbose_name="kind",
            ),
        ),
        migrations.AddField(
            model_name="settlementsheet",
            name="kind",
            field=models.CharField(
                choices=[
                    ("month", "Month of work"),
                    ("milestone", "Milestone"),
                    ("adjustment", "Adjustment"),
                ],
                default="month",
                max_length=20,
                verbose_name="kind",
            ),
        ),
        migrations.RunPython(kinds_from_references, migrations.RunPython.noop),
        migrations.RemoveConstraint(
            model_name="settlementsheet",
            name="one_sheet_per_order_month",
        ),
        migrations.AddConstraint(
            model_name="settlementsheet",
            constraint=models.UniqueConstraint(
                condition=models.Q(("kind", "month")),
                fields=("order", "month"),
                name="one_month_sheet_per_order_month",
            ),
        ),
        migrations.AddConstraint(
            model_name="settlementsheet",
            constraint=models.UniqueConstraint(
                condition=models.Q(("kind", "milestone")),
                fields=("payment_item",),
                name="one_sheet_per_milestone",
            ),
        ),
        migrations.AddConstraint(
            model_name="settlementsheet",
            constraint=models.CheckConstraint(
                condition=models.Q(
                    models.Q(
                        ("adjusts__isnull", True), ("kind", "month"), ("payment_item__isnull", True)
                    ),
                    models.Q(
                        ("adjusts__isnull", True),
                        ("kind", "milestone"),
                        ("payment_item__isnull", False),
                        ("worklog__isnull", True),
                    ),
                    models.Q(
                        ("adjusts__isnull", False),
                        ("kind", "adjustment"),
                        ("payment_item__isnull", True),
                    ),
                    _connector="OR",
                ),
                name="sheet_references_match_its_kind",
            ),
        ),
    ]
