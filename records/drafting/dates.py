"""Relative dates as reports word them ("last year", "yesterday", "on Tuesday"), resolved against the publication date.

Each wording found is kept as stated, with the date it is relative to; the
resolved date is as precise as the wording allows, with a bound where the
wording only says "by then" ("recently": on or before the publication date).
"""

import datetime
import re
from dataclasses import dataclass

ON_OR_BEFORE = "on_or_before"
WEEKDAYS = ["monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"]
MONTHS = [
    "january",
    "february",
    "march",
    "april",
    "may",
    "june",
    "july",
    "august",
    "september",
    "october",
    "november",
    "december",
]
NUMBERS = {"two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "ten": 10}

RELATIVE = re.compile(
    r"\b(?:earlier this (?:year|month|week)|this (?:year|month|week)|last (?:year|month|week)|yesterday|today"
    r"|recently|(?:on )?(?:" + "|".join(WEEKDAYS) + r")|in (?:" + "|".join(MONTHS) + r")(?! \d)"
    r"|(?:\d+|" + "|".join(NUMBERS) + r") (?:days|weeks|months|years) ago)\b",
    re.IGNORECASE,
)


@dataclass
class Dated:
    date: str
    bound: str
    wording: str
    relative_to: str


def find(text, published):
    """The first relative wording in `text`, resolved against `published` (a date); None if there is none."""
    match = RELATIVE.search(text)
    if not match:
        return None
    wording = match.group(0)
    date, bound = resolve(wording, published)
    return Dated(date, bound, wording if not wording[0].isupper() else wording[0].lower() + wording[1:], str(published))


def resolve(wording, published):
    """('2025', '') for 'last year' published in 2026; the publication date, on or before, when no better."""
    words = wording.lower()
    if words == "yesterday":
        return str(published - datetime.timedelta(days=1)), ""
    if words == "today":
        return str(published), ""
    if words == "last year":
        return str(published.year - 1), ""
    if words in ("this week", "earlier this week", "last week"):
        # The month of the week meant, when the whole week lies in one month; else on or before publication.
        monday = published - datetime.timedelta(days=published.weekday() + (7 if words == "last week" else 0))
        sunday = monday + datetime.timedelta(days=6)
        last = min(sunday, published)
        if monday.month == last.month:
            return f"{monday:%Y-%m}", ""
        return str(published), ON_OR_BEFORE
    if words in ("this year", "earlier this year"):
        return str(published.year), ""
    if words == "last month":
        first = published.replace(day=1) - datetime.timedelta(days=1)
        return f"{first:%Y-%m}", ""
    if words in ("this month", "earlier this month"):
        return f"{published:%Y-%m}", ""
    weekday = words.removeprefix("on ")
    if weekday in WEEKDAYS:
        back = (published.weekday() - WEEKDAYS.index(weekday)) % 7
        return str(published - datetime.timedelta(days=back)), ""
    if words.startswith("in "):
        month = MONTHS.index(words[3:]) + 1
        year = published.year if month <= published.month else published.year - 1
        return f"{year}-{month:02d}", ""
    if match := re.match(r"(\w+) days ago", words):
        count = int(match.group(1)) if match.group(1).isdigit() else NUMBERS[match.group(1)]
        return str(published - datetime.timedelta(days=count)), ""
    return str(published), ON_OR_BEFORE
