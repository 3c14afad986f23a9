"""What the public may see: one rule, for querysets and for a record in hand.

A record is public when it is published (if it has a status of its own) and
every record it requires is public too: a statement is no more public than
its source and its speaker, a membership than its organization and its
member, a citation than its source and its fact. Each model names what it
requires in `public_requires`: field names, or a tuple of field names of
which one is set (a speaker is a person or an organization).

`public_filter(model)` is that rule as a query condition (behind every
`published()` queryset); `is_public(record)` the same rule on an instance
(read through relations already fetched: views select them); `public_url`
gives a record's address only when it is public, so no page names or links
a draft. Nothing else decides it.

Statements, a million of them, keep the rule's answer in a column
(`public_flag`), so that lists filter and sort on one indexed column instead
of joining speakers and sources for every row. The flag is derived data,
kept right by every write path: a save computes it (`set_flag_on_save`); a
publish, unpublish or move of what a statement requires refreshes the
statements that depend on it (`refresh_after_write`, called by saves, the
querysets' bulk methods and update(), the batch import and merges);
tests/test_visibility_flag.py checks each path against the rule.
"""

import functools

from django.apps import apps
from django.core.exceptions import ObjectDoesNotExist
from django.db.models import Exists, OuterRef, Q, QuerySet

from .chunks import chunks

PUBLISHED = "published"


def _has_status(model):
    return any(field.name == "status" for field in model._meta.concrete_fields)


def _alternatives(requirement):
    return requirement if isinstance(requirement, tuple) else (requirement,)


def public_filter(model, prefix=""):
    """The condition on `model` (reached through `prefix`, e.g. 'membership__') that its rows are public."""
    flag = getattr(model, "public_flag", None)
    if flag:
        return Q(**{f"{prefix}{flag}": True})
    return rule(model, prefix)


def rule(model, prefix=""):
    """The rule itself, never a flag of `model` (what the flag is computed from)."""
    condition = Q(**{f"{prefix}status": PUBLISHED}) if _has_status(model) else Q()
    for requirement in getattr(model, "public_requires", ()):
        either = Q()
        for name in _alternatives(requirement):
            target = model._meta.get_field(name).related_model
            either |= public_filter(target, f"{prefix}{name}__")
        condition &= either
    return condition


def is_public(record):
    """Whether the public may see `record`: the rule of public_filter, on an instance."""
    if record is None:
        return False
    flag = getattr(type(record), "public_flag", None)
    if flag:
        return getattr(record, flag)
    return rule_holds(record)


def rule_holds(record):
    """The rule on an instance, never its flag: reads the records it requires (a query each, unless fetched)."""
    model = type(record)
    if _has_status(model) and record.status != PUBLISHED:
        return False
    for requirement in getattr(model, "public_requires", ()):
        linked = [
            getattr(record, name)
            for name in _alternatives(requirement)
            if getattr(record, model._meta.get_field(name).attname) is not None
        ]
        if not any(is_public(other) for other in linked):
            return False
    return True


def public_url(record):
    """The address of a public record's page; None for anything the public may not see."""
    if record is None or not hasattr(record, "get_absolute_url") or not is_public(record):
        return None
    return record.get_absolute_url()


# The flag -------------------------------------------------------------------------

CHUNK = 10_000  # ids per refresh: well under SQLite's limit of variables in one statement


@functools.cache
def flagged_models():
    return [model for model in apps.get_app_config("records").get_models() if getattr(model, "public_flag", None)]


def requirement_paths(model, prefix=""):
    """(model, lookup) of every record `model`'s visibility rests on, however far: ('source', Source) …"""
    for requirement in getattr(model, "public_requires", ()):
        for name in _alternatives(requirement):
            target = model._meta.get_field(name).related_model
            yield target, f"{prefix}{name}"
            yield from requirement_paths(target, f"{prefix}{name}__")


def inputs(model):
    """The fields of `model` whose change can change a flag: its status, and its links to what it requires."""
    fields = {"status"} if _has_status(model) else set()
    for requirement in getattr(model, "public_requires", ()):
        for name in _alternatives(requirement):
            fields |= {name, model._meta.get_field(name).attname}  # as update() and the batch writer name them
    return fields


def refresh(queryset):
    """Set the flag of these rows to what the rule says now; only rows whose answer changed are written."""
    model = queryset.model
    flag = model.public_flag
    holds = Exists(model._base_manager.filter(pk=OuterRef("pk")).filter(rule(model)))
    rows = QuerySet(model, using=queryset.db).filter(pk__in=queryset.values("pk"))
    changed = QuerySet.update(rows.filter(**{flag: True}).exclude(holds), **{flag: False})
    return changed + QuerySet.update(rows.filter(**{flag: False}).filter(holds), **{flag: True})


def refresh_after_write(model, pks):
    """After rows of `model` were written: the flags of these rows, and of the rows that rest on them."""
    pks = list(pks)
    for chunk in chunks(pks, CHUNK):
        for flagged in flagged_models():
            if model is flagged:
                refresh(flagged._base_manager.filter(pk__in=chunk))
            for target, path in requirement_paths(flagged):
                if target is model:
                    refresh(flagged._base_manager.filter(**{f"{path}__in": chunk}))


def set_flag_on_save(sender, instance, raw=False, **kwargs):
    """pre_save of a flagged model: the flag is written with the record.

    A fixture's raw save may come before the records it requires exist: then
    it is False until their own saves refresh it (refresh_on_save).
    """
    try:
        value = rule_holds(instance)
    except ObjectDoesNotExist:
        value = False
    setattr(instance, sender.public_flag, value)


def refresh_on_save(sender, instance, raw=False, **kwargs):
    """post_save of a record flags rest on: a changed status (or a fixture's save) refreshes them."""
    # _stored_status: the status as loaded (Publishable.from_db); a new record has none.
    if raw or instance.status != getattr(instance, "_stored_status", None):
        refresh_after_write(sender, [instance.pk])
    instance._stored_status = instance.status


def flag_dependencies():
    """The models whose saves flags rest on."""
    return {target for flagged in flagged_models() for target, _ in requirement_paths(flagged)}
