"""Dates known to the year, the month or the day.

Sources rarely give full dates ("last year", "in March"). A partial date is
stored as an ISO 8601 prefix -- "2025", "2025-03" or "2025-03-12" -- the form
the Popolo standard uses. Such strings sort correctly as text, so the database
orders them without help, and each is shown at its own precision.
"""

import calendar
import datetime
import re

from django import forms
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Max, Min

PATTERN = re.compile(r"^(?P<year>\d{4})(?:-(?P<month>\d{2})(?:-(?P<day>\d{2}))?)?$")
# The same shape, for database check constraints (SQL regular expressions).
SQL_PATTERN = r"^[0-9]{4}(-[0-9]{2}(-[0-9]{2})?)?$"

YEAR, MONTH, DAY = "year", "month", "day"


class PartialDate(str):
    """An ISO 8601 date prefix that knows its precision and how to read aloud."""

    __slots__ = ()

    def __new__(cls, value):
        value = str(value).strip()
        match = PATTERN.match(value)
        if not match:
            raise ValueError(
                f"{value!r} is not a date: use YYYY, YYYY-MM or YYYY-MM-DD (e.g. 2025, 2025-03, 2025-03-12)"
            )
        year = int(match["year"])
        month = int(match["month"]) if match["month"] else None
        day = int(match["day"]) if match["day"] else None
        if year < 1:
            raise ValueError(f"{value!r} is not a date: there is no year 0")
        if month is not None and not 1 <= month <= 12:
            raise ValueError(f"{value!r} is not a date: month {month} does not exist")
        if day is not None and not 1 <= day <= calendar.monthrange(year, month)[1]:
            raise ValueError(f"{value!r} is not a date: {calendar.month_name[month]} {year} has no day {day}")
        return super().__new__(cls, value)

    @property
    def precision(self):
        return {4: YEAR, 7: MONTH, 10: DAY}[len(self)]

    @property
    def year(self):
        return int(self[:4])

    @property
    def month(self):
        return int(self[5:7]) if len(self) >= 7 else None

    @property
    def day(self):
        return int(self[8:10]) if len(self) == 10 else None

    def first_day(self):
        return datetime.date(self.year, self.month or 1, self.day or 1)

    def last_day(self):
        month = self.month or 12
        return datetime.date(self.year, month, self.day or calendar.monthrange(self.year, month)[1])

    def label(self):
        """'2025', 'March 2025' or '12 March 2025'."""
        if self.precision == YEAR:
            return str(self.year)
        month = calendar.month_name[self.month]
        if self.precision == MONTH:
            return f"{month} {self.year}"
        return f"{self.day} {month} {self.year}"


def tolerant(value, otherwise=None):
    """`value` as a PartialDate, or `otherwise` when it is empty or no date: for what a page or a load reads,
    where one malformed value must not fail the whole (the database's constraints refuse them on writing)."""
    if value in (None, ""):
        return otherwise
    try:
        return PartialDate(value)
    except ValueError:
        return otherwise


def longest_valid(text):
    """(the longest prefix of `text` that is a partial date, as text; whether `text` said more than that):
    '1956-00-00' -> ('1956', True), '1961-02-30' -> ('1961-02', True), '1970-05-01' -> ('1970-05-01', False)."""
    text = text[:10]
    for length in (10, 7, 4):
        if len(text) >= length and (found := tolerant(text[:length])) is not None:
            return str(found), length < len(text)
    return "", bool(text)


def validate_partial_date(value):
    if value in (None, ""):
        return
    try:
        PartialDate(value)
    except ValueError as error:
        raise ValidationError(str(error), code="invalid_partial_date") from None


class PartialDateFormField(forms.CharField):
    def __init__(self, **kwargs):
        kwargs.setdefault("max_length", 10)
        super().__init__(**kwargs)
        self.widget.attrs.setdefault("placeholder", "YYYY, YYYY-MM or YYYY-MM-DD")


class PartialDateField(models.CharField):
    """A date of year, month or day precision, stored as its ISO prefix ('' when unknown)."""

    description = "Date of year, month or day precision (ISO 8601 prefix)"
    default_validators = [validate_partial_date]

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("max_length", 10)
        kwargs.setdefault("blank", True)
        kwargs.setdefault("default", "")
        super().__init__(*args, **kwargs)

    def deconstruct(self):
        name, path, args, kwargs = super().deconstruct()
        for key, value in (("max_length", 10), ("blank", True), ("default", "")):
            if kwargs.get(key) == value:
                del kwargs[key]
        return name, path, args, kwargs

    @staticmethod
    def _wrap(value):
        # Invalid input is reported by validation, not by loading it.
        return tolerant(value, otherwise=value if value is not None else "")

    def from_db_value(self, value, expression, connection):
        return self._wrap(value)

    def to_python(self, value):
        if isinstance(value, PartialDate):
            return value
        return self._wrap(super().to_python(value))

    def formfield(self, **kwargs):
        return super().formfield(**{"form_class": PartialDateFormField, **kwargs})


def years_spanned(queryset, field):
    """The years from the latest to the earliest value of a partial-date column, newest first.

    Reads only the first and last value (an index answers that at once), never
    every distinct date: lists and filters stay fast on millions of rows.
    """
    # "> ''" rather than "<> ''": a range, so the index starts at the first known date.
    span = queryset.filter(**{f"{field}__gt": ""}).aggregate(first=Min(field), last=Max(field))
    if not span["first"]:  # an empty column gives NULL, which the field reads as ""
        return []
    return [str(year) for year in range(int(span["last"][:4]), int(span["first"][:4]) - 1, -1)]
