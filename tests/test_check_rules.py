"""The batch path evaluates the models' check constraints in Python; the database must agree, case by case."""

import datetime
import itertools

import pytest
from django.apps import apps
from django.core.exceptions import ValidationError
from django.db import models

from records.batch import rules
from records.partial_dates import PartialDateField

# Values that sit on every edge the constraints draw.
SAMPLES = {
    PartialDateField: ["", "2025", "2025-03", "2025-03-12", "2024-12-31", "2026", "25", "2025-3"],
    models.DateField: [None, datetime.date(2026, 3, 12)],
    models.SmallIntegerField: [None, -721, -720, 0, 240, 840, 841],
    models.CharField: ["", "recently"],
    models.ForeignKey: [None, 1, 2],
    models.BooleanField: [False, True],
}


def samples(model_field):
    for kind, values in SAMPLES.items():
        if isinstance(model_field, kind):
            return values
    raise AssertionError(f"no samples for {model_field!r}")


def cases():
    for model in apps.get_app_config("records").get_models():
        for constraint in rules.checks(model):
            yield pytest.param(model, constraint, id=constraint.name)


@pytest.mark.parametrize(("model", "constraint"), list(cases()))
def test_python_and_the_database_agree_on_every_check(db, model, constraint):
    names = [name for name in rules.fields_of(constraint.condition) if name != "id"]
    fields = [model._meta.get_field(name) for name in names]
    for values in itertools.product(*(samples(field) for field in fields)):
        record = model(pk=1, **{field.attname: value for field, value in zip(fields, values, strict=True)})
        state = {f.name: getattr(record, f.attname) for f in model._meta.concrete_fields if f.name != "search_vector"}
        state.update({f.attname: state[f.name] for f in model._meta.concrete_fields if f.name in state})
        in_python = rules.holds(constraint.condition, state) is not False
        try:
            constraint.validate(model, record)
            in_database = True
        except ValidationError:
            in_database = False
        assert in_python == in_database, (constraint.name, dict(zip(names, values, strict=True)))


def test_an_unknown_lookup_is_refused_rather_than_guessed():
    with pytest.raises(NotImplementedError, match="icontains"):
        rules.holds(models.Q(name__icontains="x"), {"name": "x"})
