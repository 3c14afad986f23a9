"""The admin page of each record: what its list shows, how it is searched and filtered, its form."""

from django.contrib import admin
from django.utils import timezone

from .. import resources
from ..models import (
    Citation,
    Event,
    EventParticipant,
    Identifier,
    Link,
    Membership,
    Organization,
    OtherName,
    Person,
    Post,
    Source,
    Statement,
    Topic,
)
from ..models.sources import offset_zone
from .base import FilesAdmin, ReviewedAdmin
from .drafting import DraftingAdmin
from .filters import StartYearFilter, YearFilter
from .inlines import (
    AdditionalSourceInline,
    CitationInline,
    EventStatementInline,
    FormerSlugInline,
    IdentifierInline,
    LinkInline,
    MemberInline,
    OrganizationMentionInline,
    OtherNameInline,
    OwnMembershipInline,
    ParticipantInline,
    PersonMembershipInline,
    PersonMentionInline,
    PostHolderInline,
    PostInline,
    SourceCitationInline,
    SourceStatementInline,
    SubEventInline,
    SubOrganizationInline,
)
from .merge import MergeableAdmin


@admin.register(Person)
class PersonAdmin(MergeableAdmin):
    resource_classes = [resources.PersonResource]
    list_display = ["name", "slug", "birth_date", "status", "updated"]
    list_filter = ["status"]
    search_fields = ["name", "slug", "other_names__name"]
    prepopulated_fields = {"slug": ["name"]}
    fields = ["name", "slug", "summary", "birth_date", "death_date", "gender", "image", "status"]
    inlines = [OtherNameInline, IdentifierInline, LinkInline, PersonMembershipInline, FormerSlugInline]


@admin.register(Organization)
class OrganizationAdmin(MergeableAdmin):
    resource_classes = [resources.OrganizationResource]
    list_display = ["name", "abbreviation", "classification", "parent", "status", "updated"]
    list_select_related = ["parent"]
    list_filter = ["classification", "status"]
    search_fields = ["name", "abbreviation", "slug", "other_names__name"]
    prepopulated_fields = {"slug": ["name"]}
    autocomplete_fields = ["parent"]
    fields = [
        "name",
        "abbreviation",
        "slug",
        "classification",
        "parent",
        "summary",
        "founding_date",
        "dissolution_date",
        "status",
    ]
    inlines = [
        OtherNameInline,
        IdentifierInline,
        LinkInline,
        MemberInline,
        OwnMembershipInline,
        PostInline,
        SubOrganizationInline,
        FormerSlugInline,
    ]


@admin.register(Membership)
class MembershipAdmin(ReviewedAdmin):
    resource_classes = [resources.MembershipResource]
    list_display = ["member", "organization", "role", "kind", "start", "end", "status"]
    list_select_related = ["member_person", "member_organization", "organization"]
    list_filter = ["kind", "status", StartYearFilter, "organization__classification"]
    search_fields = [
        "member_person__name",
        "member_organization__name",
        "organization__name",
        "organization__abbreviation",
        "role",
    ]
    autocomplete_fields = ["member_person", "member_organization", "organization", "post"]
    fieldsets = [
        (
            None,
            {
                "fields": [
                    "member_person",
                    "member_organization",
                    "organization",
                    "post",
                    "role",
                    "kind",
                    "area",
                    "status",
                ],
                "description": "A membership is published only with at least one citation of a published source "
                "(below).",
            },
        ),
        (
            "Start",
            {"fields": ["start_date", "start_date_bound", "start_date_wording", "start_date_relative_to"]},
        ),
        (
            "End",
            {
                "fields": [
                    "end_date",
                    "ended_date_unknown",
                    "end_date_bound",
                    "end_date_wording",
                    "end_date_relative_to",
                ],
                "description": "Leave both the end date and “ended, date unknown” empty while it lasts.",
            },
        ),
    ]
    inlines = [CitationInline]

    def get_queryset(self, request):
        # Memberships are named by their member and organization, in lists and autocompletes alike.
        return super().get_queryset(request).select_related("member_person", "member_organization", "organization")

    @admin.display(ordering="start_date")
    def start(self, membership):
        return membership.start_date.label() if membership.start_date else "—"

    @admin.display(ordering="end_date")
    def end(self, membership):
        return membership.end_date.label() if membership.end_date else "—"


