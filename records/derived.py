"""Derived data, kept in one place: the stored search text, the statements' visibility flag, the data version.

Three values are computed from the records and never edited:

- the **search text**: people, organizations, events, posts and sources keep
  their names folded in `search_names`, statements their text in
  `search_document`, with what else each is found by (`search_also`: other
  names, identifiers, topics), so that both databases search the same folded
  text (records/search.py asks it, records/folding.py folds);
- the **visibility flag** of statements (`public`): the answer of the rule of
  records/visibility.py, kept in a column so that a million rows filter and
  sort on one index instead of joining speakers and sources;
- the **data version** (models.DataVersion): one counter every write
  advances, behind ETags and the page cache (records/caching.py).

Every write reaches them here, and nothing else keeps them:

- a save, a delete or a change of many-to-many links, fixtures' raw saves
  included: the signal receivers that `connect()` wires up (records/apps.py);
- writes in bulk: the records' querysets derive from `KeptQuerySet`
  (bulk_create, bulk_update, update; deletes send the signals above);
- a writer that goes around both (the batch import's COPY and raw SQL):
  `prepare()` before it writes and `written()` after.

Merges, Popolo imports, drafting, reverts and the admin's actions write
through these. tests/test_write_paths.py enumerates every way the code base
writes a record and checks all three values after each.
"""

import functools
from collections import defaultdict

from django.apps import apps
from django.core.exceptions import ObjectDoesNotExist
from django.db import models
from django.db.models import Exists, OuterRef, QuerySet
from django.db.models.signals import m2m_changed, post_delete, post_save, pre_save

from . import visibility
from .chunks import chunks
from .folding import fold

APP = "records"
SEARCH_CHUNK = 2_000  # records whose search text is recomputed at once
FLAG_CHUNK = 10_000  # ids per flag refresh: well under SQLite's limit of variables in one statement


def record_models():
    """The app's own models and the link tables of their many-to-many fields, never history tables."""
    return [
        model
        for model in apps.get_app_config(APP).get_models(include_auto_created=True)
        if not model.__name__.startswith("Historical")
    ]


def advance():
    """One more write: pages and ETags move on."""
    apps.get_model(APP, "DataVersion").advance()


def _touches(fields, inputs):
    return fields is None or bool(set(fields) & set(inputs))


# The search text ----------------------------------------------------------------------


def searchable(model):
    return hasattr(model, "search_field")


def search_text(record, extra=()):
    """What search looks in for `record`: its names (or text) and what else it is known by, folded, one a line."""
    names = [*(getattr(record, name) for name in record.search_inputs), *extra]
    return "\n".join(dict.fromkeys(fold(name) for name in names if name))


@functools.cache
def _search_tables(owner):
    """(table, owner's attname in it, lookup of the text) of each of `search_also`: 'other_names__name' ->
    (OtherName, 'person_id', 'name'); 'topics__name' -> (the link table, 'statement_id', 'topic__name')."""
    tables = []
    for path in getattr(owner, "search_also", ()):
        relation, text = path.split("__", 1)
        field = owner._meta.get_field(relation)
        if field.many_to_many:
            through = field.remote_field.through
            tables.append((through, field.m2m_column_name(), f"{field.m2m_reverse_field_name()}__{text}"))
        else:
            tables.append((field.related_model, field.field.attname, text))
    return tables


@functools.cache
def search_parts():
    """{model: [(searchable owner, table, owner's attname, lookup of the model's ids)]}: what a write of it changes.

    A written other name changes its owner's text; a renamed topic, that of its statements; a link between
    statement and topic, that of the statement. Derived from each searchable model's `search_also`.
    """
    parts = defaultdict(list)
    for owner in record_models():
        for table, attname, text in _search_tables(owner):
            parts[table].append((owner, table, attname, "pk"))
            if "__" in text:  # through a link table: the linked model's ids are one step away
                link = text.split("__", 1)[0]
                target = table._meta.get_field(link).related_model
                parts[target].append((owner, table, attname, f"{link}_id"))
    return dict(parts)


def extra_texts(model, pks):
    """{pk: [texts]} what else records are found by: other names and identifiers (a Wikidata QID finds its
    record), a statement's topics."""
    found = {}
    for chunk in chunks(list(pks)):
        for table, attname, text in _search_tables(model):
            rows = table._base_manager.filter(**{f"{attname}__in": chunk}).order_by("pk").values_list(attname, text)
            for pk, value in rows:
                found.setdefault(pk, []).append(value)
    return found


