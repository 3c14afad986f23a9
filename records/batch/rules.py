"""The database's check constraints, evaluated in Python on rows before they are written.

The constraints stay declared once, on the models, and the database stays
the final net. Django validates a CheckConstraint with one query per
constraint and record; a batch of a thousand rows cannot afford that, so the
same conditions are evaluated here with SQL's three-valued logic: a check
fails only when its condition is false, not when it is unknown (NULL).

Only what the models use is understood (exact, isnull, gte, lte, regex; F,
Length, Substr); anything else raises NotImplementedError, and a test holds
every constraint of the app to the database's own verdict.
"""

import re
from functools import cache

from django.db.models import CheckConstraint, F, Q, Value
from django.db.models.functions import Length, Substr


def failing(model, record):
    """The check constraints of `model` that `record` (a dict of field names and attnames) breaks."""
    return [constraint for constraint in checks(model) if holds(constraint.condition, record) is False]


@cache
def checks(model):
    return [constraint for constraint in model._meta.constraints if isinstance(constraint, CheckConstraint)]


def holds(condition, record):
    """True, False or None (unknown) for a Q object, as SQL would say."""
    results = [
        holds(child, record) if isinstance(child, Q) else _lookup(*child, record) for child in condition.children
    ]
    if condition.connector == Q.AND:
        value = False if False in results else None if None in results else True
    else:
        value = True if True in results else None if None in results else False
    if condition.negated:
        return None if value is None else not value
    return value


def _lookup(path, wanted, record):
    name, _, lookup = path.partition("__")
    lookup = lookup or "exact"
    value = _field(name, record)
    if lookup == "isnull":
        return (value is None) == bool(wanted)
    wanted = _evaluate(wanted, record)
    if value is None or wanted is None:
        return None
    if lookup == "exact":
        return value == wanted
    if lookup == "gte":
        return value >= wanted
    if lookup == "lte":
        return value <= wanted
    if lookup == "regex":
        return _compiled(wanted).search(str(value)) is not None
    raise NotImplementedError(f"no Python evaluation for the lookup {lookup!r}")


def _field(name, record):
    if name == "pk":
        name = "id"
    if name in record:
        return record[name]
    return record.get(f"{name}_id")


def _evaluate(expression, record):
    if isinstance(expression, F):
        return _field(expression.name, record)
    if isinstance(expression, Value):
        return expression.value
    if isinstance(expression, Length):
        text = _evaluate(expression.source_expressions[0], record)
        return None if text is None else len(text)
    if isinstance(expression, Substr):
        text, start, length = (_evaluate(part, record) for part in expression.source_expressions)
        return None if None in (text, start, length) else text[start - 1 : start - 1 + length]
    if hasattr(expression, "resolve_expression"):
        raise NotImplementedError(f"no Python evaluation for {type(expression).__name__}")
    return expression


@cache
def _compiled(pattern):
    return re.compile(pattern)


def fields_of(condition):
    """The field names a condition reads, in the order it names them."""
    names = []
    for child in condition.children:
        if isinstance(child, Q):
            names += fields_of(child)
            continue
        path, value = child
        names.append(path.split("__", 1)[0])
        names += _expression_fields(value)
    return list(dict.fromkeys("id" if name == "pk" else name for name in names))


def _expression_fields(expression):
    if isinstance(expression, F):
        return [expression.name]
    return [name for part in getattr(expression, "source_expressions", []) for name in _expression_fields(part)]
