"""Popolo import of a large legislature-shaped file, against the CSV import of the same records.

    scripts/with-postgres .venv/bin/python bench/popolo.py [--persons 5000] [--memberships 20000]

Makes up a document shaped like EveryPolitician's (persons with UUID ids, partial birth dates, other names,
identifiers and links; a legislature, parties, terms; memberships with a party, an area, a term and a
source), imports it with import_popolo into an empty database, exports the result with export_csv, empties
the database and imports those CSV files with import_csv: the same records through both doors, in one run.
Before it, each real EveryPolitician file of tests/data/popolo/real is timed on its own. Results:
docs/benchmarks.md.
"""

import argparse
import json
import sys
import tempfile
import uuid
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.common import empty_postgresql, measured, setup, table

TERMS = 10
PARTIES = 20
AREAS = 6


def document(persons, memberships):
    """A Popolo document of `persons` people and `memberships` seats, every field EveryPolitician fills."""
    people = []
    for n in range(persons):
        people.append(
            {
                "id": str(uuid.UUID(int=n + 1)),
                "name": f"Şükrü İğdeli {n}",
                "sort_name": f"İğdeli {n}, Şükrü",
                "given_name": "Şükrü",
                "family_name": f"İğdeli {n}",
                "gender": "female" if n % 2 else "male",
                "birth_date": str(1940 + n % 50) if n % 3 else f"{1940 + n % 50}-{1 + n % 12:02d}",
                "image": f"https://example.org/photos/{n}.jpg",
                "identifiers": [{"scheme": "wikidata", "identifier": f"Q{900000 + n}"}],
                "other_names": [
                    {"name": f"Σουκρού Ιγδελί {n}", "lang": "el", "note": "multilingual"},
                    {"name": f"شكرو {n}", "lang": "ar", "note": "multilingual"},
                ],
                "links": [{"url": f"https://en.wikipedia.org/wiki/Person_{n}", "note": "Wikipedia (en)"}],
            }
        )
    organizations = [{"id": "legislature", "name": "Assembly of the Republic", "classification": "legislature"}]
    organizations += [
        {"id": f"party/{p}", "name": f"Party {p}", "classification": "party", "other_names": [{"name": f"P{p}"}]}
        for p in range(PARTIES)
    ]
    events = [
        {
            "id": f"term/{t}",
            "name": f"Term {t}",
            "classification": "legislative period",
            "start_date": f"{1980 + 4 * t}-01-01",
            "end_date": f"{1983 + 4 * t}-12-31",
        }
        for t in range(TERMS)
    ]
    seats = []
    for m in range(memberships):
        term = m // persons % TERMS
        seats.append(
            {
                "person_id": people[m % persons]["id"],
                "organization_id": "legislature",
                "on_behalf_of_id": f"party/{m % PARTIES}",
                "legislative_period_id": f"term/{term}",
                "area_id": f"area/{m % AREAS}",
                "role": "member",
                "sources": [{"url": f"https://en.wikipedia.org/wiki/Term_{term}"}],
            }
        )
    areas = [{"id": f"area/{a}", "name": f"Gazimağusa {a}", "type": "constituency"} for a in range(AREAS)]
    return {
        "persons": people,
        "organizations": organizations,
        "events": events,
        "memberships": seats,
        "areas": areas,
        "posts": [],
    }


def settle():
    """Fresh statistics, and no autovacuum to start mid-measurement (PostgreSQL, outside a transaction)."""
    from django.db import connection

    if connection.vendor == "postgresql" and connection.get_autocommit():
        with connection.cursor() as cursor:
            cursor.execute("VACUUM ANALYZE")


def run(persons=5_000, memberships=20_000, folder=None):
    """Time import_popolo and import_csv of the same records; returns {name: Measured} and the row counts."""
    from django.core.management import call_command

    from records.models import Membership

    folder = Path(folder or tempfile.mkdtemp(prefix="diplomacy-bench-popolo-"))
    path = folder / "legislature.json"
    path.write_text(json.dumps(document(persons, memberships), ensure_ascii=False))
    results = {}
    settle()
    with measured() as results["popolo"]:
        call_command("import_popolo", str(path), "--publish", verbosity=0)
    results["popolo"].result = Membership.objects.count()
    with measured() as results["popolo again"]:
        call_command("import_popolo", str(path), "--publish", verbosity=0)
    call_command("export_csv", str(folder / "csv"), verbosity=0)
    call_command("flush", interactive=False, verbosity=0)
    settle()
    with measured() as results["csv"]:
        call_command("import_csv", str(folder / "csv"), verbosity=0)
    results["csv"].result = Membership.objects.count()
    return results


REAL_FILES = Path(__file__).resolve().parent.parent / "tests" / "data" / "popolo" / "real"


def real_files(paths=None):
    """Each real EveryPolitician file (tests/data/popolo/real) into an empty database: the import with
    --publish, the same again, export_popolo --all and its import into an empty database; {file: row}."""
    from django.core.management import call_command

    from records.models import Membership, Person
    from records.resources import RESOURCES

    def empty():
        for resource in reversed(RESOURCES.values()):
            resource._meta.model._base_manager.all().delete()

    found = {}
    for path in paths or sorted(REAL_FILES.glob("*.json")):
        empty()
        steps = {}
        with measured() as steps["import"]:
            call_command("import_popolo", str(path), "--publish", verbosity=0)
        with measured() as steps["again"]:
            call_command("import_popolo", str(path), "--publish", verbosity=0)
        with tempfile.TemporaryDirectory() as folder:
            copy = Path(folder) / "all.json"
            with measured() as steps["export --all"]:
                call_command("export_popolo", str(copy), "--all", verbosity=0)
            empty()
            with measured() as steps["its import"]:
                call_command("import_popolo", str(copy), verbosity=0)
        found[path.name] = (Person.objects.count(), Membership.objects.count(), steps)
    empty()
    return found


def real_files_report(found):
    rows = [
        [name, people, memberships, *(f"{step.seconds:.2f}" for step in steps.values()), steps["again"].writes]
        for name, (people, memberships, steps) in found.items()
    ]
    header = ["file", "people", "memberships", "import s", "again s", "export --all s", "its import s"]
    return table([*header, "writes again"], rows)


def report(results):
    rows = [
        [
            name,
            f"{found.seconds:.1f}",
            f"{found.queries:,}",
            f"{found.writes:,}",
            f"{found.seconds / results['csv'].seconds:.2f}",
        ]
        for name, found in results.items()
    ]
    return table(["import", "seconds", "queries", "writing queries", "/ CSV import"], rows)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--persons", type=int, default=5_000)
    parser.add_argument("--memberships", type=int, default=20_000)
    args = parser.parse_args()
    setup()
    from records.models import Person

    empty_postgresql(Person)
    print("\nReal EveryPolitician files, each into an empty database\n")
    print(real_files_report(real_files()))
    results = run(args.persons, args.memberships)
    print(f"\n{args.persons:,} persons, {args.memberships:,} Popolo memberships ({results['csv'].result:,} ours)\n")
    print(report(results))


if __name__ == "__main__":
    main()