def prepare(records, extra=None):
    """Compute the search text of unsaved or changed records of one model, in place, before they are written.

    `extra` maps a record's pk to what else it is found by; without it, that of saved records is read.
    """
    records = list(records)
    if not records or not searchable(type(records[0])):
        return
    model = type(records[0])
    if extra is None:
        extra = extra_texts(model, [record.pk for record in records if record.pk is not None])
    for record in records:
        setattr(record, model.search_field, search_text(record, extra.get(record.pk, ())))


def refresh_search(model, pks):
    """Recompute the stored search text of saved records from what they hold now, in bulk."""
    for chunk in chunks(list(pks), SEARCH_CHUNK):
        records = list(model._base_manager.filter(pk__in=chunk).only("pk", *model.search_inputs))
        prepare(records)
        model._base_manager.bulk_update(records, [model.search_field])


def owners(model, pks):
    """{owner model: ids} of the searchable records whose text rows `pks` of `model` are part of, as stored now."""
    found = defaultdict(set)
    for owner, table, attname, key in search_parts().get(model, ()):
        for chunk in chunks(list(pks)):
            ids = table._base_manager.filter(**{f"{key}__in": chunk}).values_list(attname, flat=True)
            found[owner].update(pk for pk in ids if pk is not None)
    return found


def _owners_of_instance(instance):
    """owners() of one record in hand, read from its own fields where they say it (after a delete, too)."""
    found = defaultdict(set)
    for owner, table, attname, key in search_parts().get(type(instance), ()):
        if table is type(instance) and key == "pk":
            if getattr(instance, attname) is not None:
                found[owner].add(getattr(instance, attname))
        else:
            found[owner] |= owners(type(instance), [instance.pk])[owner]
    return found


def _refresh_owners(*found):
    merged = defaultdict(set)
    for each in found:
        for owner, pks in (each or {}).items():
            merged[owner] |= set(pks)
    for owner, pks in merged.items():
        if pks:
            refresh_search(owner, pks)


# The visibility flag ------------------------------------------------------------------


@functools.cache
def flagged_models():
    return [model for model in record_models() if getattr(model, "public_flag", None)]


@functools.cache
def flag_inputs(model):
    """The fields of `model` whose change can change a flag: its status, and its links to what it requires."""
    if model not in flagged_models() and model not in flag_dependencies():
        return frozenset()
    status = {"status"} if visibility.has_status(model) else set()
    return frozenset(status | visibility.requirement_fields(model))


def refresh_flags_of(queryset):
    """Set the flag of these rows to what the rule says now; only rows whose answer changed are written."""
    model = queryset.model
    flag = model.public_flag
    holds = Exists(model._base_manager.filter(pk=OuterRef("pk")).filter(visibility.rule(model)))
    rows = QuerySet(model, using=queryset.db).filter(pk__in=queryset.values("pk"))
    changed = QuerySet.update(rows.filter(**{flag: True}).exclude(holds), **{flag: False})
    return changed + QuerySet.update(rows.filter(**{flag: False}).filter(holds), **{flag: True})


def refresh_flags(model, pks, new=False):
    """After rows of `model` were written: the flags of these rows, and of the rows that rest on them.

    `new`: the rows were just created, so nothing rests on them yet; only their own flags are due.
    """
    pks = list(pks)
    for chunk in chunks(pks, FLAG_CHUNK):
        for flagged in flagged_models():
            if model is flagged:
                refresh_flags_of(flagged._base_manager.filter(pk__in=chunk))
            if new:
                continue
            for target, path in visibility.requirement_paths(flagged):
                if target is model:
                    refresh_flags_of(flagged._base_manager.filter(**{f"{path}__in": chunk}))


def _flag_of(instance):
    """The rule on a record about to be saved. A fixture's raw save may come before the records it requires:
    then it is False until their own saves refresh it."""
    try:
        return visibility.rule_holds(instance)
    except ObjectDoesNotExist:
        return False


# The one entry point for writes that send no signals ---------------------------------


def written(model, pks, fields=None, *, new=False, prepared=False, owners_before=None):
    """After rows `pks` of `model` were written without save(): bring the three values up to date.

    `fields` names what changed (None: anything, as for new rows); `new` says the rows were all just
    created; `prepared` says the rows' own search text was computed before the write (prepare());
    `owners_before` is owners() of the rows before it, when the write could move them to another owner.
    """
    pks = list(pks)
    if searchable(model) and not prepared and _touches(fields, model.search_inputs):
        refresh_search(model, pks)
    if model in search_parts():
        _refresh_owners(owners_before, owners(model, pks))
    if _touches(fields, flag_inputs(model)):
        refresh_flags(model, pks, new=new)
    advance()


