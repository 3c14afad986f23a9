"""Where facts were reported, and which facts cite which source."""

import datetime

from django.db import models
from django.db.models import Q

from records.web_addresses import WebAddressField

from .actors import Organization, Person
from .base import (
    CitedFact,
    PublicQuerySet,
    Searchable,
    SluggedPublishable,
    cites_publicly,
    exactly_one,
    language_field,
    record_history,
    record_permissions,
    search_names_field,
)


class Source(Searchable, SluggedPublishable):
    detail_url_name = "source-detail"
    search_inputs = ("title",)

    title = models.CharField(
        max_length=500,
        help_text="The headline as published; a title devised by the editors goes in [square brackets].",
    )
    url = WebAddressField("URL", max_length=1000, blank=True, help_text="Where a reader can check it.")
    publisher = models.ForeignKey(
        Organization, on_delete=models.PROTECT, null=True, blank=True, related_name="published_sources"
    )
    author = models.ForeignKey(Person, on_delete=models.PROTECT, null=True, blank=True, related_name="authored_sources")
    published_at = models.DateTimeField(null=True, blank=True, help_text="Publication date and time (stored in UTC).")
    utc_offset_minutes = models.SmallIntegerField(
        "UTC offset (minutes)",
        null=True,
        blank=True,
        help_text="The time zone the source states, as minutes from UTC: 240 for UTC+04:00.",
    )
    language = language_field(default="en")
    note = models.TextField(
        blank=True,
        help_text="What a reader should know about this record itself: a devised title, a missing byline …",
    )
    search_names = search_names_field()
    history = record_history(excluded_fields=["search_names"])

    class Meta:
        ordering = ["-published_at", "title"]
        verbose_name = "source"
        verbose_name_plural = "sources"
        permissions = record_permissions("source", "sources")
        constraints = [
            models.CheckConstraint(
                condition=Q(utc_offset_minutes__gte=-12 * 60, utc_offset_minutes__lte=14 * 60)
                | Q(utc_offset_minutes__isnull=True),
                name="source_utc_offset_exists",
                violation_error_message="A UTC offset lies between -12:00 and +14:00.",
            ),
        ]

    def __str__(self):
        return self.title

    @property
    def published_at_local(self):
        """The publication time as the source stated it, in its own offset."""
        if self.published_at is None or self.utc_offset_minutes is None:
            return self.published_at
        return self.published_at.astimezone(offset_zone(self.utc_offset_minutes))

    @property
    def published_at_label(self):
        """'12 March 2026, 17:15 (UTC+04:00)': the time as the source gave it."""
        local = self.published_at_local
        if local is None:
            return ""
        offset = local.strftime("%z") if self.utc_offset_minutes is not None else "+0000"
        return f"{local.day} {local:%B %Y, %H:%M} (UTC{offset[:3]}:{offset[3:]})"


def offset_zone(minutes):
    """The fixed time zone `minutes` from UTC; UTC itself for none, or for an offset no place has."""
    if minutes is None or not -12 * 60 <= minutes <= 14 * 60:
        return datetime.UTC
    return datetime.timezone(datetime.timedelta(minutes=minutes))


class CitationQuerySet(PublicQuerySet):
    def of_source(self, source):
        """The public facts a source supports, with what naming them needs."""
        return self.filter(source=source).select_related(
            "membership__member_person",
            "membership__member_organization",
            "membership__organization",
            "membership__post__organization",
            "event",
            "post__organization",
            "statement__source",
            "statement__speaker_person",
            "statement__speaker_organization",
        )


class Citation(models.Model):
    """A source supporting a membership, an event, a statement or a post, with the words that support it."""

    source = models.ForeignKey(Source, on_delete=models.PROTECT, related_name="citations")
    excerpt = models.TextField(blank=True, help_text="The passage of the source that supports the fact, verbatim.")
    # A citation is part of the fact it supports and goes with it.
    membership = models.ForeignKey(
        "records.Membership", on_delete=models.CASCADE, null=True, blank=True, related_name="citations"
    )
    event = models.ForeignKey(
        "records.Event", on_delete=models.CASCADE, null=True, blank=True, related_name="citations"
    )
    statement = models.ForeignKey(
        "records.Statement", on_delete=models.CASCADE, null=True, blank=True, related_name="citations"
    )
    post = models.ForeignKey("records.Post", on_delete=models.CASCADE, null=True, blank=True, related_name="citations")
    objects = CitationQuerySet.as_manager()
    public_requires = ("source", ("membership", "event", "statement", "post"))
    history = record_history()

    class Meta:
        ordering = ["source", "pk"]
        verbose_name = "citation"
        verbose_name_plural = "citations"
        permissions = record_permissions("citation", "citations", publishable=False)
        constraints = [
            models.CheckConstraint(
                condition=exactly_one("membership", "event", "statement", "post"),
                name="citation_supports_one_fact",
                violation_error_message="A citation supports exactly one membership, event, statement or post.",
            ),
        ]

    def __str__(self):
        return f"{self.source} → {self.fact}"

    @property
    def fact(self):
        return self.membership or self.event or self.statement or self.post

    @property
    def part_of(self):
        return self.fact


def facts_left_uncited(records):
    """The published facts that deleting `records` would leave without a citation of a published source."""
    doomed = {record.pk for record in records if isinstance(record, Citation)}
    facts = {
        citation.fact
        for citation in records
        if isinstance(citation, Citation) and isinstance(citation.fact, CitedFact) and citation.fact.reviewers_only
    }
    return [fact for fact in facts if fact not in records and not fact.cited_publicly(excluding=doomed)]


def fact_left_uncited(stored, changed):
    """The published fact a change of a citation (`stored` as it was, `changed` as it would be) leaves without
    a citation of a published source, or None: a citation moved to another fact, or onto a draft source."""
    fact = stored.fact if stored is not None else None
    if not isinstance(fact, CitedFact) or not fact.reviewers_only:
        return None
    still = changed is not None and changed.fact == fact and cites_publicly(changed.source)
    if still or fact.cited_publicly(excluding={stored.pk}):
        return None
    return fact
