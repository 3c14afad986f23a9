"""One folding of names and text, applied alike to what is stored and to what is asked.

Names come in many spellings: Türkiye, Turkiye and Turkey; Hikmət Hacıyev,
Hikmet Hajiyev and Hikmat Hajiyev. Folding lowers the case, strips accents
and maps the letters that have no accent to strip (ı, ə, ß …) to their Latin
base, so "Haciyev" finds "Hacıyev" on SQLite and PostgreSQL alike. The other
spellings (j for c, a for e) are other names, stored with the record.
"""

import unicodedata
from dataclasses import dataclass

from django.db import connection

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


def fold(text):
    """'Hikmət Hacıyev' -> 'hikmet haciyev'; 'Türkiye' -> 'turkiye'; 'İstanbul' -> 'istanbul'."""
    decomposed = unicodedata.normalize("NFKD", str(text).translate(LETTERS).lower().translate(LETTERS))
    return "".join(char for char in decomposed if not unicodedata.combining(char))


def folded_names(record):
    """What the search looks in, for a record with names(): one folded name a line."""
    return "\n".join(dict.fromkeys(fold(name) for name in record.names() if name))


def refresh(sender, instance, **kwargs):
    """Store the folded names of a saved record (fixtures' raw saves included)."""
    from .models import Statement

    field = "search_document" if isinstance(instance, Statement) else "search_names"
    sender._base_manager.filter(pk=instance.pk).update(**{field: folded_names(instance)})


def refresh_owner(sender, instance, **kwargs):
    """An other name changed: its person or organization is found by it, or no longer."""
    from .models import Organization, Person

    for model, pk in ((Person, instance.person_id), (Organization, instance.organization_id)):
        # The owner itself may be going (its deletion cascades to its names).
        owner = model._base_manager.filter(pk=pk).first() if pk else None
        if owner is not None:
            refresh(model, owner)


NAMES_SHOWN = 10
MARK_START, MARK_END = "\x02", "\x03"


@dataclass
class Results:
    people: list
    organizations: list
    events: list
    sources: list
    statements: object  # a queryset, paginated by the page

    @property
    def named(self):
        return [
            ("People", self.people),
            ("Organizations", self.organizations),
            ("Events", self.events),
            ("Sources", self.sources),
        ]


def search(query):
    """Published records whose names or text match `query`, however it is spelled."""
    from .models import Event, Organization, Person, Source, Statement

    folded = fold(query).strip()
    if connection.vendor == "postgresql":
        find_names, find_text = _names_postgresql, _text_postgresql
    else:
        find_names, find_text = _names_simple, _text_simple
    return Results(
        people=list(find_names(Person.objects.published(), folded)[:NAMES_SHOWN]),
        organizations=list(find_names(Organization.objects.published(), folded)[:NAMES_SHOWN]),
        events=list(find_names(Event.objects.published(), folded)[:NAMES_SHOWN]),
        sources=list(find_names(Source.objects.published(), folded)[:NAMES_SHOWN]),
        statements=find_text(
            Statement.objects.published().select_related("speaker_person", "speaker_organization", "event"),
            folded,
        ),
    )


def _words(folded):
    return [word for word in folded.replace('"', " ").split() if word not in ("or", "-")]


def _names_simple(queryset, folded):
    # SQLite: every word of the query somewhere in the folded names.
    for word in _words(folded):
        queryset = queryset.filter(search_names__contains=word)
    return queryset


def _text_simple(queryset, folded):
    for word in _words(folded):
        queryset = queryset.filter(search_document__contains=word)
    return queryset.order_by("-date", "-pk")


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
    from django.contrib.postgres.search import SearchHeadline, SearchQuery, SearchRank

    query = SearchQuery(folded, search_type="websearch", config="simple")
    # PostgreSQL computes the snippet only for the rows of the page shown,
    # after sorting and LIMIT, since ts_headline is declared costly. Its
    # text is not HTML: the marks are control characters that the template
    # turns into <mark> after escaping everything else.
    return (
        queryset.filter(search_vector=query)
        .annotate(
            rank=SearchRank("search_vector", query),
            snippet=SearchHeadline(
                "text", query, config="simple", start_sel=MARK_START, stop_sel=MARK_END, max_words=30, min_words=12
            ),
        )
        .order_by("-rank", "-date", "-pk")
    )
