import os
import sys
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from records import health
from records.popolo import exporting


class Command(BaseCommand):
    help = (
        "Write the published records as one Popolo JSON document to FILE ('-' for standard output): "
        "persons, organizations, posts, memberships, events and speeches (docs/popolo.md). With --all, "
        "drafts too, each record with its status: a copy of the whole database for a move."
    )

    def add_arguments(self, parser):
        parser.add_argument("file")
        parser.add_argument(
            "--all", action="store_true", dest="everything", help="Drafts as well, each record with its status."
        )

    def handle(self, *args, file, everything, **options):
        not_ready = health.unmigrated()
        if not_ready:
            raise CommandError(not_ready)
        if file == "-":
            for piece in exporting.document(everything):
                sys.stdout.write(piece)
            return
        target = Path(file)
        partial = target.with_name(f".{target.name}.partial")
        try:
            with open(partial, "w", encoding="utf-8") as out:
                for piece in exporting.document(everything):
                    out.write(piece)
        except OSError as error:
            raise CommandError(f"{file}: {error.strerror}") from None
        os.replace(partial, target)  # a reader never sees half a document
        self.stdout.write(f"{target}: {target.stat().st_size:,} bytes")
