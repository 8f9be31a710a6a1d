from django.db import migrations


def seed(apps, schema_editor):
    """The years the installed chinese-calendar ships, as official (idempotent)."""
    from core.calendar import _official_from_package, package_years

    CalendarYear = apps.get_model("core", "CalendarYear")
    known = set(CalendarYear.objects.values_list("year", flat=True))
    CalendarYear.objects.bulk_create(
        CalendarYear(year=number, **_official_from_package(number))
        for number in package_years()
        if number not in known
    )


class Migration(migrations.Migration):
    dependencies = [("core", "0002_calendar")]

    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
