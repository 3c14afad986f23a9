"""What every record shares: a slug, a publication state, timestamps."""

import functools
from urllib.parse import quote

from django.core.exceptions import ValidationError
from django.core.validators import RegexValidator
from django.db import models
from django.db.models import Q
from django.db.models.functions import Length, Substr
from django.urls import get_script_prefix, reverse
from simple_history.models import HistoricalRecords

from records import derived, visibility
from records.derived import KeptQuerySet
from records.partial_dates import SQL_PATTERN

validate_language = RegexValidator(
    r"^[a-z]{2,3}(-[A-Za-z0-9]{2,8})*$",
    "Use a BCP 47 language code such as en, az, tr or az-Cyrl.",
)


def language_field(**kwargs):
    return models.CharField(
        "language",
        max_length=35,
        validators=[validate_language],
        help_text="BCP 47 code: en, az, tr, ru, hy, az-Cyrl …",
        **kwargs,
    )


def exactly_one(*fields):
    """A condition true when exactly one of the given foreign keys is set."""
    condition = Q()
    for chosen in fields:
        case = Q(**{f"{chosen}__isnull": False})
        for other in fields:
            if other != chosen:
                case &= Q(**{f"{other}__isnull": True})
        condition |= case
    return condition


def dates_in_order(start, end, name):
    """End never before start, compared at the coarser of the two precisions.

    '2025' may end a membership that started '2025-06' (the year contains June),
    so the start is cut to the end's length before comparing.
    """
    return models.CheckConstraint(
        condition=Q(**{start: ""}) | Q(**{end: ""}) | Q(**{f"{end}__gte": Substr(start, 1, Length(end))}),
        name=name,
        violation_error_message="The end date is before the start date.",
    )


def well_formed_date(field, name):
    return models.CheckConstraint(
        condition=Q(**{field: ""}) | Q(**{f"{field}__regex": SQL_PATTERN}),
        name=name,
        violation_error_message=f"The {field.replace('_', ' ')} must be YYYY, YYYY-MM or YYYY-MM-DD.",
    )


def refuse_cycle(record, noun):
    """Refuse a parent that makes a record part of itself, however long the loop.

    The database refuses A -> A; A -> B -> A needs this walk up the tree.
    """
    ancestor, seen = record.parent, set()
    while ancestor is not None and ancestor.pk not in seen:
        if record.pk is not None and ancestor.pk == record.pk:
            raise ValidationError({"parent": f"This parent would make the {noun} part of itself."})
        seen.add(ancestor.pk)
        ancestor = ancestor.parent


def record_permissions(model_name, plural, publishable=True):
    """The permissions beyond Django's own: publishing (reviewers), and moving files in and out."""
    permissions = [
        (f"import_{model_name}", f"Can import {plural} from files"),
        (f"export_{model_name}", f"Can export {plural} to files"),
    ]
    if publishable:
        permissions.insert(0, (f"publish_{model_name}", f"Can publish and unpublish {plural}"))
    return permissions


def search_names_field():
    return models.TextField(
        editable=False,
        blank=True,
        default="",
        help_text="The record's names folded for search (records/search.py); kept up to date on save.",
    )


# History tables are read one record at a time, by its id; an index on any
# other column would only slow every write (every import writes a history row
# per record), so the copies of indexed fields are left unindexed.
UNINDEXED_IN_HISTORY = [
    "slug",
    "status",
    "name",
    "parent",
    "person",
    "organization",
    "member_person",
    "member_organization",
    "speaker_person",
    "speaker_organization",
    "event",
    "source",
    "publisher",
    "author",
    "membership",
    "statement",
]


def record_history(**options):
    """The history of a model's records (django-simple-history), indexed by record only."""
    return HistoricalRecords(no_db_index=UNINDEXED_IN_HISTORY, **options)


class Status(models.TextChoices):
    DRAFT = "draft", "Draft"
    PUBLISHED = "published", "Published"


class DateBound(models.TextChoices):
    """How a resolved date relates to the truth when the source was vague."""

    EXACT = "", "as given"
    ON_OR_BEFORE = "on_or_before", "on or before"
    ON_OR_AFTER = "on_or_after", "on or after"


class SlugQuerySet(KeptQuerySet):
    def get_by_natural_key(self, slug):
        """Fixtures and CSV files name records by slug, never by database id."""
        return self.get(slug=slug)


