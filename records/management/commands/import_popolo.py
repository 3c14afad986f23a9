from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.utils.text import slugify

from records import health
from records.popolo.importing import COLLECTIONS, NotPopolo, Reader, read
from records.progress import Progress
from records.transfer import WORDS, import_all

# What each of our files holds, in words, for the report.
HERE = {
    "other_names": "other names",
    "former_slugs": "former addresses",
    "participants": "event participants",
}


def describe(reader, problem):
    """A problem of the import in the document's words: the item it comes from, then what is wrong."""
    if isinstance(problem, str):
        return problem
    item = reader.origin(problem.file, problem.row)
    if item is None:
        return str(problem)
    field = HERE.get(problem.file.removesuffix(".csv"), problem.file.removesuffix(".csv"))
    column = f" ({field}: {problem.column})" if problem.column else f" ({field})"
    return f"{item}{column}: {problem.message}"


class Command(BaseCommand):
    help = (
        "Load a Popolo JSON document (persons, organizations, posts, memberships, events, speeches) in one "
        "transaction, through the same checks as the CSV import: all of it, or, on any error, nothing. "
        "Facts without sources of their own cite the document's sources (its meta.sources, and the document "
        "itself). New records are drafts unless --publish; --publish also publishes the drafts already here "
        "that the document covers, and says how many. A second import of the same file changes nothing."
    )

    def add_arguments(self, parser):
        parser.add_argument("file")
        parser.add_argument("--dry-run", action="store_true", help="Check everything, write nothing.")
        parser.add_argument(
            "--publish",
            action="store_true",
            help="Publish every record the document covers: new ones, and drafts already here.",
        )
        parser.add_argument(
            "--url", default="", help="Where the document was published: the address of its own source record."
        )
        parser.add_argument(
            "--id-scheme",
            help="The identifier scheme that keeps each record's Popolo id (default: popolo-<file name>), "
            "so that the file's next version updates the same records.",
        )

    def handle(self, *args, file, dry_run, publish, url, id_scheme, **options):
        path = Path(file)
        scheme = id_scheme or f"popolo-{slugify(path.stem)}"
        not_ready = health.unmigrated()
        if not_ready:
            raise CommandError(f"{not_ready}; nothing was imported.")
        try:
            document = read(path.read_bytes())
            reader = Reader(document, scheme, publish, name=path.name, url=url)
            files = reader.files()
        except OSError as error:
            raise CommandError(f"{file}: {error.strerror}") from None
        except NotPopolo as error:
            raise CommandError(f"{path.name}: {error}; nothing was imported.") from None
        total = sum(len(rows) for rows in files.values())
        with Progress(total, "importing", self.stderr._out) as progress:
            report = import_all(None, dry_run=dry_run, on_rows=progress, files=files)
        if not report.ok:
            # What rests on a refused item is refused with it: the item's own problem is the one to mend.
            own = [problem for problem in report.refused if not problem.consequence] or report.problems
            for problem in own:
                self.stderr.write(f"{path.name}: {describe(reader, problem)}")
            raise CommandError(f"{len(own)} problem(s); nothing was imported.")
        if options["verbosity"] == 0:
            return
        read_counts = ", ".join(f"{len(document.get(key, []))} {key}" for key in COLLECTIONS)
        self.stdout.write(f"{path.name} holds {read_counts}.")
        self.stdout.write("Here they are:")
        for name, totals in report.totals.items():
            counts = ", ".join(f"{count} {WORDS.get(kind, kind)}" for kind, count in totals.items() if count)
            self.stdout.write(f"  {HERE.get(name.removesuffix('.csv'), name.removesuffix('.csv'))}: {counts}")
        for model, count in reader.published_now.items():
            self.stdout.write(f"published: {count} {model._meta.verbose_name_plural} that were drafts")
        for what, count in reader.kept_otherwise.items():
            self.stdout.write(f"kept otherwise: {count} {what} (docs/popolo.md)")
        for what, count in reader.dropped.items():
            self.stdout.write(f"not kept: {count} {what} (docs/popolo.md)")
        self.stdout.write("Dry run: nothing was written." if dry_run else "Imported.")
