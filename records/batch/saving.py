"""Step 4 of importing a file: a checked batch written with its links, history and derived data.

New and changed records are written in bulk (batch/writing.py), with their
history rows (the reason names the file), their many-to-many links and their
search text, computed before the write; the derived data follows
(records/derived.py). The database's constraints remain the final net: a
batch it refuses is written again row by row to name the offending row and
column.
"""

from django.db import IntegrityError, transaction
from simple_history.models import HistoricalRecords

from .. import derived
from ..models import Statement, Topic
from ..models.base import CitedFact
from . import rules
from .writing import new_record


class Saving:
    """The writing of a file's checked batches, a part of batch/importing.py's File.

    Records arrive with `_changed` (the fields that differ), `_links` (many-to-many ids) and
    `_row` (the file's row number); the writes go through `writer` (batch/writing.py).
    """

    def write(self, created, changed, stored_links):
        if not created and not changed:
            return
        stamps = {f.attname for f in self.model._meta.concrete_fields} & {"created", "updated"}
        for record in created:
            for stamp in stamps:
                setattr(record, stamp, self.writer.now)
        for record in changed:
            if "updated" in stamps:
                record.updated = self.writer.now
        if derived.searchable(self.model):
            self.set_search_text(created, changed, stored_links)
        try:
            with transaction.atomic():
                self.write_batch(created, changed, stored_links)
        except IntegrityError:
            # The database refused what Python let through: write the rows one by one to name them.
            for record in [*created, *changed]:
                new = record in created
                try:
                    with transaction.atomic():
                        self.write_batch([record] if new else [], [] if new else [record], stored_links)
                except IntegrityError as error:
                    self.refuse_row(record._row, *self.constraint_of(error))
            return

    def set_search_text(self, created, changed, stored_links):
        """The search text of new and changed records, before they are written (records/derived.py)."""
        inputs = set(self.model.search_inputs)
        if self.model is not Statement:
            derived.prepare(created, extra={})  # other names and identifiers come in files of their own
            derived.prepare([record for record in changed if set(record._changed) & inputs])
            return
        # A statement is found by its topics too: those of its row, or those it has.
        names = self.topic_names()
        for record in [*created, *changed]:
            if record in changed and not (set(record._changed) & inputs or "topics" in record._links):
                continue
            topics = record._links.get("topics")
            if topics is None:
                topics = stored_links.get("topics", {}).get(record.pk) or self.stored_topics(record)
            derived.prepare([record], extra={record.pk: [names[pk] for pk in topics]})

    def topic_names(self):
        if not hasattr(self, "_topic_names"):
            self._topic_names = dict(Topic.objects.values_list("pk", "name"))
        return self._topic_names

    def stored_topics(self, record):
        if record.pk is None:
            return []
        return list(Statement.topics.through.objects.filter(statement_id=record.pk).values_list("topic_id", flat=True))

    def write_batch(self, created, changed, stored_links):
        model, writer = self.model, self.writer
        # The owners a changed other name leaves: their search text loses it (records/derived.py).
        owners_before = derived.owners(model, [r.pk for r in changed]) if changed else None
        if created:
            for record in created:
                record._state.adding = True
            writer.create(model, created)
        if changed:
            fields = {name for record in changed for name in record._changed}
            fields |= {"updated"} & {f.attname for f in model._meta.concrete_fields}
            if derived.searchable(model):
                fields.add(model.search_field)
            writer.update(model, changed, sorted(fields))
        history_ids = {}
        if hasattr(model, "history"):
            history_ids.update(zip([r.pk for r in created], writer.history(model, created, "+"), strict=True))
            history_ids.update(zip([r.pk for r in changed], writer.history(model, changed, "~"), strict=True))
        written = self.write_links(created, changed, stored_links)
        self.write_links_history(created, changed, written, history_ids)
        # Written without save(): the owners' search text, the flags and the version follow (records/derived.py).
        fields = None if created else {name for record in changed for name in record._changed}
        derived.written(
            model,
            [r.pk for r in [*created, *changed]],
            fields,
            new=not changed,
            prepared=True,
            owners_before=owners_before,
        )
        for kind, records in (("new", created), ("update", changed)):
            if records:
                self.totals[kind] += len(records)
        for record in [*created, *changed]:
            self.remember(record)

    def write_links(self, created, changed, stored_links):
        """Add and remove many-to-many links; returns the links written for new records, by column."""
        written = {}
        for column in self.columns.values():
            if column.kind != "links" or column.name not in self.headers:
                continue
            through, source, target = link_table(self.model, column.attribute)
            added, removed = [], set()
            for record in [*created, *changed]:
                wanted = record._links.get(column.attribute)
                if wanted is None:
                    continue
                before = stored_links[column.attribute].get(record.pk, set()) if record in changed else set()
                added += [
                    new_record(through, {source: record.pk, target: other}) for other in wanted if other not in before
                ]
                removed |= {(record.pk, other) for other in before - set(wanted)}
            if removed:
                stale = through._base_manager.filter(**{f"{source}__in": {pk for pk, _ in removed}})
                stale = [row for row in stale if (getattr(row, source), getattr(row, target)) in removed]
                if hasattr(through, "history"):
                    self.writer.history(through, stale, "-")
                self.writer.delete(through, [row.pk for row in stale])
            self.writer.create(through, added)
            if hasattr(through, "history"):
                self.writer.history(through, added, "+")
            written[column.attribute] = added
        return written

    def write_links_history(self, created, changed, written, history_ids):
        """Many-to-many fields kept in history (a statement's topics): the links as of each new history row."""
        history = getattr(self.model, "history", None)
        for m2m_field in getattr(history.model, "_history_m2m_fields", []) if history else []:
            through, source, _ = link_table(self.model, m2m_field.name)
            fields = [f.attname for f in through._meta.concrete_fields]
            # New records' links were just written; changed ones' are read, untouched ones included.
            created_ids = {record.pk for record in created}
            links = [
                [getattr(link, name) for name in fields]
                for link in written.get(m2m_field.name, [])
                if getattr(link, source) in created_ids
            ]
            if changed:
                current = through._base_manager.filter(**{f"{source}__in": [r.pk for r in changed]})
                links += current.values_list(*fields)
            rows = [dict(zip(fields, link, strict=True)) for link in links]
            rows = [row | {"history_id": history_ids[row[source]]} for row in rows if row[source] in history_ids]
            self.writer.insert_rows(HistoricalRecords.m2m_models[m2m_field], rows)

    def remember(self, record):
        """What later rows and files need of a written record: its id by slug, its citations."""
        if self.parent_column is not None:
            self.resolved.setdefault(self.model, {})[record.slug] = record.pk
        if isinstance(record, CitedFact) and record.reviewers_only:
            self.batch.published_facts[self.model][record.pk] = (self.name, record._row)

    def constraint_of(self, error):
        """(column, message) of a database refusal, from the constraint it names."""
        text = str(error)
        for constraint in self.model._meta.constraints:
            if constraint.name in text:
                names = getattr(constraint, "fields", ()) or rules.fields_of(constraint.condition)[::-1]
                return self.column_reading(list(names)), constraint.get_violation_error_message()
        for model_field in self.model._meta.concrete_fields:
            if model_field.unique and not model_field.primary_key and model_field.column in text:
                noun = self.model._meta.verbose_name
                return self.column_reading([model_field.name]), f"another {noun} already has this {model_field.name}"
        return None, f"the database refused the row: {text.splitlines()[0]}"


def link_table(model, attribute):
    """(through model, its attname for the record, its attname for the linked record) of a many-to-many."""
    m2m = model._meta.get_field(attribute)
    return m2m.remote_field.through, m2m.m2m_column_name(), m2m.m2m_reverse_name()
