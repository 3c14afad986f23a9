"""People and organizations: the actors of diplomacy, with their other names and identifiers."""

from django.db import models
from django.db.models import F, Q

from records.partial_dates import PartialDateField
from records.web_addresses import WebAddressField

from .base import (
    PublicQuerySet,
    Searchable,
    SluggedPublishable,
    dates_in_order,
    exactly_one,
    language_field,
    record_history,
    record_permissions,
    refuse_cycle,
    search_names_field,
    well_formed_date,
)


class Person(Searchable, SluggedPublishable):
    detail_url_name = "person-detail"
    search_inputs = ("name",)
    search_also = ("other_names__name", "identifiers__value")

    name = models.CharField(max_length=200, help_text="The name as the sources in English most often give it.")
    summary = models.TextField(blank=True, help_text="One or two neutral sentences: who this person is.")
    birth_date = PartialDateField(help_text="YYYY, YYYY-MM or YYYY-MM-DD; leave empty if unknown.")
    death_date = PartialDateField(help_text="YYYY, YYYY-MM or YYYY-MM-DD; leave empty if alive or unknown.")
    gender = models.CharField(max_length=30, blank=True, help_text="As the sources give it: female, male, …")
    image = WebAddressField(max_length=1000, blank=True, help_text="The address of a portrait published elsewhere.")
    search_names = search_names_field()
    history = record_history(excluded_fields=["search_names"])

    class Meta:
        ordering = ["name"]
        verbose_name = "person"
        verbose_name_plural = "people"
        permissions = record_permissions("person", "people")
        constraints = [
            dates_in_order("birth_date", "death_date", "person_death_after_birth"),
            well_formed_date("birth_date", "person_birth_date_iso"),
            well_formed_date("death_date", "person_death_date_iso"),
        ]

    def __str__(self):
        return self.name


class Organization(Searchable, SluggedPublishable):
    detail_url_name = "organization-detail"
    search_inputs = ("name", "abbreviation")
    search_also = ("other_names__name", "identifiers__value")

    class Classification(models.TextChoices):
        STATE = "state", "State"
        INTERGOVERNMENTAL = "intergovernmental", "Intergovernmental organization"
        GOVERNMENT_BODY = "government_body", "Government body or department"
        FORUM = "forum", "Forum or platform"
        CONFERENCE = "conference", "Conference body"
        MEDIA = "media", "Media outlet"
        PARTY = "party", "Political party"
        LEGISLATURE = "legislature", "Legislature or chamber"
        NGO = "ngo", "Non-governmental organization"
        OTHER = "other", "Other"

    name = models.CharField(max_length=300, help_text="Official name in English.")
    abbreviation = models.CharField(max_length=50, blank=True, help_text="D-8, OTS, OSCE …")
    classification = models.CharField(max_length=20, choices=Classification.choices)
    parent = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="children",
        help_text="The body this one belongs to: a department's administration, a group's organization.",
    )
    summary = models.TextField(blank=True)
    founding_date = PartialDateField(help_text="YYYY, YYYY-MM or YYYY-MM-DD.")
    dissolution_date = PartialDateField(help_text="YYYY, YYYY-MM or YYYY-MM-DD; empty while it exists.")
    search_names = search_names_field()
    history = record_history(excluded_fields=["search_names"])

    class Meta:
        ordering = ["name"]
        verbose_name = "organization"
        verbose_name_plural = "organizations"
        permissions = record_permissions("organization", "organizations")
        constraints = [
            models.CheckConstraint(
                condition=~Q(parent=F("pk")),
                name="organization_not_own_parent",
                violation_error_message="An organization cannot be its own parent.",
            ),
            dates_in_order("founding_date", "dissolution_date", "organization_dissolved_after_founding"),
            well_formed_date("founding_date", "organization_founding_date_iso"),
            well_formed_date("dissolution_date", "organization_dissolution_date_iso"),
        ]

    def __str__(self):
        if self.abbreviation:
            return f"{self.name} ({self.abbreviation})"
        return self.name

    def clean(self):
        refuse_cycle(self, "organization")


class ActorDetail(models.Model):
    """Something that belongs to exactly one person or one organization."""

    public_requires = (("person", "organization"),)

    person = models.ForeignKey(Person, on_delete=models.CASCADE, null=True, blank=True)
    organization = models.ForeignKey(Organization, on_delete=models.CASCADE, null=True, blank=True)

    class Meta:
        abstract = True

    @property
    def owner(self):
        return self.person or self.organization

    @property
    def part_of(self):
        """The record a change to this one changes (records/roles.py)."""
        return self.owner