def bounded_label(label, bound):
    """A date's label with what the source allows of it: 'on or before 12 March 2026', or just '2025'."""
    words = DateBound(bound).label if bound else ""
    return " ".join(part for part in (words, label) if part)


class PublicQuerySet(KeptQuerySet):
    def published(self):
        """What the public may see (records/visibility.py): published, and so is what it rests on."""
        return self.filter(visibility.public_filter(self.model))


class PublishableQuerySet(PublicQuerySet, SlugQuerySet):
    pass


class Searchable(models.Model):
    """A record found by folded names or text that it stores (records/derived.py keeps it, records/search.py asks)."""

    search_field = "search_names"
    search_inputs = ()  # its own fields the text is made of
    search_also = ()  # what else it is found by, through other tables: 'other_names__name'

    class Meta:
        abstract = True


class Publishable(models.Model):
    """A record the public may see once an editor publishes it."""

    status = models.CharField(
        max_length=10,
        choices=Status.choices,
        default=Status.DRAFT,
        db_index=True,
        help_text="Only published records appear on the public pages.",
    )
    created = models.DateTimeField(auto_now_add=True)
    updated = models.DateTimeField(auto_now=True)

    objects = PublishableQuerySet.as_manager()
    # The records this one is no more public than (records/visibility.py).
    public_requires = ()

    class Meta:
        abstract = True

    def save(self, *args, **kwargs):
        # A save of some fields writes the derived ones with them (records/derived.py).
        kwargs["update_fields"] = derived.saved_fields(type(self), kwargs.get("update_fields"))
        super().save(*args, **kwargs)

    @classmethod
    def from_db(cls, db, field_names, values):
        record = super().from_db(db, field_names, values)
        # The status as stored: a save that changes it refreshes the flags resting on it (records/derived.py).
        record._stored_status = record.__dict__.get("status")
        return record

    @property
    def reviewers_only(self):
        """Published, so that only reviewers may change it (records/roles.py).

        Its own status only: whether the public may see it is visibility.is_public's to say.
        """
        return self.status == Status.PUBLISHED

    def publication_problem(self):
        """Why this record may not be published yet, or None."""
        return None


@functools.cache
def _url_pattern(name, script_prefix):
    return reverse(name, args=["__slug__"])


def slug_url(name, slug):
    """reverse(name, args=[slug]), for the pages that link a hundred records: the pattern is worked out once."""
    return _url_pattern(name, get_script_prefix()).replace("__slug__", quote(slug, safe="-_"))


def a_or_an(noun):
    return f"{'An' if noun[0] in 'aeiou' else 'A'} {noun}"


# The citation rule: a published fact rests on at least one citation of a published source. Every route
# asks it here: saves and the publish action (publication_problem), deleting or changing a citation
# (cited_publicly with what goes), the inlines (a citation as a form holds it) and the batch import
# (PUBLICLY_CITED, the same condition as a lookup on the facts).
PUBLICLY_CITED = {"citations__source__status": Status.PUBLISHED}


def cites_publicly(source):
    """Whether a citation of `source` (a Source, or None) counts for the citation rule."""
    return source is not None and source.status == Status.PUBLISHED


class CitedFact:
    """Mixed into facts the public may see only with a source behind them."""

    def missing_citation(self):
        return (
            f"{a_or_an(self._meta.verbose_name)} cannot be published without at least one citation "
            "of a published source."
        )

    def cited_publicly(self, excluding=()):
        """Whether the citation rule holds for this fact, leaving out the citations with the pks `excluding`."""
        if self.pk is None:
            return False
        return self.citations.filter(source__status=Status.PUBLISHED).exclude(pk__in=list(excluding)).exists()

    def publication_problem(self):
        if not self.cited_publicly():
            return self.missing_citation()
        return None


class SluggedPublishable(Publishable):
    """A publishable record with a permalink; the slug is its natural key in URLs, CSV and fixtures."""

    slug = models.SlugField(
        max_length=200,
        unique=True,
        help_text="Permanent address and key in CSV files: lower-case letters, digits and hyphens.",
    )

    class Meta:
        abstract = True

    def get_absolute_url(self):
        return slug_url(self.detail_url_name, self.slug)

    def natural_key(self):
        return (self.slug,)
