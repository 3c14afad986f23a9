"""The parts of a record edited on its page, and read-only lists of what hangs on it."""

from django.contrib import admin
from django.core.exceptions import ValidationError
from django.db import models
from django.forms.models import BaseInlineFormSet
from django.utils.html import format_html

from ..models import (
    Citation,
    Event,
    EventParticipant,
    FormerSlug,
    Identifier,
    Link,
    Membership,
    Organization,
    OrganizationMention,
    OtherName,
    PersonMention,
    Post,
    Statement,
    Status,
)
from ..models.base import CitedFact, cites_publicly
from ..roles import may_change


class ReviewedInlineFormSet(BaseInlineFormSet):
    """Rows the user may not change (a published membership in a draft person's form) are shown, not editable.

    Their fields, the delete box included, are disabled: Django then keeps
    the stored values whatever the browser sends.
    """

    user = None  # set by ReviewedInline.get_formset

    def _construct_form(self, i, **kwargs):
        form = super()._construct_form(i, **kwargs)
        if form.instance.pk is not None:
            setattr(form.instance, self.fk.name, self.instance)  # known already: no query per row
            if self.user is not None and not may_change(self.user, form.instance):
                # The row's key and its link to the parent still travel, so the
                # row is found again; nothing else of it can change.
                keys = {self._pk_field.name, self.fk.name}
                for name, field in form.fields.items():
                    field.disabled = name not in keys
        return form


class ReviewedInline(admin.TabularInline):
    formset = ReviewedInlineFormSet
    # As on the records' own forms (base.FilesAdmin): a URL typed without a scheme is https.
    formfield_overrides = {models.URLField: {"assume_scheme": "https"}}

    def get_formset(self, request, obj=None, **kwargs):
        formset = super().get_formset(request, obj, **kwargs)
        return type(formset.__name__, (formset,), {"user": request.user})


class ListedInline(admin.TabularInline):
    """A read-only list of related records, each linking to its own page."""

    extra = 0
    can_delete = False
    show_change_link = True

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False


class CitationFormSet(ReviewedInlineFormSet):
    def clean(self):
        super().clean()
        # The rule of CitedFact.publication_problem, applied to the citations
        # being saved with the form rather than to those already stored.
        fact = self.instance
        if not isinstance(fact, CitedFact) or fact.status != Status.PUBLISHED:
            return
        kept = [form for form in self.forms if form.cleaned_data and not form.cleaned_data.get("DELETE")]
        if not any(cites_publicly(form.cleaned_data.get("source")) for form in kept):
            raise ValidationError(fact.missing_citation(), code="citation_required")


class CitationInline(ReviewedInline):
    model = Citation
    formset = CitationFormSet
    fields = ["source", "excerpt"]
    autocomplete_fields = ["source"]
    extra = 1


class AdditionalSourceInline(CitationInline):
    """A statement's source is its own field; these are other reports of the same words."""

    verbose_name = "additional source"
    verbose_name_plural = "additional sources (optional: other reports of the same statement)"
    extra = 0


class OtherNameInline(ReviewedInline):
    model = OtherName
    fields = ["name", "language", "note"]
    extra = 1


class IdentifierInline(ReviewedInline):
    model = Identifier
    fields = ["scheme", "value"]
    extra = 0


class LinkInline(ReviewedInline):
    model = Link
    fields = ["url", "note"]
    extra = 0


class MembershipInline(ReviewedInline):
    """Memberships edited from the person or organization; dates in detail on the membership's own page."""

    model = Membership
    readonly_fields = ["status"]
    show_change_link = True
    extra = 0

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("member_person", "member_organization", "organization")


class PersonMembershipInline(MembershipInline):
    fk_name = "member_person"
    verbose_name = "post or membership"
    verbose_name_plural = "posts and memberships"
    fields = ["organization", "role", "kind", "start_date", "end_date", "status"]
    autocomplete_fields = ["organization"]


class MemberInline(MembershipInline):
    fk_name = "organization"
    verbose_name = "member"
    verbose_name_plural = "members"
    fields = ["member_person", "member_organization", "role", "kind", "start_date", "end_date", "status"]
    autocomplete_fields = ["member_person", "member_organization"]


class OwnMembershipInline(MembershipInline):
    fk_name = "member_organization"
    verbose_name = "membership of this organization"
    verbose_name_plural = "memberships of this organization"
    fields = ["organization", "role", "kind", "start_date", "end_date", "status"]
    autocomplete_fields = ["organization"]


class PostInline(ListedInline):
    model = Post
    verbose_name_plural = "posts (seats and offices; their holders on each post's page)"
    fields = ["label", "role", "area", "status"]


class PostHolderInline(ListedInline):
    """A post's holders: memberships of its organization, edited on their own pages."""

    model = Membership
    fk_name = "post"
    verbose_name = "holder"
    verbose_name_plural = "holders"
    fields = ["member_person", "member_organization", "start_date", "end_date", "status"]

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("member_person", "member_organization")


class FormerSlugInline(ListedInline):
    """Addresses of records merged into this one; they redirect here (records/merging.py)."""

    model = FormerSlug
    fields = ["slug", "created"]
    readonly_fields = ["slug", "created"]
    show_change_link = False


class SubOrganizationInline(ListedInline):
    model = Organization
    fk_name = "parent"
    verbose_name = "sub-organization"
    verbose_name_plural = "sub-organizations"
    fields = ["name", "classification", "status"]


class SubEventInline(ListedInline):
    model = Event
    fk_name = "parent"
    verbose_name = "sub-event"
    verbose_name_plural = "sub-events"
    fields = ["name", "classification", "start_date", "status"]


class ParticipantInline(ReviewedInline):
    model = EventParticipant
    fields = ["person", "organization", "role", "note"]
    autocomplete_fields = ["person", "organization"]
    extra = 1


class EventStatementInline(ListedInline):
    model = Statement
    fields = ["text", "kind", "date", "status"]

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("speaker_person", "speaker_organization")


class PersonMentionInline(ReviewedInline):
    model = PersonMention
    autocomplete_fields = ["person"]
    verbose_name = "mentioned person"
    verbose_name_plural = "mentioned people"
    extra = 0


class OrganizationMentionInline(ReviewedInline):
    model = OrganizationMention
    autocomplete_fields = ["organization"]
    verbose_name = "mentioned organization"
    verbose_name_plural = "mentioned organizations"
    extra = 0


class SourceCitationInline(ListedInline):
    model = Citation
    fields = ["fact", "excerpt"]
    readonly_fields = ["fact"]
    verbose_name = "fact citing this source"
    verbose_name_plural = "facts citing this source"
    show_change_link = False

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .select_related(
                "membership__member_person",
                "membership__member_organization",
                "membership__organization",
                "event",
                "statement__speaker_person",
                "statement__speaker_organization",
            )
        )

    @admin.display(description="fact")
    def fact(self, citation):
        fact = citation.fact
        url = f"../../../{fact._meta.model_name}/{fact.pk}/change/"
        return format_html('<a href="{}">{}: {}</a>', url, fact._meta.verbose_name.capitalize(), fact)


class SourceStatementInline(EventStatementInline):
    verbose_name = "statement reported here"
    verbose_name_plural = "statements reported here"
