from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.utils.text import slugify

from records.popolo.importing import NotPopolo, Reader, read
from records.progress import Progress
from records.transfer import import_all


class Command(BaseCommand):
    help = (
        "Load a Popolo JSON document (persons, organizations, memberships, events, speeches) in one "
        "transaction, through the same checks as the CSV import: all of it, or, on any error, nothing. "
        "New records are drafts unless --publish; a second import of the same file changes nothing."
    )

    def add_arguments(self, parser):
        parser.add_argument("file")
        parser.add_argument("--dry-run", action="store_true", help="Check everything, write nothing.")
        parser.add_argument("--publish", action="store_true", help="Publish the new records (cited facts only).")
        parser.add_argument(
            "--id-scheme",
            help="The identifier scheme that keeps each record's Popolo id (default: popolo-<file name>), "
            "so that the file's next version updates the same records.",
        )

    def handle(self, *args, file, dry_run, publish, id_scheme, **options):
        path = Path(file)
        scheme = id_scheme or f"popolo-{slugify(path.stem)}"
        try:
            document = read(path.read_bytes())
            reader = Reader(document, scheme, publish)
            files = reader.files()
        except OSError as error:
            raise CommandError(f"{file}: {error.strerror}") from None
        except NotPopolo as error:
            raise CommandError(f"{path.name}: {error}; nothing was imported.") from None
        total = sum(len(rows) for rows in files.values())
        with Progress(total, "importing", self.stderr._out) as progress:
            report = import_all(None, dry_run=dry_run, on_rows=progress, files=files)
        if not report.ok:
            for problem in report.problems:
                self.stderr.write(f"{path.name}, as {problem}")
            raise CommandError(f"{len(report.problems)} problem(s); nothing was imported.")
        for line in report.summary():
            self.stdout.write(line)
        for what, count in reader.dropped.items():
            self.stdout.write(f"not kept: {count} {what} (docs/popolo.md)")
        self.stdout.write("Dry run: nothing was written." if dry_run else "Imported.")
