"""One folding of names and text, applied alike to what is stored and to what is asked.

Names come in many spellings: Türkiye, Turkiye and Turkey; Hikmət Hacıyev,
Hikmet Hajiyev and Hikmat Hajiyev. Folding lowers the case, strips accents
and maps the letters that have no accent to strip (ı, ə, ß …) to their Latin
base, so "Haciyev" finds "Hacıyev" on SQLite and PostgreSQL alike. The other
spellings (j for c, a for e) are other names, stored with the record.
"""

import re
import unicodedata
from dataclasses import dataclass

from django.db import connection

from .chunks import chunks

# Letters that Unicode decomposition leaves as they are.
LETTERS = str.maketrans(
    {
        "ı": "i",
        "ə": "e",
        "Ə": "e",
        "ß": "ss",
        "æ": "ae",
        "œ": "oe",
        "ø": "o",
        "đ": "d",
        "ł": "l",
        "ħ": "h",
        "’": "'",
    }
)


UNDECOMPOSABLE = re.compile(f"[{''.join(map(chr, LETTERS))}]")


def _combining_marks():
    """A character class of the marks that decomposition separates from their letters."""
    ranges, start, previous = [], None, None
    for code in range(0x300, 0x10000):
        if unicodedata.combining(chr(code)):
            if start is None:
                start = code
            previous = code
        elif start is not None:
            ranges.append(f"\\u{start:04x}-\\u{previous:04x}" if previous > start else f"\\u{start:04x}")
            start = None
    return re.compile(f"[{''.join(ranges)}]+")


COMBINING = _combining_marks()


def fold(text):
    """'Hikmət Hacıyev' -> 'hikmet haciyev'; 'Türkiye' -> 'turkiye'; 'İstanbul' -> 'istanbul'."""
    text = str(text)
    if text.isascii():
        return text.lower()
    text = text.lower()
    if UNDECOMPOSABLE.search(text):
        text = text.translate(LETTERS)
    decomposed = unicodedata.normalize("NFKD", text)
    return COMBINING.sub("", decomposed)


# The stored search text ---------------------------------------------------------------
#
# Person, Organization, Event, Post and Source keep their names folded in
# `search_names`, one a line (other names included); Statement keeps its text
# folded in `search_document`. Each model names its inputs in `search_inputs`.
# The text is computed on the record before it is written, by every path that
# writes: save() and raw fixture loads (`set_on_save`, a pre_save receiver),
# the querysets' bulk_create, bulk_update and update() (models/base.py), the
# batch import (records/batch) and a change of other names (`refresh_owner`).


def is_searchable(model):
    return hasattr(model, "search_field")


def search_text(record, extra=()):
    """What search looks in for `record`: its names (or text) and what else it is known by, folded, one a line."""
    names = [*(getattr(record, name) for name in record.search_inputs), *extra]
    return "\n".join(dict.fromkeys(fold(name) for name in names if name))


def set_search_text(records, extra=None):
    """Compute the stored search text of unsaved or changed records of one model, in place.

    `extra` maps a record's pk to what else it is known by (extra_texts);
    without it, that of saved records is read with a query or two.
    """
    records = list(records)
    if not records:
        return
    model = type(records[0])
    if extra is None:
        extra = extra_texts(model, [record.pk for record in records if record.pk is not None])
    for record in records:
        setattr(record, model.search_field, search_text(record, extra.get(record.pk, ())))


def extra_texts(model, pks):
    """{pk: [texts]} a record is also found by: people's and organizations' other names and identifiers
    (a Wikidata QID finds its record), statements' topics."""
    from .models import Identifier, OtherName, Statement

    owner = {"person": "person_id", "organization": "organization_id"}.get(model._meta.model_name)
    if owner is not None:
        sources = [(OtherName, owner, "name"), (Identifier, owner, "value")]
    elif model is Statement:
        sources = [(Statement.topics.through, "statement_id", "topic__name")]
    else:
        return {}
    found = {}
    for chunk in chunks(pks):
        for part, key, text in sources:
            for pk, value in part._base_manager.filter(**{f"{key}__in": chunk}).values_list(key, text).order_by("pk"):
                found.setdefault(pk, []).append(value)
    return found


def refresh_search_text(model, pks):
    """Recompute the stored search text of saved records from what they hold now, in bulk."""
    pks = list(pks)
    for chunk in chunks(pks, 2_000):
        records = list(model._base_manager.filter(pk__in=chunk).only("pk", *model.search_inputs))
        set_search_text(records)
        model._base_manager.bulk_update(records, [model.search_field])


def set_on_save(sender, instance, raw=False, update_fields=None, **kwargs):
    """pre_save: a single save writes its search text with it, fixtures' raw saves included."""
    if update_fields is None or sender.search_field in update_fields:
        set_search_text([instance])


def refresh_owner(sender, instance, **kwargs):
    """post_save and post_delete of an other name or identifier: its owner is found by it, or no longer."""
    from .models import Organization, Person

    if instance.person_id:
        refresh_search_text(Person, [instance.person_id])
    if instance.organization_id:
        refresh_search_text(Organization, [instance.organization_id])


def refresh_topics(sender, instance, action, reverse, pk_set, **kwargs):
    """m2m_changed of statements' topics: a statement is found by its topics' names."""
    from .models import Statement

    if not action.startswith("post_"):
        return
    if reverse:  # from a topic's side: the statements named, or all of the topic's on a clear
        pks = pk_set if pk_set else Statement.objects.filter(topics=instance).values_list("pk", flat=True)
        refresh_search_text(Statement, list(pks))
    elif isinstance(instance, Statement):
        refresh_search_text(Statement, [instance.pk])


def refresh_topic_statements(sender, instance, **kwargs):
    """post_save of a topic: statements tagged with it are found by its new name."""
    from .models import Statement

    refresh_search_text(Statement, list(Statement.objects.filter(topics=instance).values_list("pk", flat=True)))


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
    from .models import Event, Organization, Person, Post, Source, Statement

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
    from django.contrib.postgres.search import TrigramWordSimilarity
    from django.db.models import Q

    # The folded name contains the query, or is close to it (Mammadov ~ Memmedov).
    return (
        queryset.filter(Q(search_names__contains=folded) | Q(search_names__trigram_word_similar=folded))
        .annotate(similarity=TrigramWordSimilarity(folded, "search_names"))
        .order_by("-similarity", "pk")
    )


def _text_postgresql(queryset, folded):
    """(the newest CANDIDATES matches of the full-text query, best ranked first; how many they are)."""
    from django.contrib.postgres.search import SearchHeadline, SearchQuery, SearchRank
    from django.db.models import F

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
