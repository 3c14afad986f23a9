"""The whole database as a folder of CSV files, one per model, and back.

Files are written and read in dependency order (records/resources.py,
RESOURCES); an import is one transaction: every file loads, or nothing does.
"""

from dataclasses import dataclass, field
from pathlib import Path

from django.core.exceptions import NON_FIELD_ERRORS
from django.db import transaction

from .formats import CSV, NotUTF8, decode
from .resources import RESOURCES, unpublishable


def export_all(directory):
    """Write one UTF-8 CSV file per model into `directory`; returns {file name: rows}."""
    directory = Path(directory)
    directory.mkdir(parents=True, exist_ok=True)
    written = {}
    for name, resource_class in RESOURCES.items():
        dataset = resource_class().export()
        (directory / f"{name}.csv").write_text(CSV().export_data(dataset), encoding="utf-8", newline="")
        written[f"{name}.csv"] = len(dataset)
    return written


@dataclass
class ImportReport:
    problems: list = field(default_factory=list)
    totals: dict = field(default_factory=dict)

    @property
    def ok(self):
        return not self.problems


def read_datasets(directory):
    """The datasets of the CSV files present in `directory`, in dependency order."""
    directory = Path(directory)
    known = {f"{name}.csv" for name in RESOURCES}
    strangers = sorted(path.name for path in directory.glob("*.csv") if path.name not in known)
    if strangers:
        raise ValueError(
            f"{', '.join(strangers)}: not a file this database reads (expected {', '.join(sorted(known))})"
        )
    datasets = {}
    for name in RESOURCES:
        path = directory / f"{name}.csv"
        if path.exists():
            try:
                datasets[name] = CSV().create_dataset(decode(path.read_bytes()))
            except NotUTF8 as error:
                raise ValueError(f"{path.name}: {error}") from None
    if not datasets:
        raise ValueError(f"no CSV files to import in {directory}")
    return datasets


def import_all(directory, dry_run=False, on_row=None):
    """Load every CSV file of `directory` in one transaction; nothing is written if anything is wrong."""
    report = ImportReport()
    try:
        datasets = read_datasets(directory)
    except ValueError as error:
        report.problems.append(str(error))
        return report
    imported = []
    with transaction.atomic():
        for name, dataset in datasets.items():
            resource = RESOURCES[name]()
            result = resource.import_data(
                dataset,
                file_name=f"{name}.csv",
                dry_run=False,
                use_transactions=True,
                rollback_on_validation_errors=True,
                defer_publication_check=True,
                on_row=on_row,
            )
            report.totals[f"{name}.csv"] = dict(result.totals)
            report.problems += describe(f"{name}.csv", result)
            imported += resource.imported
        if report.ok:
            refused = unpublishable(imported)
            if refused:
                report.problems.append(f"not publishable: {refused}")
        if dry_run or not report.ok:
            transaction.set_rollback(True)
    return report


def describe(file_name, result):
    """Every problem of an import result, each naming the file, the row and the column."""
    problems = [f"{file_name}: {error.error}" for error in result.base_errors]
    for number, errors in result.row_errors():
        problems += [f"{file_name} row {number}: {error.error}" for error in errors]
    for invalid in result.invalid_rows:
        for column, messages in invalid.error_dict.items():
            where = "" if column == NON_FIELD_ERRORS else f", column {column!r}"
            problems += [f"{file_name} row {invalid.number}{where}: {message}" for message in messages]
    return problems
