from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand

from core.backups import backup_write


class Command(BaseCommand):
    help = "Writes the database and the uploaded files into one archive (README, Operations)."

    def add_arguments(self, parser):
        parser.add_argument("--to", default=settings.BACKUP_DIR, help="the folder (BACKUP_DIR)")
        parser.add_argument("--where", action="store_true", help="only say where it would go")

    def handle(self, *args, to, where, **options):
        if where:
            self.stdout.write(str(Path(to).resolve()))
            return
        path = backup_write(folder=Path(to))
        self.stdout.write(f"{path} ({path.stat().st_size:,} bytes)")
