"""The editors' side: find, curate, review and publish records.

Editors draft; reviewers publish (records/roles.py). Every change is kept in
the history pages, with who made it and a field-by-field diff.
"""

import copy

from django import forms
from django.conf import settings
from django.contrib import admin, messages
from django.contrib.admin.utils import unquote
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import models
from django.forms.models import BaseInlineFormSet
from django.shortcuts import get_object_or_404, redirect
from django.utils.html import format_html
from import_export.admin import ImportExportMixin
from import_export.forms import ImportForm
from simple_history.admin import SimpleHistoryAdmin
from simple_history.utils import get_history_model_for_model

from . import previews, resources
from .formats import FORMATS, read_error_message
from .models import (
    Citation,
    Event,
    EventParticipant,
    Identifier,
    Membership,
    Organization,
    OrganizationMention,
    OtherName,
    Person,
    PersonMention,
    Source,
    Statement,
    Status,
    Topic,
)
from .models.base import CitedFact
from .models.sources import facts_left_uncited
from .pagination import EstimatedCountPaginator
from .partial_dates import years_spanned
from .roles import can_publish, may_change, refusal
from .transfer import describe

admin.site.site_header = "Diplomacy Records"
admin.site.site_title = "Diplomacy Records"
admin.site.index_title = "Curation"


class YearFilter(admin.SimpleListFilter):
    """Years of a partial-date field ('2025', '2025-03', '2025-03-12' all fall in 2025)."""

    title = "year"
    parameter_name = "year"
    field = "date"

    def lookups(self, request, model_admin):
        return [(year, year) for year in years_spanned(model_admin.model.objects.all(), self.field)]

    def queryset(self, request, queryset):
        if self.value():
            return queryset.filter(**{f"{self.field}__startswith": self.value()})
        return queryset


class StartYearFilter(YearFilter):
    title = "start year"
    field = "start_date"


class LimitedImportForm(ImportForm):
    def clean_import_file(self):
        upload = self.cleaned_data["import_file"]
        limit = settings.IMPORT_MAX_UPLOAD_BYTES
        if upload.size > limit:
            raise ValidationError(
                f"The file is {upload.size / 2**20:.1f} MB; imports are limited to {limit / 2**20:.0f} MB. "
                "Split it into smaller files."
            )
        return upload