@admin.register(Post)
class PostAdmin(ReviewedAdmin):
    resource_classes = [resources.PostResource]
    list_display = ["label", "organization", "role", "area", "start_date", "end_date", "status"]
    list_select_related = ["organization"]
    list_filter = ["status", "organization__classification"]
    search_fields = ["label", "slug", "role", "area", "organization__name"]
    prepopulated_fields = {"slug": ["label"]}
    autocomplete_fields = ["organization"]
    fieldsets = [
        (
            None,
            {
                "description": "A post is published only with at least one citation of a published source (below). "
                "Its holders are memberships of its organization that name it.",
                "fields": [
                    "label",
                    "slug",
                    "organization",
                    "role",
                    "area",
                    "other_labels",
                    "start_date",
                    "end_date",
                    "status",
                ],
            },
        )
    ]
    inlines = [PostHolderInline, CitationInline]


@admin.register(Event)
class EventAdmin(ReviewedAdmin):
    resource_classes = [resources.EventResource]
    list_display = ["name", "classification", "parent", "start_date", "place", "status"]
    list_select_related = ["parent"]
    list_filter = ["classification", "status", StartYearFilter]
    search_fields = ["name", "slug", "place"]
    prepopulated_fields = {"slug": ["name"]}
    autocomplete_fields = ["parent"]
    fieldsets = [
        (
            None,
            {
                "description": "An event is published only with at least one citation of a published source (below).",
                "fields": [
                    "name",
                    "slug",
                    "classification",
                    "parent",
                    "start_date",
                    "start_date_bound",
                    "end_date",
                    "place",
                    "summary",
                    "status",
                ],
            },
        )
    ]
    inlines = [SubEventInline, ParticipantInline, EventStatementInline, CitationInline]


@admin.register(Statement)
class StatementAdmin(ReviewedAdmin):
    resource_classes = [resources.StatementResource]
    list_display = ["excerpt", "speaker", "kind", "event", "date", "status"]
    list_select_related = ["speaker_person", "speaker_organization", "event"]
    # Every filter here must be cheap on a million rows: no DISTINCT over the table.
    list_filter = ["kind", "status", YearFilter, "topics"]
    search_fields = ["text", "slug", "speaker_person__name", "speaker_organization__name"]
    autocomplete_fields = [
        "speaker_person",
        "speaker_organization",
        "event",
        "source",
        "topics",
    ]
    prepopulated_fields = {"slug": ["text"]}
    fieldsets = [
        (None, {"fields": ["kind", "text", "language", "slug", "status"]}),
        ("Who", {"fields": ["speaker_person", "speaker_organization", "speaker_role"]}),
        ("Where and when", {"fields": ["event", "date", "date_bound", "date_wording", "date_relative_to"]}),
        (
            "Source (required)",
            {
                "fields": ["source", "source_excerpt"],
                "description": "The report this statement is taken from, and its sentence the statement rests on. "
                "Other reports of the same words go under “Additional sources” below.",
            },
        ),
        ("Subjects", {"fields": ["topics"]}),
    ]
    inlines = [PersonMentionInline, OrganizationMentionInline, AdditionalSourceInline]

    @admin.display(description="statement", ordering="text")
    def excerpt(self, statement):
        return statement.text if len(statement.text) <= 90 else statement.text[:89] + "…"

    @admin.display(description="speaker")
    def speaker(self, statement):
        return statement.speaker


