import sys

from django.core.management.base import BaseCommand, CommandError
from tqdm import tqdm

from records.transfer import import_all, read_datasets

WORDS = {"new": "new", "update": "updated", "skip": "unchanged", "delete": "deleted", "error": "errors"}


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
            total = sum(len(dataset) for dataset in read_datasets(directory).values())
        except ValueError:
            total = 0  # import_all reports the problem
        with tqdm(total=total, unit="row", disable=not sys.stderr.isatty(), file=sys.stderr) as bar:
            report = import_all(directory, dry_run=dry_run, on_row=bar.update)
        if not report.ok:
            for problem in report.problems:
                self.stderr.write(problem)
            raise CommandError(f"{len(report.problems)} problem(s); nothing was imported.")
        for name, totals in report.totals.items():
            counts = ", ".join(f"{count} {WORDS.get(kind, kind)}" for kind, count in totals.items() if count)
            self.stdout.write(f"{name}: {counts or 'empty'}")
        self.stdout.write("Dry run: nothing was written." if dry_run else "Imported.")