class FilesAdmin(ImportExportMixin, SimpleHistoryAdmin):
    """Import and export as CSV (UTF-8), XLSX and JSON, keyed by slugs; history for every change.

    Every route that writes asks the review rule (records/roles.py) about the
    record as stored and as it would be: the change and delete pages, the
    history's revert, bulk deletion, the inlines and imports.
    """

    formats = FORMATS
    import_form_class = LimitedImportForm
    confirm_form_class = previews.SignedConfirmImportForm

    # The review rule ------------------------------------------------------

    def has_change_permission(self, request, obj=None):
        return super().has_change_permission(request, obj) and (obj is None or may_change(request.user, obj))

    def has_delete_permission(self, request, obj=None):
        allowed = super().has_delete_permission(request, obj)
        return allowed and (obj is None or refusal(request.user, obj, None) is None)

    def get_form(self, request, obj=None, change=False, **kwargs):
        form = super().get_form(request, obj, change, **kwargs)
        return type(form.__name__, (ReviewedForm, form), {"user": request.user})

    def get_deleted_objects(self, objs, request):
        # Bulk deletion from the change list asks here, as the delete page does;
        # whatever lands in the third set makes both refuse.
        deleted, counts, refused, protected = super().get_deleted_objects(objs, request)
        objs = list(objs)
        for obj in objs:
            problem = refusal(request.user, obj, None)
            if problem:
                refused.add(f"{obj_label(obj)} ({problem})")
        for fact in facts_left_uncited(objs):
            refused.add(f"{obj_label(fact)} ({fact.missing_citation()} Add another first.)")
        return deleted, counts, refused, protected

    def revert_disabled(self, request, obj=None):
        # `obj` is the version on show: reverting makes the stored record that version.
        if obj is None:
            return super().revert_disabled(request, obj)
        stored = self.model._base_manager.filter(pk=obj.pk).first()
        return refusal(request.user, stored, obj) is not None

    def history_form_view(self, request, object_id, version_id, extra_context=None):
        if request.method == "POST":
            history = get_history_model_for_model(self.model)
            version = get_object_or_404(history, **{self.opts.pk.attname: unquote(object_id), "history_id": version_id})
            if self.revert_disabled(request, version.instance):
                raise PermissionDenied
        return super().history_form_view(request, object_id, version_id, extra_context)

    # Imports --------------------------------------------------------------

    def add_data_read_fail_error_to_form(self, form, error):
        form.add_error("import_file", read_error_message(error))

    def get_confirm_form_initial(self, request, import_form):
        initial = super().get_confirm_form_initial(request, import_form)
        if import_form is not None:
            initial["import_file_name"] = previews.sign(initial["import_file_name"], request)
        return initial

    def create_confirm_form(self, request, import_form=None):
        form = super().create_confirm_form(request, import_form)
        form.request = request
        return form

    def import_action(self, request, **kwargs):
        response = None
        try:
            response = super().import_action(request, **kwargs)
            return response
        finally:
            # Only a preview that can be confirmed keeps its file.
            upload = request.FILES.get("import_file")
            name = getattr(upload, "tmp_storage_name", None)
            if name and "confirm_form" not in (getattr(response, "context_data", None) or {}):
                previews.PreviewStorage(name=name).remove()

    def process_import(self, request, **kwargs):
        if request.method == "POST" and self.has_import_permission(request):
            form = self.create_confirm_form(request)
            if not form.is_valid():
                for error in form.errors.get("import_file_name", ["This preview cannot be confirmed."]):
                    self.message_user(request, error, messages.ERROR)
                return redirect(f"admin:{self.opts.app_label}_{self.opts.model_name}_import")
            try:
                return super().process_import(request, **kwargs)
            finally:
                previews.PreviewStorage(name=form.cleaned_data["import_file_name"]).remove()
        return super().process_import(request, **kwargs)

    def process_result(self, result, request):
        # The confirmed import met problems the preview did not (a record
        # published in between): it wrote nothing, and says why.
        if result.has_errors() or result.has_validation_errors():
            for problem in describe(request.POST.get("original_file_name", "the file"), result):
                self.message_user(request, problem, messages.ERROR)
            self.message_user(request, "Nothing was imported.", messages.ERROR)
            return redirect(f"admin:{self.opts.app_label}_{self.opts.model_name}_import")
        return super().process_result(result, request)


class ReviewedForm(forms.ModelForm):
    """Refuses, with the reason, a change the user may not make (a part moved onto a published record …)."""

    user = None  # set by FilesAdmin.get_form

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.stored = copy.copy(self.instance) if self.instance.pk is not None else None

    def _post_clean(self):
        super()._post_clean()
        problem = refusal(self.user, self.stored, self.instance) if self.user is not None else None
        if problem:
            self.add_error(None, problem)


def obj_label(obj):
    return f"{obj._meta.verbose_name.capitalize()}: {obj}"


class ReviewedAdmin(FilesAdmin):
    """Drafts for editors, publishing for reviewers, and lists that stay fast on large tables."""

    actions = ["publish", "unpublish"]
    paginator = EstimatedCountPaginator
    show_full_result_count = False
    list_per_page = 50
    save_on_top = True

    def has_publish_permission(self, request):
        return can_publish(request.user, self.model)

    def get_readonly_fields(self, request, obj=None):
        readonly = tuple(super().get_readonly_fields(request, obj))
        if not self.has_publish_permission(request):
            readonly += ("status",)
        return readonly

    @admin.action(description="Publish selected %(verbose_name_plural)s", permissions=["publish"])
    def publish(self, request, queryset):
        published = 0
        for record in queryset.filter(status=Status.DRAFT):
            problem = record.publication_problem()
            if problem:
                self.message_user(request, f"Not published: {record}. {problem}", messages.ERROR)
                continue
            record.status = Status.PUBLISHED
            record._change_reason = "Published"
            record.save()
            published += 1
        if published:
            self.message_user(request, f"Published {published} {self._plural(published)}.", messages.SUCCESS)

    @admin.action(description="Unpublish selected %(verbose_name_plural)s", permissions=["publish"])
    def unpublish(self, request, queryset):
        unpublished = 0
        for record in queryset.filter(status=Status.PUBLISHED):
            record.status = Status.DRAFT
            record._change_reason = "Unpublished"
            record.save()
            unpublished += 1
        self.message_user(request, f"Unpublished {unpublished} {self._plural(unpublished)}.", messages.SUCCESS)

    def _plural(self, count):
        return self.model._meta.verbose_name if count == 1 else self.model._meta.verbose_name_plural


