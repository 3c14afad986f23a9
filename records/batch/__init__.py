"""Many rows at once, in and out: the one path every bulk writer and exporter of records takes.

- importing.py: files checked in Python, references resolved once per file,
  rows written in batches with their history and search text;
- rules.py: the models' check constraints evaluated in Python;
- columns.py: how each column's cells are read and written;
- writing.py: COPY on PostgreSQL, bulk statements elsewhere;
- exporting.py: rows streamed from the database as files.
"""