class OtherName(ActorDetail):
    name = models.CharField(max_length=300)
    language = language_field(blank=True)
    note = models.CharField(
        max_length=200,
        blank=True,
        help_text="What kind of name: transliteration, native spelling, former name, abbreviation …",
    )
    objects = PublicQuerySet.as_manager()
    history = record_history()

    class Meta:
        ordering = ["name"]
        verbose_name = "other name"
        verbose_name_plural = "other names"
        permissions = record_permissions("othername", "other names", publishable=False)
        default_related_name = "other_names"
        constraints = [
            models.CheckConstraint(
                condition=exactly_one("person", "organization"),
                name="other_name_has_one_owner",
                violation_error_message="An other name belongs to exactly one person or one organization.",
            ),
            models.UniqueConstraint(
                fields=["person", "name", "language"],
                name="unique_person_other_name",
                violation_error_message="This person already has this name in this language.",
            ),
            models.UniqueConstraint(
                fields=["organization", "name", "language"],
                name="unique_organization_other_name",
                violation_error_message="This organization already has this name in this language.",
            ),
        ]

    def __str__(self):
        return f"{self.name} [{self.language}]" if self.language else self.name


class Identifier(ActorDetail):
    scheme = models.SlugField(max_length=50, help_text="The register: wikidata, iso-3166-1, viaf …")
    value = models.CharField(max_length=200, help_text="The identifier in that register, e.g. Q227.")
    objects = PublicQuerySet.as_manager()
    history = record_history()

    class Meta:
        ordering = ["scheme", "value"]
        verbose_name = "identifier"
        verbose_name_plural = "identifiers"
        permissions = record_permissions("identifier", "identifiers", publishable=False)
        default_related_name = "identifiers"
        constraints = [
            models.CheckConstraint(
                condition=exactly_one("person", "organization"),
                name="identifier_has_one_owner",
                violation_error_message="An identifier belongs to exactly one person or one organization.",
            ),
            models.UniqueConstraint(
                fields=["scheme", "value"],
                name="unique_identifier_per_scheme",
                violation_error_message="Another record already has this identifier in this scheme.",
            ),
        ]

    def __str__(self):
        return f"{self.scheme}:{self.value}"


class Link(ActorDetail):
    """A page about a person or an organization elsewhere: a website, an encyclopedia entry, a profile."""

    url = WebAddressField("URL", max_length=1000)
    note = models.CharField(max_length=200, blank=True, help_text="What the page is: website, Wikipedia (en) …")
    objects = PublicQuerySet.as_manager()
    history = record_history()

    class Meta:
        ordering = ["note", "url"]
        verbose_name = "link"
        verbose_name_plural = "links"
        permissions = record_permissions("link", "links", publishable=False)
        default_related_name = "links"
        constraints = [
            models.CheckConstraint(
                condition=exactly_one("person", "organization"),
                name="link_has_one_owner",
                violation_error_message="A link belongs to exactly one person or one organization.",
            ),
            models.UniqueConstraint(
                fields=["person", "url"],
                name="unique_person_link",
                violation_error_message="This person already has this link.",
            ),
            models.UniqueConstraint(
                fields=["organization", "url"],
                name="unique_organization_link",
                violation_error_message="This organization already has this link.",
            ),
        ]

    def __str__(self):
        return f"{self.note}: {self.url}" if self.note else self.url


class FormerSlug(ActorDetail):
    """A slug that a person or an organization merged into this one answered to: its old address redirects here."""

    slug = models.SlugField(max_length=200)
    created = models.DateTimeField(auto_now_add=True)

    objects = PublicQuerySet.as_manager()

    class Meta:
        ordering = ["slug"]
        verbose_name = "former address"
        verbose_name_plural = "former addresses"
        default_related_name = "former_slugs"
        constraints = [
            models.CheckConstraint(
                condition=exactly_one("person", "organization"),
                name="former_slug_has_one_owner",
                violation_error_message="A former address belongs to exactly one person or one organization.",
            ),
            # One redirect per old address and kind of record.
            models.UniqueConstraint(
                fields=["slug"], condition=Q(person__isnull=False), name="unique_former_person_slug"
            ),
            models.UniqueConstraint(
                fields=["slug"], condition=Q(organization__isnull=False), name="unique_former_organization_slug"
            ),
        ]

    def __str__(self):
        return self.slug
