"""What was said, by whom, where and when, and what it mentions."""

from django.contrib.postgres.search import SearchVectorField
from django.db import connections, models
from django.db.models import Exists, Func, OuterRef, Q

from records.partial_dates import PartialDateField

from .actors import Organization, Person
from .base import (
    DateBound,
    PublicQuerySet,
    PublishableQuerySet,
    Searchable,
    SluggedPublishable,
    SlugQuerySet,
    Status,
    exactly_one,
    language_field,
    record_history,
    record_permissions,
    well_formed_date,
)
from .events import Event
from .memberships import Membership
from .sources import Source


class Topic(models.Model):
    name = models.CharField(max_length=100, unique=True)
    slug = models.SlugField(max_length=100, unique=True)

    objects = SlugQuerySet.as_manager()
    history = record_history()

    class Meta:
        ordering = ["name"]
        verbose_name = "topic"
        verbose_name_plural = "topics"
        permissions = record_permissions("topic", "topics", publishable=False)

    def __str__(self):
        return self.name

    def natural_key(self):
        return (self.slug,)


class FoldedTextVector(Func):
    """to_tsvector('simple', …) on PostgreSQL; on SQLite, which has no full-text type, the text itself."""

    output_field = SearchVectorField()

    def as_sql(self, compiler, connection, **extra_context):
        return compiler.compile(self.source_expressions[0])

    def as_postgresql(self, compiler, connection, **extra_context):
        return super().as_sql(
            compiler, connection, template="to_tsvector('simple'::regconfig, %(expressions)s)", **extra_context
        )


class StatementQuerySet(PublishableQuerySet):
    def for_listing(self):
        """With what a statement's card shows: speaker, event, source and its publisher, topics."""
        return self.select_related(
            "speaker_person", "speaker_organization", "event", "source__publisher"
        ).prefetch_related("topics")

    def about_organization(self, organization, limit):
        """The newest `limit` by it, by the people who belong to it, or mentioning it; each marked .mentions_it.

        Each of the three is read newest first and cut at `limit` on its own,
        then merged: a few indexed lookups, however many statements the
        organization's people made. (SQLite, without ORDER BY and LIMIT inside
        a UNION, asks all three at once.)
        """
        people = Membership.objects.published().filter(organization=organization, member_person__isnull=False)
        mentions = OrganizationMention.objects.filter(statement=OuterRef("pk"), organization=organization)
        branches = [
            self.filter(speaker_organization=organization),
            self.filter(speaker_person__in=people.values("member_person")),
            self.filter(Exists(mentions)),
        ]
        newest = ("-date", "-pk")
        if connections[self.db].features.supports_slicing_ordering_in_compound:
            first, *rest = (branch.order_by(*newest).values_list("pk", "date")[:limit] for branch in branches)
            chosen = sorted(first.union(*rest), key=lambda row: (row[1], row[0]), reverse=True)[:limit]
            found = self.filter(pk__in=[pk for pk, _ in chosen])
        else:
            found = self.filter(
                Q(speaker_organization=organization)
                | Q(speaker_person__in=people.values("member_person"))
                | Exists(mentions)
            )
        return found.annotate(mentions_it=Exists(mentions)).order_by(*newest)[:limit]

    # Filters of the public statement list, each by the slug in its URL. They
    # match published records only: a draft's slug finds nothing, exactly like
    # a slug that does not exist, so the lists cannot be used to probe drafts.

    def spoken_by(self, slug):
        published = Status.PUBLISHED
        return self.filter(
            Q(speaker_person__slug=slug, speaker_person__status=published)
            | Q(speaker_organization__slug=slug, speaker_organization__status=published)
        )

    def mentioning(self, slug):
        organizations = OrganizationMention.objects.filter(
            statement=OuterRef("pk"), organization__slug=slug, organization__status=Status.PUBLISHED
        )
        people = PersonMention.objects.filter(
            statement=OuterRef("pk"), person__slug=slug, person__status=Status.PUBLISHED
        )
        return self.filter(Exists(organizations) | Exists(people))

    def at_event(self, slug):
        return self.filter(event__slug=slug, event__status=Status.PUBLISHED)

    def on_topic(self, slug):
        return self.filter(topics__slug=slug)

    def in_year(self, year):
        # A range rather than LIKE '2025%': the date index reads just that year's rows.
        return self.filter(date__gte=year, date__lt=f"{int(year) + 1:04d}")


