"""Search of the published records: names however they are spelled, statements by their words.

What is searched is the stored search text (records/derived.py keeps it),
folded by records/folding.py as the query is: "Haciyev" finds "Hacıyev"
on SQLite and PostgreSQL alike. PostgreSQL adds trigram similarity for
names (Mammadov ~ Memmedov) and ranked full-text search for statements.
"""

from dataclasses import dataclass

from django.contrib.postgres.search import SearchHeadline, SearchQuery, SearchRank, TrigramWordSimilarity
from django.db import connection
from django.db.models import F, Q

from .folding import fold
from .models import Event, Organization, Person, Post, Source, Statement

NAMES_SHOWN = 10
# Statements ranked for a query: the newest matches, at most this many (see _text_postgresql).
CANDIDATES = 1_000
MARK_START, MARK_END = "\x02", "\x03"


@dataclass
class Results:
    people: list
    organizations: list
    events: list
    posts: list
    sources: list
    statements: object  # a queryset, paginated by the page
    matched: int = 0  # how many statements it holds (at most CANDIDATES)

    @property
    def named(self):
        return [
            ("People", self.people),
            ("Organizations", self.organizations),
            ("Events", self.events),
            ("Posts", self.posts),
            ("Sources", self.sources),
        ]


def search(query):
    """Published records whose names or text match `query`, however it is spelled."""
    folded = fold(query).strip()
    if connection.vendor == "postgresql":
        find_names, find_text = _names_postgresql, _text_postgresql
    else:
        find_names, find_text = _names_simple, _text_simple
    statements, matched = find_text(Statement.objects.published().for_listing(), folded)
    return Results(
        people=list(find_names(Person.objects.published(), folded)[:NAMES_SHOWN]),
        organizations=list(find_names(Organization.objects.published(), folded)[:NAMES_SHOWN]),
        events=list(find_names(Event.objects.published(), folded)[:NAMES_SHOWN]),
        posts=list(find_names(Post.objects.published(), folded)[:NAMES_SHOWN]),
        sources=list(find_names(Source.objects.published(), folded)[:NAMES_SHOWN]),
        statements=statements,
        matched=matched,
    )


def _words(folded):
    return [word for word in folded.replace('"', " ").split() if word not in ("or", "-")]


def _names_simple(queryset, folded):
    # SQLite: every word of the query somewhere in the folded names.
    for word in _words(folded):
        queryset = queryset.filter(search_names__contains=word)
    return queryset


def _text_simple(queryset, folded):
    """(the newest CANDIDATES statements with every word, newest first; how many they are)."""
    matches = queryset
    for word in _words(folded):
        matches = matches.filter(search_document__contains=word)
    # The same newest CANDIDATES as on PostgreSQL, so both databases show the same results.
    candidates = list(matches.order_by("-date", "-pk").values_list("pk", flat=True)[:CANDIDATES])
    return queryset.filter(pk__in=candidates).order_by("-date", "-pk"), len(candidates)


def _names_postgresql(queryset, folded):
    # The folded name contains the query, or is close to it (Mammadov ~ Memmedov).
    return (
        queryset.filter(Q(search_names__contains=folded) | Q(search_names__trigram_word_similar=folded))
        .annotate(similarity=TrigramWordSimilarity(folded, "search_names"))
        .order_by("-similarity", "pk")
    )


def _text_postgresql(queryset, folded):
    """(the newest CANDIDATES matches of the full-text query, best ranked first; how many they are)."""
    query = SearchQuery(folded, search_type="websearch", config="simple")
    # Ranking reads every match, and a broad word matches a million statements:
    # only the newest CANDIDATES matches are ranked (found newest first through
    # the date index, or through the full-text index when the word is rare, as
    # the planner judges). PostgreSQL computes the snippet only for the rows of
    # the page shown, after sorting and LIMIT, since ts_headline is declared
    # costly. Its text is not HTML: the marks are control characters that the
    # template turns into <mark> after escaping everything else.
    # The candidates are read once, as ids: the page and its count then look them up by primary key.
    candidates = list(
        queryset.filter(search_vector=query).order_by("-date", "-pk").values_list("pk", flat=True)[:CANDIDATES]
    )
    ranked = (
        queryset.filter(pk__in=candidates)
        .annotate(
            # The stored vector itself (F), not a vector made again from its text.
            rank=SearchRank(F("search_vector"), query),
            snippet=SearchHeadline(
                "text", query, config="simple", start_sel=MARK_START, stop_sel=MARK_END, max_words=30, min_words=12
            ),
        )
        .order_by("-rank", "-date", "-pk")
    )
    return ranked, len(candidates)