@admin.register(Source)
class SourceAdmin(DraftingAdmin, ReviewedAdmin):
    resource_classes = [resources.SourceResource]
    list_display = ["title", "publisher", "author", "published", "language", "status"]
    list_select_related = ["publisher", "author"]
    list_filter = ["status", "language", ("publisher", admin.RelatedOnlyFieldListFilter)]
    search_fields = ["title", "slug", "url"]
    date_hierarchy = "published_at"
    prepopulated_fields = {"slug": ["title"]}
    autocomplete_fields = ["publisher", "author"]
    fields = [
        "title",
        "slug",
        "url",
        "publisher",
        "author",
        "published_at",
        "utc_offset_minutes",
        "language",
        "note",
        "status",
    ]
    inlines = [SourceStatementInline, SourceCitationInline]

    @admin.display(description="published", ordering="published_at")
    def published(self, source):
        return source.published_at_label

    def changeform_view(self, request, object_id=None, form_url="", extra_context=None):
        """The publication time shown and read in the source's own offset, not in UTC beside it."""
        with timezone.override(stated_zone(request, self.get_object(request, object_id) if object_id else None)):
            response = super().changeform_view(request, object_id, form_url, extra_context)
            if hasattr(response, "render"):  # a page is rendered in the zone too, not after the view returns
                response.render()
            return response

    def formfield_for_dbfield(self, db_field, request, **kwargs):
        field = super().formfield_for_dbfield(db_field, request, **kwargs)
        if db_field.name == "published_at":
            field.help_text = "Publication date and time as the source states it, in its UTC offset below."
        return field


def stated_zone(request, source):
    """The time zone of a source's stated offset: as the form submits it (empty: none, UTC), else as stored."""
    stored = offset_zone(None if source is None else source.utc_offset_minutes)
    submitted = request.POST.get("utc_offset_minutes")
    if submitted is None:
        return stored
    try:
        return offset_zone(int(submitted) if submitted.strip() else None)
    except ValueError:  # no number: the form refuses it, and shows the time as stored
        return stored


@admin.register(Topic)
class TopicAdmin(FilesAdmin):
    resource_classes = [resources.TopicResource]
    list_display = ["name", "slug"]
    search_fields = ["name"]
    prepopulated_fields = {"slug": ["name"]}


# The parts of records, listed on their own for bulk work in files.


@admin.register(OtherName)
class OtherNameAdmin(FilesAdmin):
    resource_classes = [resources.OtherNameResource]
    list_display = ["name", "language", "note", "owner"]
    list_select_related = ["person", "organization"]
    list_filter = ["language"]
    search_fields = ["name", "person__name", "organization__name"]
    autocomplete_fields = ["person", "organization"]


@admin.register(Identifier)
class IdentifierAdmin(FilesAdmin):
    resource_classes = [resources.IdentifierResource]
    list_display = ["scheme", "value", "owner"]
    list_select_related = ["person", "organization"]
    list_filter = ["scheme"]
    search_fields = ["value", "person__name", "organization__name"]
    autocomplete_fields = ["person", "organization"]


@admin.register(Link)
class LinkAdmin(FilesAdmin):
    resource_classes = [resources.LinkResource]
    list_display = ["url", "note", "owner"]
    list_select_related = ["person", "organization"]
    search_fields = ["url", "note", "person__name", "organization__name"]
    autocomplete_fields = ["person", "organization"]


@admin.register(EventParticipant)
class EventParticipantAdmin(FilesAdmin):
    resource_classes = [resources.EventParticipantResource]
    list_display = ["event", "participant", "role", "note"]
    list_select_related = ["event", "person", "organization"]
    list_filter = ["role"]
    search_fields = ["event__name", "person__name", "organization__name"]
    autocomplete_fields = ["event", "person", "organization"]


@admin.register(Citation)
class CitationAdmin(FilesAdmin):
    resource_classes = [resources.CitationResource]
    list_display = ["source", "fact", "excerpt"]
    list_select_related = [
        "source",
        "event",
        "post",
        "statement__speaker_person",
        "statement__speaker_organization",
        "membership__member_person",
        "membership__member_organization",
        "membership__organization",
    ]
    search_fields = ["excerpt", "source__title"]
    autocomplete_fields = ["source", "membership", "event", "statement", "post"]
