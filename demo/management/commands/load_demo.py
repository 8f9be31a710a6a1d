from django.core.management.base import BaseCommand

from demo.data import DEMO_PASSWORD, load_demo
from demo.notifications import load_notifications


class Command(BaseCommand):
    help = "Load the seed contracts and demo logins (safe to run twice)."

    def handle(self, *args, **options):
        logins = load_demo()
        # After the demo (which tells no one): what its history handed to each login.
        load_notifications()
        self.stdout.write(
            self.style.SUCCESS(f"Demo data loaded. Logins (password {DEMO_PASSWORD}):")
        )
        for username, role in logins:
            self.stdout.write(f"  {username:<10} {role}")
