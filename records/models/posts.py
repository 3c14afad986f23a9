"""Seats and offices (Popolo's Post): a place in an organization that people hold in turn through memberships.

A legislature's seat for a constituency, a ministry's minister, an embassy's
ambassador, a permanent mission's permanent representative: the post is the
office, the membership holding it is one term of one holder. Successions are
read from the post's holders, never stored twice.
"""

from django.db import models

from records.partial_dates import PartialDateField

from .actors import Organization
from .base import (
    CitedFact,
    PublishableQuerySet,
    Searchable,
    SluggedPublishable,
    dates_in_order,
    record_history,
    record_permissions,
    search_names_field,
    well_formed_date,
)


class PostQuerySet(PublishableQuerySet):
    def with_organization(self):
        return self.select_related("organization")


class Post(CitedFact, Searchable, SluggedPublishable):
    detail_url_name = "post-detail"
    search_inputs = ("label", "other_labels", "area")
    public_requires = ("organization",)

    label = models.CharField(
        max_length=300,
        help_text="The office as its holders are called in it: 'Member of the Assembly for Lefkoşa', "
        "'Ambassador of Azerbaijan to Türkiye'.",
    )
    other_labels = models.TextField(
        blank=True, help_text="Other names of the office, one a line: translations, former titles."
    )
    role = models.CharField(
        max_length=300, blank=True, help_text="The function, the same for every such post: 'member', 'ambassador'."
    )
    organization = models.ForeignKey(
        Organization,
        on_delete=models.PROTECT,
        related_name="posts",
        help_text="The body the post belongs to: the legislature, the ministry, the embassy.",
    )
    area = models.CharField(
        max_length=200, blank=True, help_text="The constituency, region or country the post stands for."
    )
    start_date = PartialDateField(help_text="When the post was created: YYYY, YYYY-MM or YYYY-MM-DD.")
    end_date = PartialDateField(help_text="When it was abolished; empty while it exists.")
    search_names = search_names_field()

    objects = PostQuerySet.as_manager()
    history = record_history(excluded_fields=["search_names"])

    class Meta:
        ordering = ["organization__name", "label"]
        verbose_name = "post"
        verbose_name_plural = "posts"
        permissions = record_permissions("post", "posts")
        constraints = [
            dates_in_order("start_date", "end_date", "post_ends_after_start"),
            well_formed_date("start_date", "post_start_date_iso"),
            well_formed_date("end_date", "post_end_date_iso"),
        ]

    def __str__(self):
        return self.label

    @property
    def other_label_list(self):
        return [label.strip() for label in self.other_labels.splitlines() if label.strip()]
