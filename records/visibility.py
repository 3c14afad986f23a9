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
of joining speakers and sources for every row. That flag is derived data,
kept by records/derived.py like the rest; here is only the rule it follows.
"""

from django.db.models import Q

PUBLISHED = "published"


def has_status(model):
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
    condition = Q(**{f"{prefix}status": PUBLISHED}) if has_status(model) else Q()
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
    if has_status(model) and record.status != PUBLISHED:
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


def requirement_paths(model, prefix=""):
    """(model, lookup) of every record `model`'s visibility rests on, however far: ('source', Source) …"""
    for requirement in getattr(model, "public_requires", ()):
        for name in _alternatives(requirement):
            target = model._meta.get_field(name).related_model
            yield target, f"{prefix}{name}"
            yield from requirement_paths(target, f"{prefix}{name}__")


def requirement_fields(model):
    """The fields of `model` that link it to what it requires, by name and as update() and raw writers name them."""
    fields = set()
    for requirement in getattr(model, "public_requires", ()):
        for name in _alternatives(requirement):
            fields |= {name, model._meta.get_field(name).attname}
    return fields
