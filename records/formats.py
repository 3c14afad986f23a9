"""The file formats curators exchange: UTF-8 CSV, XLSX and JSON.

CSV is read strictly: a quote that is never closed, a character after a
closing quote, or a cell too large to be one of ours is an error naming the
line, never a row that quietly swallows the rest of the file. Rows are kept
as they are, however many cells they have, so that the import can name a row
that is shorter or longer than the header.
"""

import csv
import io

from django.conf import settings
from import_export.formats import base_formats


class NotUTF8(ValueError):
    pass


class NotCSV(ValueError):
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
    if isinstance(error, NotUTF8 | NotCSV):
        return str(error)
    if isinstance(error, csv.Error):
        return f"The file is not valid CSV: {error}."
    return f"The file could not be read ({type(error).__name__}: {error}). Check the format chosen for it."


class Rows:
    """A file's header and rows as read, each row a list of cells of any length."""

    def __init__(self, headers, rows):
        self.headers = headers
        self.rows = rows

    def __iter__(self):
        return iter(self.rows)

    def __len__(self):
        return len(self.rows)


def read_csv(text):
    """The Rows of CSV text; raises NotCSV naming the line of a malformed file."""
    text = text.removeprefix("\ufeff")
    # A cell may be as long as a whole upload; longer ones are an error of the file, named here.
    limit = max(settings.IMPORT_MAX_UPLOAD_BYTES, settings.IMPORT_MAX_CELL_CHARS) + 1
    csv.field_size_limit(limit)
    reader = csv.reader(io.StringIO(text, newline=""), strict=True)
    rows = []
    while True:
        line = reader.line_num + 1  # where the next row starts
        try:
            cells = next(reader)
        except StopIteration:
            break
        except csv.Error as error:
            if "unexpected end of data" in str(error):
                never_closed = (
                    "a quoted cell starts here and is never closed, so the rest of the file would be one cell"
                )
                raise NotCSV(f"line {line}: {never_closed}") from None
            if "field larger than field limit" in str(error):
                raise NotCSV(f"line {line}: a cell is longer than {limit - 1:,} characters") from None
            raise NotCSV(f"line {line}: {error}") from None
        if cells or rows:  # blank lines at the very start are nothing
            rows.append(cells)
    while rows and not rows[-1]:
        rows.pop()  # the end of the file
    if not rows:
        return Rows([], [])
    return Rows(rows[0], rows[1:])


class CSV(base_formats.CSV):
    def create_dataset(self, in_stream, **kwargs):
        if isinstance(in_stream, bytes):
            in_stream = decode(in_stream)
        return read_csv(in_stream)


FORMATS = [CSV, base_formats.XLSX, base_formats.JSON]
