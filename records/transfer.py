"""The whole database as a folder of CSV files, one per model, and back.

Files are written and read in dependency order (records/batch/schema.py,
TABLES); an import is one transaction: every file loads, or nothing does.
Both directions go through the batch path (records/batch): exports stream
rows as the database returns them, imports check and write in batches.
"""

from dataclasses import dataclass, field
from pathlib import Path

from django.core.exceptions import NON_FIELD_ERRORS
from django.db import DatabaseError, transaction

from . import health
from .batch import exporting
from .batch.importing import Import
from .batch.schema import TABLES
from .formats import NotCSV, NotUTF8, decode, read_csv


def export_all(directory, on_rows=None, public=False):
    """Write one UTF-8 CSV file per model into `directory`, streaming; returns {file name: rows}.

    `public`: only what the public may see, and no link to anything else (the /data/ download).
    """
    directory = Path(directory)
    directory.mkdir(parents=True, exist_ok=True)
    written = {}
    for name, table in TABLES.items():
        model = table.model
        queryset = model.objects.published() if public and hasattr(model.objects, "published") else None
        with open(directory / f"{name}.csv", "w", encoding="utf-8", newline="") as file:
            written[f"{name}.csv"] = exporting.write_csv(table, file, queryset=queryset, on_rows=on_rows, public=public)
    return written


def count_rows():
    """How many rows export_all will write, for a progress bar."""
    return sum(table.model._base_manager.count() for table in TABLES.values())


WORDS = {"new": "new", "update": "updated", "skip": "unchanged"}


@dataclass
class ImportReport:
    problems: list = field(default_factory=list)
    totals: dict = field(default_factory=dict)
    refused: list = field(default_factory=list)  # the batch's Problems (file, row, column), for other wordings

    @property
    def ok(self):
        return not self.problems

    def summary(self):
        """A line per file: '12 new, 3 updated, 40 unchanged'."""
        for name, totals in self.totals.items():
            counts = ", ".join(f"{count} {WORDS.get(kind, kind)}" for kind, count in totals.items() if count)
            yield f"{name}: {counts or 'empty'}"


def read_files(directory):
    """{name: Rows} of the CSV files present in `directory`, in dependency order."""
    directory = Path(directory)
    if not directory.is_dir():
        raise ValueError(f"{directory}: {'not a folder' if directory.exists() else 'no such folder'}")
    known = {f"{name}.csv" for name in TABLES}
    strangers = sorted(path.name for path in directory.glob("*.csv") if path.name not in known)
    if strangers:
        raise ValueError(
            f"{', '.join(strangers)}: not a file this database reads (expected {', '.join(sorted(known))})"
        )
    files = {}
    for name in TABLES:
        path = directory / f"{name}.csv"
        if path.exists():
            try:
                files[name] = read_csv(decode(path.read_bytes()))
            except (NotUTF8, NotCSV) as error:
                raise ValueError(f"{path.name}: {error}") from None
    if not files:
        raise ValueError(f"no CSV files to import in {directory}")
    return files


def import_all(directory, dry_run=False, on_rows=None, files=None):
    """Load every CSV file of `directory` in one transaction; nothing is written if anything is wrong."""
    report = ImportReport()
    try:
        files = files if files is not None else read_files(directory)
    except ValueError as error:
        report.problems.append(str(error))
        return report
    batch = Import(on_rows=on_rows)
    try:
        with transaction.atomic():
            for name, rows in files.items():
                batch.add(TABLES[name], f"{name}.csv", rows.headers, rows.rows)
            batch.finish()
            if dry_run or not batch.ok:
                transaction.set_rollback(True)
    except DatabaseError as error:
        if not health.database_unavailable(error):
            raise
        reason = str(error).strip().splitlines()[0] if str(error).strip() else type(error).__name__
        report.problems.append(
            f"The database could not be reached during the import ({reason}). The import is one transaction, "
            "so none of it was written: run it again once the database is back."
        )
        return report
    report.problems = [str(problem) for problem in batch.problems]
    report.refused = list(batch.problems)
    report.totals = {name: dict(totals) for name, totals in batch.totals.items()}
    return report


def describe(file_name, result):
    """Every problem of an import result, each naming the file, the row and the column."""
    if hasattr(result, "problems"):
        return result.problems
    problems = [f"{file_name}: {error.error}" for error in result.base_errors]
    for number, errors in result.row_errors():
        problems += [f"{file_name} row {number}: {error.error}" for error in errors]
    for invalid in result.invalid_rows:
        for column, messages in invalid.error_dict.items():
            where = "" if column == NON_FIELD_ERRORS else f", column {column!r}"
            problems += [f"{file_name} row {invalid.number}{where}: {message}" for message in messages]
    return problems