class Statement(Searchable, SluggedPublishable):
    detail_url_name = "statement-detail"
    public_requires = ("source", ("speaker_person", "speaker_organization"))
    # The rule's answer, kept in a column of its own (records/visibility.py).
    public_flag = "public"

    search_field = "search_document"
    search_inputs = ("text",)
    search_also = ("topics__name",)

    class Kind(models.TextChoices):
        QUOTE = "quote", "direct quote"
        PARAPHRASE = "paraphrase", "paraphrase"

    # The links the public lists follow are indexed with the date (Meta.indexes), newest first.
    speaker_person = models.ForeignKey(
        Person, on_delete=models.PROTECT, null=True, blank=True, related_name="statements", db_index=False
    )
    speaker_organization = models.ForeignKey(
        Organization,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="statements",
        db_index=False,
        help_text="Set this instead of a person for an official statement of a body.",
    )
    speaker_role = models.CharField(
        max_length=300,
        blank=True,
        help_text="The speaker's office or role when speaking, as the source gives it; the posts themselves are "
        "memberships.",
    )
    event = models.ForeignKey(
        Event, on_delete=models.PROTECT, null=True, blank=True, related_name="statements", db_index=False
    )
    date = PartialDateField(help_text="When it was said: YYYY, YYYY-MM or YYYY-MM-DD.")
    date_bound = models.CharField(
        "date is",
        max_length=12,
        choices=DateBound.choices,
        blank=True,
        default="",
        help_text="'on or before' when the source only shows it was said by then.",
    )
    date_wording = models.CharField(
        max_length=200, blank=True, help_text="The source's words if relative: 'yesterday'."
    )
    date_relative_to = models.DateField(null=True, blank=True, help_text="The date the wording is relative to.")
    kind = models.CharField(
        max_length=10,
        choices=Kind.choices,
        help_text="A direct quote is the speaker's exact words; a paraphrase is the source's report of them.",
    )
    text = models.TextField(
        help_text="For a quote, the exact words without the surrounding quotation marks; for a paraphrase, a "
        "faithful summary."
    )
    language = language_field(default="en")
    topics = models.ManyToManyField(Topic, blank=True, related_name="statements")
    mentioned_people = models.ManyToManyField(Person, through="PersonMention", blank=True, related_name="mentioned_in")
    mentioned_organizations = models.ManyToManyField(
        Organization, through="OrganizationMention", blank=True, related_name="mentioned_in"
    )
    source = models.ForeignKey(
        Source,
        on_delete=models.PROTECT,
        related_name="statements",
        db_index=False,
        help_text="Where the statement was reported.",
    )
    source_excerpt = models.TextField(
        blank=True, help_text="The sentence of the source the statement rests on, verbatim."
    )
    search_document = models.TextField(
        editable=False, blank=True, default="", help_text="The text folded for search (records/search.py)."
    )
    # PostgreSQL keeps the full-text vector of the folded text itself, and a
    # GIN index on it (migration 0006) serves the search page.
    search_vector = models.GeneratedField(
        expression=FoldedTextVector("search_document"), output_field=SearchVectorField(), db_persist=True
    )

    public = models.BooleanField(
        default=False,
        editable=False,
        help_text="Whether the public may see it: published, and so are its speaker and source (kept by "
        "records/visibility.py).",
    )

    objects = StatementQuerySet.as_manager()
    history = record_history(m2m_fields=[topics], excluded_fields=["search_document", "search_vector", "public"])

    class Meta:
        ordering = ["-date", "-pk"]
        verbose_name = "statement"
        verbose_name_plural = "statements"
        permissions = record_permissions("statement", "statements")
        indexes = [
            # The default order of the admin's list: newest first.
            models.Index(fields=["date", "id"], name="statement_date_order"),
            # The public lists read what they show and stop: the public statements newest
            # first, and those of one speaker, event or source (which also serve the
            # foreign keys' own lookups, as their first column).
            models.Index(fields=["date", "id"], condition=Q(public=True), name="statement_public_date"),
            models.Index(fields=["speaker_person", "date", "id"], name="statement_person_date"),
            models.Index(fields=["speaker_organization", "date", "id"], name="statement_organization_date"),
            models.Index(fields=["event", "date", "id"], name="statement_event_date"),
            models.Index(fields=["source", "date", "id"], name="statement_source_date"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=exactly_one("speaker_person", "speaker_organization"),
                name="statement_has_one_speaker",
                violation_error_message="Choose exactly one speaker: a person or an organization.",
            ),
            well_formed_date("date", "statement_date_iso"),
            models.CheckConstraint(
                condition=Q(date_wording="") | Q(date_relative_to__isnull=False),
                name="statement_date_wording_has_reference",
                violation_error_message="Relative wording for the date needs the date it is relative to.",
            ),
        ]

    def __str__(self):
        text = self.text if len(self.text) <= 80 else self.text[:79] + "…"
        return f"{self.speaker}: {text}"

    @property
    def speaker(self):
        return self.speaker_person or self.speaker_organization


# Explicit link tables so that deleting a mentioned person or organization is
# refused instead of silently removing the mention from every statement.
class PersonMention(models.Model):
    statement = models.ForeignKey(Statement, on_delete=models.CASCADE)
    person = models.ForeignKey(Person, on_delete=models.PROTECT)
    objects = PublicQuerySet.as_manager()
    public_requires = ("statement", "person")
    history = record_history()

    class Meta:
        constraints = [models.UniqueConstraint(fields=["statement", "person"], name="unique_person_mention")]

    def __str__(self):
        return str(self.person)

    @property
    def part_of(self):
        return self.statement


class OrganizationMention(models.Model):
    statement = models.ForeignKey(Statement, on_delete=models.CASCADE)
    organization = models.ForeignKey(Organization, on_delete=models.PROTECT)
    objects = PublicQuerySet.as_manager()
    public_requires = ("statement", "organization")
    history = record_history()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["statement", "organization"], name="unique_organization_mention")
        ]

    def __str__(self):
        return str(self.organization)

    @property
    def part_of(self):
        return self.statement
