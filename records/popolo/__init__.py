"""Popolo JSON (https://www.popoloproject.com/) in and out: exporting.py writes the published records as one
document, importing.py reads a document into the batch import path. docs/popolo.md maps every field."""
