"""What every admin page of a record shares: the review rule on every route, files in and out, history."""

import copy

from django import forms
from django.conf import settings
from django.contrib import admin, messages
from django.contrib.admin import helpers
from django.contrib.admin.options import IncorrectLookupParameters
from django.contrib.admin.utils import unquote
from django.contrib.admin.views import main
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import models, transaction
from django.http import Http404, HttpResponseBadRequest, StreamingHttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.template.defaultfilters import pluralize
from import_export.admin import ImportExportMixin
from import_export.forms import ImportForm
from import_export.results import RowResult
from simple_history.admin import SimpleHistoryAdmin
from simple_history.utils import get_history_model_for_model

from .. import previews
from ..batch import exporting
from ..formats import CSV, FORMATS, read_error_message
from ..models import Citation, Status
from ..models.sources import fact_left_uncited, facts_left_uncited
from ..pagination import EstimatedCountPaginator
from ..partial_dates import PartialDateField
from ..roles import can_publish, may_change, refusal
from ..transfer import describe


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
    import_template_name = "admin/records/import.html"
    formfield_overrides = {
        PartialDateField: {"widget": forms.TextInput(attrs={"class": "vPartialDateField", "size": 10})},
        # A URL typed without a scheme is https (Django 6's default, adopted now).
        models.URLField: {"assume_scheme": "https"},
    }

    class Media:
        css = {"all": ["records/admin.css"]}

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
        require_id(self.model, unquote(object_id))
        require_id(get_history_model_for_model(self.model), version_id)
        if request.method == "POST":
            history = get_history_model_for_model(self.model)
            version = get_object_or_404(history, **{self.opts.pk.attname: unquote(object_id), "history_id": version_id})
            if self.revert_disabled(request, version.instance):
                raise PermissionDenied
            request.reverting_to = version
        return super().history_form_view(request, object_id, version_id, extra_context)

    # Parameters no page of the admin sends: a 404 or a 400, never a 500 -----

    def get_changelist(self, request, **kwargs):
        return ChangeList

    def history_view(self, request, object_id, extra_context=None):
        require_id(self.model, unquote(object_id))
        return super().history_view(request, object_id, extra_context)

    def response_action(self, request, queryset):
        selected = request.POST.getlist(helpers.ACTION_CHECKBOX_NAME)
        if not all(is_id(self.model, pk) for pk in selected):
            return HttpResponseBadRequest("The records selected for an action are named by their ids.")
        return super().response_action(request, queryset)

    # Why each change was made, for the history pages ----------------------

    def save_model(self, request, obj, form, change):
        version = getattr(request, "reverting_to", None)
        if version is not None:
            obj._change_reason = f"Reverted to the version of {version.history_date:%-d %B %Y, %H:%M} UTC"
        elif not change:
            obj._change_reason = "Added in the admin"
        else:
            obj._change_reason = changes_reason("Changed in the admin", form)
        super().save_model(request, obj, form, change)

    def save_formset(self, request, form, formset, change):
        page = f"on the page of the {form.instance._meta.verbose_name} “{form.instance}”"
        for row in formset.forms:
            if row.instance.pk is None:
                row.instance._change_reason = f"Added {page}"
            elif formset._should_delete_form(row):
                row.instance._change_reason = f"Deleted {page}"
            else:
                row.instance._change_reason = changes_reason(f"Changed {page}", row)
        super().save_formset(request, form, formset, change)

    def delete_model(self, request, obj):
        obj._change_reason = "Deleted in the admin"
        super().delete_model(request, obj)

    def delete_queryset(self, request, queryset):
        # One by one, so that each history row says why.
        with transaction.atomic():
            for obj in queryset:
                obj._change_reason = "Deleted in the admin, with others selected in the list"
                obj.delete()

    # Files ----------------------------------------------------------------

    def _do_file_export(self, file_format, request, queryset, export_form=None):
        """CSV streams as it is read (XLSX and JSON are built whole by django-import-export)."""
        if not isinstance(file_format, CSV):
            return super()._do_file_export(file_format, request, queryset, export_form)
        if not self.has_export_permission(request):
            raise PermissionDenied
        resource_class = self.choose_export_resource_class(export_form, request)
        names = self.get_export_resource_fields_from_form(export_form)
        response = StreamingHttpResponse(
            exporting.csv_lines(resource_class.table, queryset, names), content_type=file_format.get_content_type()
        )
        filename = self.get_export_filename(request, queryset, file_format)
        response["Content-Disposition"] = f'attachment; filename="{filename}"'
        return response

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
        upload = request.FILES.get("import_file")
        try:
            response = super().import_action(request, **kwargs)
            context = response.context_data
            if context.get("result") is not None:
                context["file_name"] = upload.name
                context["problems"] = describe(upload.name, context["result"])
                context["preview"] = preview(context["result"])
            return response
        finally:
            # Only a preview that can be confirmed keeps its file.
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


