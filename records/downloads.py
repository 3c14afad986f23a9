"""The full published data set as files to download, built by `manage.py build_downloads`, listed at /data/.

A list's own CSV download streams at most PUBLIC_CSV_ROW_LIMIT rows, so that
it always completes within a worker's time limit; the whole data set is
built here ahead of time into DATA_DOWNLOADS_DIR, and served from there as
plain files. `index.json` beside them says what each file is, its size and
when it was built; files are replaced atomically, so a download in progress
keeps reading the file it started on.
"""

import datetime
import json
import os
import tempfile
import zipfile
from pathlib import Path

from django.conf import settings

from .popolo import exporting as popolo
from .transfer import export_all

INDEX = "index.json"
CSV_ZIP = "diplomacy-records-csv.zip"
POPOLO = "diplomacy-records-popolo.json"


def folder():
    return Path(settings.DATA_DOWNLOADS_DIR)


def build(on_rows=None):
    """Build every download; returns the new index entries."""
    target = folder()
    target.mkdir(parents=True, exist_ok=True)
    built_at = datetime.datetime.now(datetime.UTC).replace(microsecond=0)
    with tempfile.TemporaryDirectory(dir=target) as scratch:
        csv_folder = Path(scratch) / "csv"
        rows = export_all(csv_folder, on_rows=on_rows, public=True)
        archive = Path(scratch) / CSV_ZIP
        with zipfile.ZipFile(archive, "w", compression=zipfile.ZIP_DEFLATED) as zipped:
            for name in rows:
                zipped.write(csv_folder / name, f"diplomacy-records/{name}")
        entries = [
            {
                "name": CSV_ZIP,
                "title": "Every published record, one CSV file per kind (docs/csv.md)",
                "format": "zip of CSV",
                "bytes": archive.stat().st_size,
                "built_at": built_at.isoformat(),
                "rows": rows,
            }
        ]
        os.replace(archive, target / CSV_ZIP)
        document = Path(scratch) / POPOLO
        with open(document, "w", encoding="utf-8") as out:
            for piece in popolo.document():
                out.write(piece)
        entries.append(
            {
                "name": POPOLO,
                "title": "Every published record as one Popolo JSON document (docs/popolo.md)",
                "format": "JSON",
                "bytes": document.stat().st_size,
                "built_at": built_at.isoformat(),
                "rows": {},
            }
        )
        os.replace(document, target / POPOLO)
    index = target / f".{INDEX}.new"
    index.write_text(json.dumps({"files": entries}, indent=2))
    os.replace(index, target / INDEX)
    return entries


def listed():
    """The files of the last build, as index.json describes them ([] before the first build)."""
    try:
        files = json.loads((folder() / INDEX).read_text())["files"]
    except (FileNotFoundError, ValueError, KeyError):
        return []
    for entry in files:
        entry["built_at"] = datetime.datetime.fromisoformat(entry["built_at"])
    return [entry for entry in files if (folder() / entry["name"]).is_file()]
