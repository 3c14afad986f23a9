"""Merging two people, or two organizations, from the change list (records/merging.py does the work)."""

from django import forms
from django.contrib import admin, messages
from django.shortcuts import redirect
from django.template.response import TemplateResponse

from .. import merging
from .base import ReviewedAdmin


class MergeForm(forms.Form):
    """Which of two records stays, and which value stands where they disagree.

    Choices name records, not sides, so that they mean the same whichever
    record is kept.
    """

    keep = forms.TypedChoiceField(coerce=int, widget=forms.RadioSelect, label="Keep")

    def __init__(self, first, second, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.records = {first.pk: first, second.pk: second}
        self.fields["keep"].choices = [(record.pk, f"{record} ({record.slug})") for record in (first, second)]
        self.fields["keep"].initial = first.pk
        for conflict in merging.conflicts(first, second):
            self.fields[f"conflict:{conflict.key}"] = forms.TypedChoiceField(
                coerce=int,
                label=conflict.label,
                widget=forms.RadioSelect,
                # Each value with the record it comes from: the choice means the same whichever is kept.
                choices=[
                    (first.pk, f"{conflict.kept} (of {first.slug})"),
                    (second.pk, f"{conflict.other} (of {second.slug})"),
                ],
            )

    def pair(self):
        """(kept, other) as chosen, or as first offered."""
        chosen = str(self.data.get("keep") if self.is_bound else self.initial.get("keep"))
        keep = int(chosen) if chosen.isdigit() and int(chosen) in self.records else self.fields["keep"].initial
        other = next(pk for pk in self.records if pk != keep)
        return self.records[keep], self.records[other]

    def choices(self):
        kept, _ = self.pair()
        return {
            name.split(":", 1)[1]: "kept" if value == kept.pk else "other"
            for name, value in self.cleaned_data.items()
            if name.startswith("conflict:")
        }


class MergeableAdmin(ReviewedAdmin):
    """Two records of one person (or organization) become one, from the change list."""

    actions = [*ReviewedAdmin.actions, "merge"]

    def has_merge_permission(self, request):
        return self.has_publish_permission(request) and self.has_delete_permission(request)

    @admin.action(description="Merge the two selected %(verbose_name_plural)s", permissions=["merge"])
    def merge(self, request, queryset):
        records = list(queryset.order_by("pk")[:3])
        if len(records) != 2:
            self.message_user(request, f"Select exactly two {self.opts.verbose_name_plural} to merge.", messages.ERROR)
            return None
        # Only a confirmation is checked; a first look or a change of mind is shown afresh.
        if "confirm" in request.POST:
            form = MergeForm(*records, data=request.POST)
        else:
            form = MergeForm(*records, initial={"keep": request.POST["keep"]} if "keep" in request.POST else {})
        kept, other = form.pair()
        if form.is_bound and form.is_valid():
            try:
                merging.merge(kept, other, form.choices(), user=request.user)
            except ValueError as error:
                self.message_user(request, str(error), messages.ERROR)
            else:
                self.message_user(request, f"Merged “{other}” into “{kept}”.", messages.SUCCESS)
                return redirect(f"admin:{self.opts.app_label}_{self.opts.model_name}_change", kept.pk)
        context = {
            **self.admin_site.each_context(request),
            "title": f"Merge two {self.opts.verbose_name_plural}",
            "opts": self.opts,
            "form": form,
            "kept": kept,
            "other": other,
            "moves": merging.moves(other),
            "blockers": merging.blockers(kept, other),
            "conflict_fields": [form[name] for name in form.fields if name.startswith("conflict:")],
            "selected": [record.pk for record in records],
        }
        return TemplateResponse(request, "admin/records/merge.html", context)