class ChangeList(main.ChangeList):
    """Django's change list, for which a date past the calendar's end is a wrong parameter too.

    Django refuses a date hierarchy's impossible date (?published_at__month=13)
    as IncorrectLookupParameters, and the list says so; a year too large for a
    date (?published_at__year=99999999999999999999) overflows instead.
    """

    def get_filters(self, request):
        try:
            return super().get_filters(request)
        except OverflowError as error:
            raise IncorrectLookupParameters(error) from error


def is_id(model, value):
    """Whether `value` can be the id of a record of `model`."""
    try:
        model._meta.pk.to_python(value)
    except ValidationError:
        return False
    return True


def require_id(model, value):
    """Http404, as for a record that does not exist, unless `value` can be an id of `model`."""
    if not is_id(model, value):
        raise Http404(f"No {model._meta.verbose_name} has the id {value!r}.")


def preview(result):
    """What confirming an import would do, row by row, for the preview page."""
    rows = [row for row in result.valid_rows() if hasattr(row, "changes")]
    new = [row for row in rows if row.import_type == RowResult.IMPORT_TYPE_NEW]
    changed = [row for row in rows if row.import_type == RowResult.IMPORT_TYPE_UPDATE]
    statuses = {row: dict((column, (old, now)) for column, old, now in row.changes).get("status") for row in rows}
    publishing = [row for row, status in statuses.items() if status and status[1] == Status.PUBLISHED]
    unpublishing = [row for row, status in statuses.items() if status and status[0] == Status.PUBLISHED]
    warnings = []
    if publishing:
        count = len(publishing)
        warnings.append(
            (
                f"Confirming publishes {count} record{pluralize(count)}: the public will see "
                f"{pluralize(count, 'it,them')}.",
                publishing,
            )
        )
    if unpublishing:
        count = len(unpublishing)
        warnings.append(
            (
                f"Confirming unpublishes {count} record{pluralize(count)}: "
                f"{pluralize(count, 'it leaves,they leave')} the public pages.",
                unpublishing,
            )
        )
    return {
        "new": new,
        "changed": changed,
        "unchanged": sum(row.import_type == RowResult.IMPORT_TYPE_SKIP for row in result.valid_rows()),
        "sections": [("New records", new), ("Changed records", changed)],
        "warnings": warnings,
    }


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
        if isinstance(self.instance, Citation) and self.instance.pk is not None:
            # Read again as stored: the copy shares the instance's cache of related records.
            stored = Citation.objects.filter(pk=self.instance.pk).first()
            fact = fact_left_uncited(stored, self.instance)
            if fact is not None:
                self.add_error(
                    None, f"{obj_label(fact)} would be left so: {fact.missing_citation()} Add another first."
                )


def changes_reason(action, form):
    if not form.changed_data:
        return f"{action}, its own fields unchanged"
    return f"{action}: {', '.join(form.changed_data)}"


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
