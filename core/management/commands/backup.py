from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from core.backup import BackupError, backup_create


class Command(BaseCommand):
    help = "Écrit une archive datée : sauvegarde PostgreSQL et fichiers privés."

    def add_arguments(self, parser):
        parser.add_argument("--output-dir", default="backups", type=Path)

    def handle(self, *args, output_dir: Path, **options):
        try:
            archive = backup_create(output_dir=output_dir)
        except BackupError as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(str(archive))
