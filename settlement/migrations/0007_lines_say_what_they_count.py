from django.db import migrations, models


class Migration(migrations.Migration):
    """A line's `role` held the item of a per-item order and its `days` its pieces: they are
    the priced item and the quantity (in the line's unit), their data kept."""

    dependencies = [
        ("settlement", "0006_sheet_kind"),
    ]

    operations = [
        migrations.RenameField(model_name="sheetline", old_name="role", new_name="item"),
        migrations.RenameField(model_name="sheetline", old_name="days", new_name="quantity"),
        migrations.AlterField(
            model_name="sheetline",
            name="item",
            field=models.CharField(max_length=100, verbose_name="priced item"),
        ),
        migrations.AlterModelOptions(
            name="sheetline",
            options={
                "ordering": ["sheet_id", "item", "level"],
                "verbose_name": "sheet line",
                "verbose_name_plural": "sheet lines",
            },
        ),
    ]
