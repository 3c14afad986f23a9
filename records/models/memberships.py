"""Who belongs where: people holding posts, states belonging to bodies (Popolo's Membership)."""

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import F, Prefetch, Q

from records.partial_dates import PartialDateField

from .actors import Organization, Person
from .base import (
    CitedFact,
    DateBound,
    Publishable,
    PublishableQuerySet,
    dates_in_order,
    exactly_one,
    record_history,
    record_permissions,
    well_formed_date,
)
from .posts import Post
from .sources import Citation

DATE_HELP = "YYYY, YYYY-MM or YYYY-MM-DD, no more precise than the source."
BOUND_HELP = "Use 'on or before' when the source only says it had happened by then (e.g. 'recently')."
WORDING_HELP = "The source's own words when it speaks relatively: 'recently', 'last year'."
RELATIVE_TO_HELP = "The date the wording is relative to, usually the source's publication date."


class MembershipQuerySet(PublishableQuerySet):
    def with_sources(self):
        """With the records a membership's line names, and its public citations as .sources."""
        cited = Citation.objects.published().select_related("source")
        return self.select_related(
            "member_person", "member_organization", "organization", "post__organization"
        ).prefetch_related(Prefetch("citations", queryset=cited, to_attr="sources"))

    def current(self):
        """What lasts: no end date, and not known to have ended."""
        return self.filter(end_date="", ended_date_unknown=False)

    def past(self):
        return self.exclude(end_date="", ended_date_unknown=False)


class Membership(CitedFact, Publishable):
    public_requires = ("organization", ("member_person", "member_organization"))
    # How a membership's end is worded wherever it is shown: pages, timelines, their descriptions.
    ONGOING = "ongoing"
    ENDED_UNKNOWN = "ended (date unknown)"

    class Kind(models.TextChoices):
        # States and organizations in intergovernmental bodies.
        CANDIDATE = "candidate", "candidate"
        OBSERVER = "observer", "observer"
        DIALOGUE_PARTNER = "dialogue_partner", "dialogue partner"
        ASSOCIATE = "associate", "associate member"
        MEMBER = "member", "member"
        FULL_MEMBER = "full_member", "full member"
        SUSPENDED = "suspended", "suspended member"
        WITHDRAWN = "withdrawn", "withdrawn"
        # People in bodies.
        HEAD = "head", "head"
        DEPUTY = "deputy", "deputy head"
        STAFF = "staff", "staff"
        ADVISER = "adviser", "adviser"

    member_person = models.ForeignKey(
        Person, on_delete=models.PROTECT, null=True, blank=True, related_name="memberships"
    )
    member_organization = models.ForeignKey(
        Organization,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="memberships",
        help_text="Set this instead of a person when a state or body is the member.",
    )
    organization = models.ForeignKey(Organization, on_delete=models.PROTECT, related_name="members")
    post = models.ForeignKey(
        Post,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="holdings",
        help_text="The seat or office held, where it is a post of its own: its holders follow one another.",
    )
    role = models.CharField(
        max_length=300, blank=True, help_text="The post as the source names it: 'Assistant to the President'."
    )
    kind = models.CharField(max_length=20, choices=Kind.choices, default=Kind.MEMBER)

    start_date = PartialDateField(help_text=DATE_HELP)
    start_date_bound = models.CharField(
        "start date is", max_length=12, choices=DateBound.choices, blank=True, default="", help_text=BOUND_HELP
    )
    start_date_wording = models.CharField(max_length=200, blank=True, help_text=WORDING_HELP)
    start_date_relative_to = models.DateField(null=True, blank=True, help_text=RELATIVE_TO_HELP)
    end_date = PartialDateField(help_text=DATE_HELP + " Empty while it lasts.")
    end_date_bound = models.CharField(
        "end date is", max_length=12, choices=DateBound.choices, blank=True, default="", help_text=BOUND_HELP
    )
    end_date_wording = models.CharField(max_length=200, blank=True, help_text=WORDING_HELP)
    end_date_relative_to = models.DateField(null=True, blank=True, help_text=RELATIVE_TO_HELP)
    area = models.CharField(
        max_length=200, blank=True, help_text="The constituency or area the member stands for, where there is one."
    )
    ended_date_unknown = models.BooleanField(
        "ended, date unknown",
        default=False,
        help_text="Tick when the sources show it has ended but not when; leave the end date empty. "
        "With neither, it is ongoing.",
    )

    objects = MembershipQuerySet.as_manager()
    history = record_history()

    class Meta:
        ordering = ["organization__name", "-start_date"]
        verbose_name = "membership"
        verbose_name_plural = "memberships"
        permissions = record_permissions("membership", "memberships")
        constraints = [
            models.CheckConstraint(
                condition=exactly_one("member_person", "member_organization"),
                name="membership_has_one_member",
                violation_error_message="Choose exactly one member: a person or an organization.",
            ),
            models.CheckConstraint(
                condition=~Q(member_organization=F("organization")),
                name="membership_not_of_itself",
                violation_error_message="An organization cannot be a member of itself.",
            ),
            dates_in_order("start_date", "end_date", "membership_ends_after_start"),
            well_formed_date("start_date", "membership_start_date_iso"),
            well_formed_date("end_date", "membership_end_date_iso"),
            models.CheckConstraint(
                condition=Q(start_date_wording="") | Q(start_date_relative_to__isnull=False),
                name="membership_start_wording_has_reference",
                violation_error_message="Relative wording for the start needs the date it is relative to.",
            ),
            models.CheckConstraint(
                condition=Q(end_date_wording="") | Q(end_date_relative_to__isnull=False),
                name="membership_end_wording_has_reference",
                violation_error_message="Relative wording for the end needs the date it is relative to.",
            ),
            models.CheckConstraint(
                condition=Q(end_date="") | Q(ended_date_unknown=False),
                name="membership_end_known_or_unknown",
                violation_error_message="An end date says when it ended: leave “ended, date unknown” unticked.",
            ),
            # NULL members never collide, so one constraint per kind of member.
            models.UniqueConstraint(
                fields=["member_person", "organization", "role", "kind", "start_date"],
                name="unique_person_membership",
                violation_error_message="This person already has this membership from this date.",
            ),
            models.UniqueConstraint(
                fields=["member_organization", "organization", "role", "kind", "start_date"],
                name="unique_organization_membership",
                violation_error_message="This organization already has this membership from this date.",
            ),
        ]

    def __str__(self):
        post = self.role or self.get_kind_display()
        return f"{self.member}: {post}, {self.organization}"

    def clean(self):
        if self.post_id and self.organization_id and self.post.organization_id != self.organization_id:
            raise ValidationError({"post": f"This post belongs to {self.post.organization}, not this organization."})

    @property
    def member(self):
        return self.member_person or self.member_organization

    @property
    def is_current(self):
        """It lasts: no end date, and not known to have ended (the rule of MembershipQuerySet.current)."""
        return not self.end_date and not self.ended_date_unknown
