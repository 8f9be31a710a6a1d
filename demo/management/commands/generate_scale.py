from django.core.management.base import BaseCommand

from demo.scale import Scale, generate


class Command(BaseCommand):
    help = "Build a national buyer's year (contracts, orders, staff, approved logs, scores)."

    def add_arguments(self, parser):
        defaults = Scale()
        for name in ("contracts", "orders", "staff", "months", "year", "seed"):
            parser.add_argument(f"--{name}", type=int, default=getattr(defaults, name))

    def handle(self, *args, **options):
        names = ("contracts", "orders", "staff", "months", "year", "seed")
        made = generate(Scale(**{name: options[name] for name in names}))
        self.stdout.write(
            self.style.SUCCESS("Made: " + ", ".join(f"{k} {v}" for k, v in made.items()))
        )
