import os
import sys
from pathlib import Path

from django.core.management.base import BaseCommand

from records.popolo import exporting


class Command(BaseCommand):
    help = (
        "Write every published record as one Popolo JSON document to FILE ('-' for standard output): "
        "persons, organizations, memberships, events and speeches (docs/popolo.md)."
    )

    def add_arguments(self, parser):
        parser.add_argument("file")

    def handle(self, *args, file, **options):
        if file == "-":
            for piece in exporting.document():
                sys.stdout.write(piece)
            return
        target = Path(file)
        partial = target.with_name(f".{target.name}.partial")
        with open(partial, "w", encoding="utf-8") as out:
            for piece in exporting.document():
                out.write(piece)
        os.replace(partial, target)  # a reader never sees half a document
        self.stdout.write(f"{target}: {target.stat().st_size:,} bytes")
