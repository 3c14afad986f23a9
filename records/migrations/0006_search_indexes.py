"""Search indexes that only PostgreSQL has, and the folded text of existing rows.

SQLite searches the same folded text with plain LIKE, so it needs none of
this; the operations below do nothing there.
"""

from django.contrib.postgres.operations import TrigramExtension
from django.db import migrations

from records.folding import fold

NAMED = {
    "person": lambda r: [r.name],
    "organization": lambda r: [r.name, r.abbreviation],
    "event": lambda r: [r.name, r.place],
    "source": lambda r: [r.title],
}

INDEXES = [
    # The search page: websearch_to_tsquery(...) @@ search_vector, ranked.
    "CREATE INDEX statement_search_vector ON records_statement USING gin (search_vector)",
    # Names by trigram similarity (search_names %> 'query'), and LIKE '%…%'.
    *(
        f"CREATE INDEX {table}_search_names_trgm ON records_{table} USING gin (search_names gin_trgm_ops)"
        for table in ("person", "organization", "event", "source")
    ),
]


def create_indexes(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        for sql in INDEXES:
            schema_editor.execute(sql)


def drop_indexes(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        for sql in INDEXES:
            schema_editor.execute(f"DROP INDEX IF EXISTS {sql.split()[2]}")


def fold_existing(apps, schema_editor):
    OtherName = apps.get_model("records", "OtherName")
    for model_name, names in NAMED.items():
        model = apps.get_model("records", model_name)
        for record in model.objects.all():
            other = []
            if model_name in ("person", "organization"):
                other = OtherName.objects.filter(**{model_name: record}).values_list("name", flat=True)
            folded = "\n".join(dict.fromkeys(fold(name) for name in [*names(record), *other] if name))
            model.objects.filter(pk=record.pk).update(search_names=folded)
    Statement = apps.get_model("records", "Statement")
    for statement in Statement.objects.all():
        Statement.objects.filter(pk=statement.pk).update(search_document=fold(statement.text))


class Migration(migrations.Migration):
    dependencies = [("records", "0005_search_fields")]

    operations = [
        TrigramExtension(),
        migrations.RunPython(create_indexes, drop_indexes),
        migrations.RunPython(fold_existing, migrations.RunPython.noop),
    ]