# Inlines ---------------------------------------------------------------------


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
        if not kept:
            raise ValidationError(fact.missing_citation(), code="citation_required")


class CitationInline(ReviewedInline):
    model = Citation
    formset = CitationFormSet
    fields = ["source", "excerpt"]
    autocomplete_fields = ["source"]
    extra = 1


class OtherNameInline(ReviewedInline):
    model = OtherName
    fields = ["name", "language", "note"]
    extra = 1


class IdentifierInline(ReviewedInline):
    model = Identifier
    fields = ["scheme", "value"]
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


# Records ---------------------------------------------------------------------


@admin.register(Person)
class PersonAdmin(ReviewedAdmin):
    resource_classes = [resources.PersonResource]
    list_display = ["name", "slug", "birth_date", "status", "updated"]
    list_filter = ["status"]
    search_fields = ["name", "slug", "other_names__name"]
    prepopulated_fields = {"slug": ["name"]}
    fields = ["name", "slug", "summary", "birth_date", "death_date", "status"]
    inlines = [OtherNameInline, IdentifierInline, PersonMembershipInline]


@admin.register(Organization)
class OrganizationAdmin(ReviewedAdmin):
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
    inlines = [OtherNameInline, IdentifierInline, MemberInline, OwnMembershipInline, SubOrganizationInline]


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
    autocomplete_fields = ["member_person", "member_organization", "organization"]
    fieldsets = [
        (
            None,
            {
                "fields": ["member_person", "member_organization", "organization", "role", "kind", "status"],
                "description": "A membership is published only with at least one citation (below).",
            },
        ),
        (
            "Start",
            {"fields": ["start_date", "start_date_bound", "start_date_wording", "start_date_relative_to"]},
        ),
        ("End", {"fields": ["end_date", "end_date_bound", "end_date_wording", "end_date_relative_to"]}),
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
                "description": "An event is published only with at least one citation (below).",
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
        ("Source", {"fields": ["source", "source_excerpt"]}),
        ("Subjects", {"fields": ["topics"]}),
    ]
    inlines = [PersonMentionInline, OrganizationMentionInline, CitationInline]

    @admin.display(description="statement", ordering="text")
    def excerpt(self, statement):
        return statement.text if len(statement.text) <= 90 else statement.text[:89] + "…"

    @admin.display(description="speaker")
    def speaker(self, statement):
        return statement.speaker


@admin.register(Source)
class SourceAdmin(ReviewedAdmin):
    resource_classes = [resources.SourceResource]
    list_display = ["title", "publisher", "author", "published_at", "language", "status"]
    list_select_related = ["publisher", "author"]
    list_filter = ["status", "language", ("publisher", admin.RelatedOnlyFieldListFilter)]
    search_fields = ["title", "slug", "url"]
    date_hierarchy = "published_at"
    # A URL typed without a scheme is https (Django 6's default, adopted now).
    formfield_overrides = {models.URLField: {"assume_scheme": "https"}}
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
        "statement__speaker_person",
        "statement__speaker_organization",
        "membership__member_person",
        "membership__member_organization",
        "membership__organization",
    ]
    search_fields = ["excerpt", "source__title"]
    autocomplete_fields = ["source", "membership", "event", "statement"]
