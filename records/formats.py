"""The file formats curators exchange: UTF-8 CSV, XLSX and JSON."""

import csv

from django.conf import settings
from import_export.formats import base_formats


class NotUTF8(ValueError):
    pass


def decode(data):
    """Text of an uploaded file: UTF-8, with or without a byte order mark, and nothing else."""
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise NotUTF8(read_error_message(error)) from None


def read_error_message(error):
    """What went wrong reading a file, in words a curator can act on."""
    if isinstance(error, UnicodeDecodeError):
        return (
            f"The file is not UTF-8 text (byte 0x{error.object[error.start]:02X} at position {error.start} cannot "
            "be read as UTF-8); save it as 'CSV UTF-8' and try again."
        )
    if isinstance(error, NotUTF8):
        return str(error)
    if isinstance(error, csv.Error):
        return f"The file is not valid CSV: {error}."
    return f"The file could not be read ({type(error).__name__}: {error}). Check the format chosen for it."


class CSV(base_formats.CSV):
    def create_dataset(self, in_stream, **kwargs):
        if isinstance(in_stream, bytes):
            in_stream = decode(in_stream)
        # Python's csv module refuses cells over 128 KiB before our own limit
        # could name the row and column: let it read up to the upload limit.
        csv.field_size_limit(max(csv.field_size_limit(), settings.IMPORT_MAX_UPLOAD_BYTES))
        return super().create_dataset(in_stream.removeprefix("\ufeff"), **kwargs)


FORMATS = [CSV, base_formats.XLSX, base_formats.JSON]
