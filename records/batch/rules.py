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
    return [constraint for constraint, test in compiled(model) if test(record) is False]


@cache
def checks(model):
    return [constraint for constraint in model._meta.constraints if isinstance(constraint, CheckConstraint)]


@cache
def compiled(model):
    return [(constraint, compile_condition(constraint.condition)) for constraint in checks(model)]


def holds(condition, record):
    """True, False or None (unknown) for a Q object, as SQL would say."""
    return compile_condition(condition)(record)


def compile_condition(condition):
    """A function from a record to True, False or None: the condition read once, evaluated many times."""
    parts = [
        compile_condition(child) if isinstance(child, Q) else _compile_lookup(*child) for child in condition.children
    ]
    negated = condition.negated

    if condition.connector == Q.AND:

        def test(record):
            results = [part(record) for part in parts]
            value = False if False in results else None if None in results else True
            return value if not negated or value is None else not value

    else:

        def test(record):
            results = [part(record) for part in parts]
            value = True if True in results else None if None in results else False
            return value if not negated or value is None else not value

    return test


def _compile_lookup(path, wanted):
    name, _, lookup = path.partition("__")
    lookup = lookup or "exact"
    field = _field(name)
    if lookup == "isnull":
        expected = bool(wanted)
        return lambda record: (field(record) is None) == expected
    other = _compile_expression(wanted)
    compare = {
        "exact": lambda value, against: value == against,
        "gte": lambda value, against: value >= against,
        "lte": lambda value, against: value <= against,
        "regex": lambda value, against: _compiled(against).search(str(value)) is not None,
    }.get(lookup)
    if compare is None:
        raise NotImplementedError(f"no Python evaluation for the lookup {lookup!r}")

    def test(record):
        value, against = field(record), other(record)
        return None if value is None or against is None else compare(value, against)

    return test


def _field(name):
    name = "id" if name == "pk" else name
    attname = f"{name}_id"
    return lambda record: record[name] if name in record else record.get(attname)


def _compile_expression(expression):
    if isinstance(expression, F):
        return _field(expression.name)
    if isinstance(expression, Value):
        return lambda record: expression.value
    if isinstance(expression, Length):
        text = _compile_expression(expression.source_expressions[0])
        return lambda record: None if (value := text(record)) is None else len(value)
    if isinstance(expression, Substr):
        parts = [_compile_expression(part) for part in expression.source_expressions]

        def substring(record):
            text, start, length = (part(record) for part in parts)
            return None if None in (text, start, length) else text[start - 1 : start - 1 + length]

        return substring
    if hasattr(expression, "resolve_expression"):
        raise NotImplementedError(f"no Python evaluation for {type(expression).__name__}")
    return lambda record: expression


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
