from django.core.management.base import BaseCommand, CommandError

from settlement.selectors import ledger_drift


class Command(BaseCommand):
    help = (
        "Recompute every contract's and order's money counters from the ledger entries, the "
        "signed sheets and the open orders; print any drift and exit 1 if there is one."
    )

    def handle(self, *args, **options):
        drift = ledger_drift()
        for line in drift:
            self.stderr.write(line)
        if drift:
            raise CommandError(f"{len(drift)} counters drift from their recomputation.")
        self.stdout.write(self.style.SUCCESS("Every counter equals its recomputation."))
