from django.core.management.base import BaseCommand, CommandError

from records.progress import Progress
from records.transfer import import_all, read_files


class Command(BaseCommand):
    help = (
        "Load the CSV files of DIR (as written by export_csv) in one transaction: all of them, or, "
        "on any error, nothing. Rows already present are matched by their keys and left alone."
    )

    def add_arguments(self, parser):
        parser.add_argument("directory")
        parser.add_argument("--dry-run", action="store_true", help="Check everything, write nothing.")

    def handle(self, *args, directory, dry_run, **options):
        try:
            files = read_files(directory)
        except ValueError as error:
            self.stderr.write(str(error))
            raise CommandError("1 problem(s); nothing was imported.") from None
        total = sum(len(rows) for rows in files.values())
        with Progress(total, "importing", self.stderr._out) as progress:
            report = import_all(directory, dry_run=dry_run, on_rows=progress, files=files)
        if not report.ok:
            for problem in report.problems:
                self.stderr.write(problem)
            raise CommandError(f"{len(report.problems)} problem(s); nothing was imported.")
        for line in report.summary():
            self.stdout.write(line)
        self.stdout.write("Dry run: nothing was written." if dry_run else "Imported.")
