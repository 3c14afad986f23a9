"""Article drafting measured: its proposals against those an editor expects, and its time against a report's length.

    scripts/with-postgres .venv/bin/python bench/drafting.py

For each report of tests/data/articles/reports (and the three older ones of
tests/data/articles), the records its JSON file says are known are created,
the report is read, its proposals are compared with the expected ones
(records/drafting/measure.py) and everything is rolled back. Then reports made
of the founding article's paragraphs, 250 to 2,000 sentences long, are read
and timed. Results: docs/article-drafting.md.
"""

import itertools
import json
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.common import empty_postgresql, setup, table

ARTICLES = Path(__file__).resolve().parent.parent / "tests" / "data" / "articles"
REPORTS = ARTICLES / "reports"
COUNTED = (
    "statements",
    "quotes verbatim, right speaker",
    "speakers",
    "wrong speakers",
    "mentions",
    "statement dates from wording",
    "events",
    "memberships",
    "new people and organizations",
    "wrong proposals",
    "proposals",
)


def know(records):
    """The people and organizations a report's expectations say the database holds."""
    from records.models import Organization, OtherName, Person

    for fields in records.get("people", []):
        person = Person.objects.create(slug=fields["slug"], name=fields["name"], gender=fields.get("gender", ""))
        OtherName.objects.bulk_create(OtherName(person=person, name=name) for name in fields.get("other_names", []))
    for fields in records.get("organizations", []):
        organization = Organization.objects.create(
            slug=fields["slug"],
            name=fields["name"],
            abbreviation=fields.get("abbreviation", ""),
            classification=fields["classification"],
        )
        others = fields.get("other_names", [])
        OtherName.objects.bulk_create(OtherName(organization=organization, name=name) for name in others)


def reports(folders=(REPORTS, ARTICLES)):
    return sorted(itertools.chain(*(folder.glob("*.json") for folder in folders)), key=lambda path: path.stem)


def measure(paths=None):
    """{report name: figures} for each report, read into a database that knows what its expectations say."""
    from django.db import transaction

    from records.drafting.measure import measure as compare
    from records.drafting.reading import read

    found = {}
    for path in paths or reports():
        expected = json.loads(path.read_text(encoding="utf-8"))
        with transaction.atomic():
            know(expected["known"])
            article = read(path.with_suffix(".txt").read_text(encoding="utf-8"), **expected["read"])
            found[path.stem] = compare(article.proposals, expected)
            transaction.set_rollback(True)
    return found


def totals(found):
    total = {}
    for figures in found.values():
        for name, value in figures.items():
            if isinstance(value, tuple):
                done, out_of = total.get(name, (0, 0))
                total[name] = (done + value[0], out_of + value[1])
            else:
                total[name] = total.get(name, 0) + value
    return total


def report(found):
    def cell(value):
        return f"{value[0]}/{value[1]}" if isinstance(value, tuple) else str(value)

    rows = [[name, *(cell(figures[c]) for c in COUNTED)] for name, figures in found.items()]
    rows.append(["**total**", *(f"**{cell(totals(found)[c])}**" for c in COUNTED)])
    return table(["report", *COUNTED], rows)


def timing(lengths=(250, 500, 1000, 2000)):
    """{sentences: seconds} to read reports of that many sentences: the founding article's paragraphs, each
    followed by one that introduces a speaker of its own (so that the report has ever more new names)."""
    from django.db import transaction

    from records.drafting.reading import read
    from records.models import Organization, Person

    text = (ARTICLES / "azernews-2026-03-12-hajiyev-global-baku-forum.txt").read_text(encoding="utf-8")
    header, *paragraphs = text.split("\n\n")
    paragraphs = paragraphs[1:]  # after the byline
    speakers = [
        f"Vusal Mammadli{n}, an analyst at the Caspian Institute, said the talks would continue. “We expect"
        f" progress,” he said."
        for n in range(len(paragraphs))
    ]
    paragraphs = [part for pair in zip(paragraphs, speakers, strict=True) for part in pair]
    per_paragraph = [paragraph.count(". ") + 1 for paragraph in paragraphs]
    seconds = {}
    with transaction.atomic():
        Person.objects.create(slug="hikmet-hajiyev", name="Hikmet Hajiyev")
        Organization.objects.create(slug="azerbaijan", name="Azerbaijan", classification="state")
        for length in lengths:
            body, count = [], 0
            for number, (paragraph, sentences) in enumerate(
                itertools.cycle(zip(paragraphs, per_paragraph, strict=True))
            ):
                if count >= length:
                    break
                body.append(paragraph.replace("Mammadli", f"Mammadli{number}x"))
                count += sentences
            report_text = "\n\n".join([header, *body])
            start = time.perf_counter()
            read(report_text, url="https://example.test/long", publisher="AzerNEWS", published="2026-03-12 17:15+04:00")
            seconds[count] = time.perf_counter() - start
        transaction.set_rollback(True)
    return seconds


def timing_report(seconds):
    first = next(iter(seconds.items()))
    rows = [
        [
            f"{length:,}",
            f"{spent:.2f}",
            f"{spent / length * 1000:.2f}",
            f"{(spent / length) / (first[1] / first[0]):.2f}",
        ]
        for length, spent in seconds.items()
    ]
    return table(["sentences", "seconds", "ms a sentence", "ms a sentence / the shortest's"], rows)


def main():
    setup()
    from records.models import Person

    empty_postgresql(Person)
    print("\nProposals against the expected ones\n")
    print(report(measure()))
    print("\nTime against length\n")
    print(timing_report(timing()))


if __name__ == "__main__":
    main()