def saved_fields(model, update_fields):
    """A save of some fields writes the derived ones with them: the search text when its inputs are among them,
    the visibility flag always (it is computed on every save)."""
    if update_fields is None:
        return None
    fields = set(update_fields)
    if searchable(model) and fields & set(model.search_inputs):
        fields.add(model.search_field)
    if getattr(model, "public_flag", None):
        fields.add(model.public_flag)
    return fields


class KeptQuerySet(models.QuerySet):
    """The records' querysets: their bulk writes keep the derived data as saves and deletes do."""

    def bulk_create(self, objs, *args, **kwargs):
        objs = list(objs)
        prepare(objs, extra={})  # new records have no other names or topics yet
        created = super().bulk_create(objs, *args, **kwargs)
        if created:
            written(self.model, [obj.pk for obj in created if obj.pk is not None], new=True, prepared=True)
        return created

    def bulk_update(self, objs, fields, *args, **kwargs):
        objs = list(objs)
        fields = list(fields)
        model = self.model
        if searchable(model) and _touches(fields, model.search_inputs):
            prepare(objs)
            fields.append(model.search_field)
        pks = [obj.pk for obj in objs]
        before = owners(model, pks) if model in search_parts() else None
        count = super().bulk_update(objs, fields, *args, **kwargs)
        if count:
            written(model, pks, fields, prepared=True, owners_before=before)
        return count

    def update(self, **kwargs):
        model = self.model
        needs_rows = model in search_parts() or _touches(kwargs, flag_inputs(model))
        needs_rows = needs_rows or (searchable(model) and _touches(kwargs, model.search_inputs))
        pks = list(self.values_list("pk", flat=True)) if needs_rows else []
        before = owners(model, pks) if model in search_parts() else None
        count = super().update(**kwargs)
        if count:
            written(model, pks, kwargs, owners_before=before)
        return count

    update.alters_data = True
    bulk_create.alters_data = True
    bulk_update.alters_data = True


# Single saves, deletes and links: signal receivers -------------------------------------


def before_save(sender, instance, raw=False, update_fields=None, **kwargs):
    """pre_save: the record's own search text and flag are written with it; the owners it leaves are noted."""
    if searchable(sender) and (update_fields is None or sender.search_field in update_fields):
        prepare([instance])
    if getattr(sender, "public_flag", None):
        setattr(instance, sender.public_flag, _flag_of(instance))
    if sender in search_parts() and instance.pk is not None:
        instance._owners_before = owners(sender, [instance.pk])


def after_save(sender, instance, created=False, raw=False, **kwargs):
    """post_save: the owners' search text, the flags resting on a changed status, the version."""
    if sender in search_parts():
        _refresh_owners(getattr(instance, "_owners_before", None), _owners_of_instance(instance))
    if sender in flag_dependencies():
        # _stored_status: the status as loaded (Publishable.from_db); a new record has none. Fixtures' raw
        # saves may come before the records resting on them: theirs are refreshed as if changed.
        if raw or instance.status != getattr(instance, "_stored_status", None):
            refresh_flags(sender, [instance.pk], new=created and not raw)
        instance._stored_status = instance.status
    advance()


def after_delete(sender, instance, **kwargs):
    """post_delete: the owners the record was part of, the version (flags rest on protected records only)."""
    if sender in search_parts():
        _refresh_owners(_owners_of_instance(instance))
    advance()


def after_links(sender, instance, action, reverse, model, pk_set, **kwargs):
    """m2m_changed: a statement is found by its topics' names; links added, removed or cleared are a write."""
    if action == "pre_clear" and reverse and sender in search_parts():
        instance._owners_before = owners(type(instance), [instance.pk])
    if not action.startswith("post_"):
        return
    for owner, *_ in search_parts().get(sender, ()):
        if reverse:  # from the other side (a topic's statements): those named, or all it had before a clear
            pks = pk_set if pk_set else getattr(instance, "_owners_before", {}).get(owner, ())
            _refresh_owners({owner: pks})
        elif isinstance(instance, owner):
            _refresh_owners({owner: [instance.pk]})
    advance()


@functools.cache
def flag_dependencies():
    """The models whose saves flags rest on."""
    return {target for flagged in flagged_models() for target, _ in visibility.requirement_paths(flagged)}


def connect():
    """Wire the receivers to every records model (records/apps.py)."""
    for model in record_models():
        if model.__name__ == "DataVersion":
            continue
        uid = f"records.derived.{model._meta.label}"
        pre_save.connect(before_save, sender=model, dispatch_uid=uid)
        post_save.connect(after_save, sender=model, dispatch_uid=uid)
        post_delete.connect(after_delete, sender=model, dispatch_uid=uid)
        m2m_changed.connect(after_links, sender=model, dispatch_uid=uid)
