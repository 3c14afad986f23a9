"""Pagination and counts that stay fast on tables of millions of rows."""

import json

from django.core.paginator import InvalidPage, Paginator
from django.db import connections
from django.db.models import QuerySet
from django.utils.functional import cached_property

# Counting exactly reads every matching row: beyond this many, PostgreSQL's planner estimates.
EXACT_BELOW = 10_000
# Public lists go this deep and no deeper: an OFFSET reads every row it skips.
MAX_PAGE = 200


class TooDeep(InvalidPage):
    """A page number beyond MAX_PAGE."""


def estimated_count(queryset, exact_below=EXACT_BELOW):
    """(count, approximate): exact below `exact_below` rows; on PostgreSQL, the planner's estimate beyond.

    The estimate comes first (an EXPLAIN reads no row), so that the exact
    count only ever runs where the planner expects few rows, and reads them
    through an index.
    """
    if isinstance(queryset, QuerySet) and connections[queryset.db].vendor == "postgresql":
        estimate = _planner_estimate(queryset)
        if estimate >= exact_below:
            return estimate, True
    return queryset.count(), False


def large_tables(models, at_least=EXACT_BELOW):
    """The models whose tables PostgreSQL's statistics say hold `at_least` rows (none elsewhere): one catalog query."""
    if not models or connections["default"].vendor != "postgresql":
        return set()
    tables = {model._meta.db_table: model for model in models}
    with connections["default"].cursor() as cursor:
        cursor.execute("SELECT relname, reltuples FROM pg_class WHERE relname = ANY(%s)", [list(tables)])
        return {tables[name] for name, rows in cursor.fetchall() if rows >= at_least}


class EstimatedCountPaginator(Paginator):
    """Counts exactly while that is cheap; on PostgreSQL, trusts the planner's estimate beyond.

    Past `exact_below` rows the page count is the planner's estimate, so the
    last page numbers are approximate (`approximate` says so); the admin
    shows no total when `show_full_result_count` is off.
    """

    exact_below = EXACT_BELOW

    @cached_property
    def _counted(self):
        return estimated_count(self.object_list, self.exact_below)

    @cached_property
    def count(self):
        return self._counted[0]

    @property
    def approximate(self):
        return self._counted[1]


class PublicPaginator(EstimatedCountPaginator):
    """The public lists': estimated counts, and no page past MAX_PAGE (TooDeep names the limit).

    Filtered lists count exactly only below a thousand rows: a filter matching
    a tenth of the table is cheaper to count by reading the table than through
    an index, and a public page must never read the table.
    """

    max_page = MAX_PAGE
    exact_below = 1_000

    def __init__(self, object_list, per_page, count=None, **kwargs):
        """`count`: how many rows the list holds, when the caller knows it already."""
        super().__init__(object_list, per_page, **kwargs)
        if count is not None:
            self._counted = (count, False)

    def page(self, number):
        try:
            wanted = int(number)
        except (TypeError, ValueError):
            wanted = None
        if wanted is not None and wanted > self.max_page:
            raise TooDeep(f"Lists go {self.max_page} pages deep.")
        return super().page(number)

    @property
    def capped(self):
        return self.num_pages > self.max_page


def _planner_estimate(queryset):
    # Only the rows' ids: the joins a page selects change nothing to the count, and cost planning time.
    # A query Django knows to be empty (an id past the 64-bit range) is never sent: it has no plan.
    text = queryset.values("pk").order_by().explain(format="json")
    return int(json.loads(text)[0]["Plan"]["Plan Rows"]) if text else 0
