from django.core.management.base import BaseCommand

from core.calendar import calendar_load_package


class Command(BaseCommand):
    help = (
        "Loads as official the years the installed chinese-calendar ships that are still "
        "provisional here (run after upgrading it; safe to run twice)."
    )

    def handle(self, *args, **options):
        for publication in calendar_load_package():
            self.stdout.write(
                f"{publication.year.year}: official from {publication.year.source}, "
                f"{len(publication.changes)} months changed, "
                f"{len(publication.findings)} findings"
            )
