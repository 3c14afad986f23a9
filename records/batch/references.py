"""Step 2 of importing a file: every record it names read once, its slug or membership key mapped to its id.

Each referenced table is read with one query per file (or whole, when the
file names many of its records). A cell naming a record refused earlier in
the same import is a Consequence, reported once with every such row.
"""

from collections import defaultdict

from django.db import connection
from django.db.models import Q

from ..models import Membership
from .columns import CellError, member_label

# Above this many distinct slugs for one table, reading all of the table's
# slugs is cheaper than a long IN list, and within every driver's limits.
WHOLE_TABLE_ABOVE = 5000


class Consequence(Exception):
    """A cell refers to a record refused earlier in the same import."""


class References:
    """How a file's references are resolved, a part of batch/importing.py's File.

    `resolve` reads what the survey left in `wanted` into `resolved` ({model: {slug or key: id}});
    `link` answers a cell from it, or names the import's refusal it depends on (`batch.refused`).
    """

    def resolve(self):
        """Read each referenced table once: slugs to ids and statuses, memberships by their key."""
        slugs = defaultdict(set)
        for name, wanted in self.wanted.items():
            column = self.columns[name]
            if column.kind == "membership":
                self.resolved[Membership] = memberships_by_key(wanted)
            else:
                slugs[column.target] |= wanted
        for model, wanted in slugs.items():
            self.resolved[model] = slugs_of(model, wanted)

    def link(self, column, text):
        """The id of the record a cell names (by slug, or by membership key)."""
        if not text:
            if column.kind != "links" and not column.model_field.null:
                raise CellError("a value is required")
            return None
        key = text
        if column.kind == "membership":
            key = membership_parts(text)
            if key is None:
                raise CellError(
                    f"{text!r} is not a membership key: write 'person:slug > organization slug > role > kind > start'"
                )
        found = self.resolved.get(column.target, {}).get(key)
        if found is not None:
            return found
        origin = self.batch.refused.get((column.target, key))
        noun = column.target._meta.verbose_name
        if origin is not None:
            raise Consequence(f"refers to the {noun} refused at {origin[0]} row {origin[1]}")
        if column.kind == "membership":
            raise CellError(f"no membership {text!r}")
        raise CellError(f"no {noun} with slug {text!r}")

    def slug_of(self, model, pk):
        for slug, found in self.resolved.get(model, {}).items():
            if found == pk:
                return slug
        return model._base_manager.filter(pk=pk).values_list("slug", flat=True).first() or ""


def among(name, values):
    """A filter for `name` in `values`: `= ANY(array)` on PostgreSQL, one parameter however many values."""
    values = list(values)
    if connection.vendor == "postgresql":
        return Q(**{f"{name}__any": values})
    return Q(**{f"{name}__in": values})


def slugs_of(model, slugs):
    """{slug: id} for these slugs, with one query: of the whole table, if there are many."""
    queryset = model._base_manager.values_list("slug", "pk")
    if len(slugs) <= WHOLE_TABLE_ABOVE:
        queryset = queryset.filter(among("slug", slugs))
    return dict(queryset)


def membership_parts(text):
    """The five parts of a membership key ('person:slug > organization > role > kind > start'), or None."""
    parts = tuple(part.strip() for part in str(text).split(">"))
    if len(parts) != 5 or parts[0].split(":", 1)[0] not in ("person", "organization"):
        return None
    return parts


def memberships_by_key(texts):
    """{key parts: id} of the memberships named, read with one query by their organizations."""
    wanted = {parts for parts in map(membership_parts, texts) if parts is not None}
    rows = Membership.objects.filter(organization__slug__in={parts[1] for parts in wanted}).values_list(
        "pk", "member_person__slug", "member_organization__slug", "organization__slug", "role", "kind", "start_date"
    )
    found = {}
    for pk, person, organization, body, role, kind, start in rows:
        found[(member_label(person, organization), body, role, kind, start)] = pk
    return found
