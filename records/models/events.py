"""Forums, panels, summits and conference series, and who took part in what role."""

from django.db import models
from django.db.models import F, Prefetch, Q

from records.partial_dates import PartialDateField

from .actors import Organization, Person
from .base import (
    CitedFact,
    DateBound,
    PublicQuerySet,
    Searchable,
    SluggedPublishable,
    dates_in_order,
    exactly_one,
    record_history,
    record_permissions,
    refuse_cycle,
    search_names_field,
    well_formed_date,
)
from .sources import Citation


class Event(CitedFact, Searchable, SluggedPublishable):
    detail_url_name = "event-detail"
    search_inputs = ("name", "place")

    class Classification(models.TextChoices):
        FORUM = "forum", "Forum"
        PANEL = "panel", "Panel or session"
        SUMMIT = "summit", "Summit"
        CONFERENCE = "conference", "Conference"
        CONFERENCE_SERIES = "conference_series", "Conference series"
        MEETING = "meeting", "Meeting or visit"
        ELECTION = "election", "Election"
        LEGISLATIVE_TERM = "legislative_term", "Legislative term"
        OTHER = "other", "Other"

    name = models.CharField(max_length=300, help_text="The title as the organizers give it.")
    classification = models.CharField(max_length=20, choices=Classification.choices)
    parent = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="children",
        help_text="The larger event this one is part of: a panel's forum, a conference's series.",
    )
    start_date = PartialDateField(help_text="YYYY, YYYY-MM or YYYY-MM-DD, no more precise than the sources.")
    start_date_bound = models.CharField(
        "start date is",
        max_length=12,
        choices=DateBound.choices,
        blank=True,
        default="",
        help_text="'on or before' when a source only shows the event had taken place by then.",
    )
    end_date = PartialDateField(help_text="YYYY, YYYY-MM or YYYY-MM-DD; empty for a one-day or ongoing event.")
    place = models.CharField(max_length=200, blank=True, help_text="City and country: 'Baku, Azerbaijan'.")
    summary = models.TextField(blank=True)
    search_names = search_names_field()
    history = record_history(excluded_fields=["search_names"])

    class Meta:
        ordering = ["-start_date", "name"]
        verbose_name = "event"
        verbose_name_plural = "events"
        permissions = record_permissions("event", "events")
        constraints = [
            models.CheckConstraint(
                condition=~Q(parent=F("pk")),
                name="event_not_own_parent",
                violation_error_message="An event cannot be part of itself.",
            ),
            dates_in_order("start_date", "end_date", "event_ends_after_start"),
            well_formed_date("start_date", "event_start_date_iso"),
            well_formed_date("end_date", "event_end_date_iso"),
        ]

    def __str__(self):
        return self.name

    def clean(self):
        refuse_cycle(self, "event")


class ParticipantQuerySet(PublicQuerySet):
    def with_event_sources(self):
        """With the event, and its public citations as .sources: a participation is cited through its event."""
        cited = Citation.objects.published().select_related("source")
        return self.select_related("event").prefetch_related(
            Prefetch("event__citations", queryset=cited, to_attr="sources")
        )


class EventParticipant(models.Model):
    """A person, or an organization such as a state delegation, taking part in an event."""

    class Role(models.TextChoices):
        SPEAKER = "speaker", "speaker"
        MODERATOR = "moderator", "moderator"
        ORGANIZER = "organizer", "organizer"
        DELEGATION = "delegation", "delegation"
        ATTENDEE = "attendee", "attendee"

    # The participation is part of the event's record; the people and
    # organizations are curated facts of their own and must not vanish with it.
    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="participants")
    person = models.ForeignKey(Person, on_delete=models.PROTECT, null=True, blank=True, related_name="participations")
    organization = models.ForeignKey(
        Organization, on_delete=models.PROTECT, null=True, blank=True, related_name="participations"
    )
    role = models.CharField(max_length=20, choices=Role.choices, default=Role.SPEAKER)
    note = models.CharField(max_length=300, blank=True, help_text="Anything the role does not say.")

    objects = ParticipantQuerySet.as_manager()
    public_requires = ("event", ("person", "organization"))
    history = record_history()

    class Meta:
        ordering = ["event", "role", "pk"]
        verbose_name = "participant"
        verbose_name_plural = "participants"
        permissions = record_permissions("eventparticipant", "participants", publishable=False)
        constraints = [
            models.CheckConstraint(
                condition=exactly_one("person", "organization"),
                name="participant_is_one_actor",
                violation_error_message="Choose exactly one participant: a person or an organization.",
            ),
            models.UniqueConstraint(
                fields=["event", "person", "role"],
                name="unique_person_participation",
                violation_error_message="This person already takes part in this event in this role.",
            ),
            models.UniqueConstraint(
                fields=["event", "organization", "role"],
                name="unique_organization_participation",
                violation_error_message="This organization already takes part in this event in this role.",
            ),
        ]

    def __str__(self):
        return f"{self.participant} ({self.get_role_display()}) at {self.event}"

    @property
    def participant(self):
        return self.person or self.organization

    @property
    def part_of(self):
        return self.event
