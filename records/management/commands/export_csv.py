from django.core.management.base import BaseCommand

from records.transfer import export_all


class Command(BaseCommand):
    help = "Write the whole database into DIR as one UTF-8 CSV file per model (keys are slugs, never ids)."

    def add_arguments(self, parser):
        parser.add_argument("directory")

    def handle(self, *args, directory, **options):
        for name, rows in export_all(directory).items():
            self.stdout.write(f"{name}: {rows} rows")
