from django.core.management.base import BaseCommand, CommandError

from records.progress import Progress
from records.transfer import count_rows, export_all


class Command(BaseCommand):
    help = "Write the whole database into DIR as one UTF-8 CSV file per model (keys are slugs, never ids)."

    def add_arguments(self, parser):
        parser.add_argument("directory")

    def handle(self, *args, directory, **options):
        try:
            with Progress(count_rows(), "exporting", self.stderr._out) as progress:
                written = export_all(directory, on_rows=progress)
        except OSError as error:  # a file where the folder should be, a folder nobody may write into
            raise CommandError(f"Cannot write the CSV files into {directory}: {error.strerror or error}.") from None
        for name, rows in written.items():
            self.stdout.write(f"{name}: {rows} rows")
