from datetime import datetime

from django.core.management.base import BaseCommand, CommandError

from settlement.services import settlements_compute


def month(text: str):
    try:
        return datetime.strptime(text, "%Y-%m").date()
    except ValueError as error:
        raise CommandError(f"Give the month as YYYY-MM, not {text!r}.") from error


class Command(BaseCommand):
    help = (
        "Compute a month's settlement sheets now, in this process (as the monthly job does): "
        "after a restore, or to run the job by hand. Safe to run twice."
    )

    def add_arguments(self, parser):
        parser.add_argument("--month", type=month, required=True, help="YYYY-MM")
        parser.add_argument("--contract", type=int, help="only this contract's orders (id)")

    def handle(self, *args, **options):
        result = settlements_compute(month=options["month"], contract_id=options["contract"])
        self.stdout.write(self.style.SUCCESS(result["summary"]))
        for skipped in result["skipped"]:
            self.stdout.write(f"  {skipped['order']}: {skipped['message']}")
