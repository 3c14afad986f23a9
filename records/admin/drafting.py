"""“Draft records from an article”: paste a report, review what it supports, create the ticked records as drafts.

Three steps on one admin page of the sources: the article's text and details;
the proposals (nothing written yet), each ticked by default; the drafts
written by records/drafting/writing.py, then the new source's page.

The text travels back with the review page as a plain hidden field and is
read again on confirmation. Reading is deterministic, so the editor confirms
exactly the proposals they reviewed; and a signature would guard nothing,
since whoever may confirm may also submit any text in the first step. Should
the records change in between so that a ticked proposal no longer exists,
the review page is shown again instead of writing something not reviewed.
"""

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import path

from ..drafting import published_at, reading
from ..drafting.reviewing import apply_edits, display_names, field, shown
from ..drafting.writing import SpeakerUnknown, bound, recorded_source, write
from ..models import DateBound, Source, Statement
from ..web_addresses import WebAddressFormField


class ArticleForm(forms.Form):
    # A long feature is some 30,000 characters; the limit keeps one request's reading to a second or two.
    MAX_LENGTH = 100_000

    text = forms.CharField(
        label="Article text",
        max_length=MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 20, "cols": 100}),
        help_text=f"One report, up to {MAX_LENGTH:,} characters.",
    )
    url = WebAddressFormField(label="URL", assume_scheme="https", max_length=1000)
    publisher = forms.CharField(
        max_length=300, help_text="The publisher's slug if it is recorded (azernews), or its name (AzerNEWS)."
    )
    published = forms.CharField(
        label="Published",
        max_length=40,
        help_text="Date and time with the UTC offset the article states: 2026-03-12 17:15+04:00.",
    )
    author = forms.CharField(
        max_length=200, required=False, help_text="Leave empty to take it from a “By …” line of the text."
    )

    def clean_text(self):
        """The text with its line breaks as \\n, however the browser sent them: the same text reads the same."""
        return self.cleaned_data["text"].replace("\r\n", "\n").replace("\r", "\n")

    def clean_published(self):
        """The time as ISO 8601 with its offset: 2026-03-12T17:15:00+04:00."""
        try:
            return published_at(self.cleaned_data["published"]).isoformat()
        except ValueError as problem:
            raise forms.ValidationError(str(problem)) from None

    def read(self):
        data = self.cleaned_data
        return reading.read(
            data["text"],
            url=data["url"],
            publisher=data["publisher"],
            published=data["published"],
            author=data["author"] or None,
        )


EDITABLE = ("text", "kind", "speaker", "role", "date", "event")  # a statement's fields on the review page


class DraftingAdmin:
    """Mixed into the sources' admin: the page, its URL, and the button on the change list."""

    change_list_template = "admin/records/source/change_list.html"

    def get_urls(self):
        view = self.admin_site.admin_view(self.draft_view)
        return [path("draft/", view, name="records_source_draft"), *super().get_urls()]

    def has_draft_permission(self, request):
        """Adding drafts (records/roles.py): sources and the statements that cite them."""
        user = request.user
        return all(user.has_perm(f"records.add_{model._meta.model_name}") for model in (Source, Statement))

    def changelist_view(self, request, extra_context=None):
        extra_context = {**(extra_context or {}), "may_draft": self.has_draft_permission(request)}
        return super().changelist_view(request, extra_context)

    def draft_view(self, request):
        if not self.has_draft_permission(request):
            raise PermissionDenied
        form = ArticleForm(request.POST or None)
        context = {
            **self.admin_site.each_context(request),
            "title": "Draft records from an article",
            "opts": self.opts,
            "form": form,
        }
        if request.method != "POST" or not form.is_valid():
            return TemplateResponse(request, "admin/records/draft_article.html", context)
        article = form.read()
        context |= {"article": article, "proposals": article.proposals}
        if "confirm" not in request.POST:
            ticked = [p.key for p in article.proposals if p.confidence == "high" and not p.speaker_unknown]
            return self.review(request, context, ticked)
        ticked = request.POST.getlist("keys")
        missing = set(ticked) - {proposal.key for proposal in article.proposals}
        problems = [] if missing else apply_edits(article, ticked, request.POST)
        for problem in problems:
            self.message_user(request, problem, messages.ERROR)
        if problems:
            return self.review(request, context, ticked)
        if missing:
            self.message_user(
                request,
                "The proposals changed since you reviewed them (records were added meanwhile): review them again.",
                messages.WARNING,
            )
            return self.review(request, context, ticked)
        if not ticked:
            self.message_user(request, "Nothing was ticked, so nothing was created.", messages.WARNING)
            return self.review(request, context, ticked)
        try:
            counts = write(article, keys=ticked, user=request.user)
        except (PermissionDenied, SpeakerUnknown) as refusal:
            self.message_user(request, f"Nothing was created: {refusal}", messages.ERROR)
            return self.review(request, context, ticked)
        self.message_user(request, created_message(counts), messages.SUCCESS)
        source = recorded_source(article.url)
        return redirect("admin:records_source_change", source.pk)

    def review(self, request, context, ticked):
        """The review page: every proposal with its sentence, the reader's confidence and why, named records
        by their names, and the fields of a statement to correct before it is created."""
        article = context["article"]
        names = display_names(article)
        bounds = dict(DateBound.choices)
        rows = [
            {
                "proposal": proposal,
                "ticked": proposal.key in ticked,
                "bound": bounds.get(bound(proposal.date_bound), ""),
                "speaker": shown(proposal.speaker, names),
                "event": shown(proposal.event, names),
                "member": shown(proposal.member, names),
                "organization": shown(proposal.organization, names),
                "mentions": [shown(slug, names) for slug in proposal.mentions],
                # What the row would create besides itself; a statement's new event is marked at the event.
                "new": [name for name in proposal.new if name != proposal.event],
                "fields": {name: field(name, proposal) for name in EDITABLE},
            }
            for proposal in article.proposals
        ]
        # The people and organizations the report names, known or new: what a speaker field offers as one types.
        speakers = sorted(
            {row["speaker"] for row in rows if row["speaker"]}
            | {*(name for row in rows for name in row["mentions"])}
            | {p.text for p in article.proposals if p.kind in ("person", "organization")}
        )
        context = {**context, "rows": rows, "speakers": speakers, "max_length": ArticleForm.MAX_LENGTH}
        return TemplateResponse(request, "admin/records/draft_review.html", context)


NOUNS = [
    ("source", "sources"),
    ("person", "people"),
    ("organization", "organizations"),
    ("event", "events"),
    ("membership", "memberships"),
    ("statement", "statements"),
    ("citation", "citations"),
    ("mention", "mentions"),
]


def created_message(counts):
    """'Created 8 drafts from the article: 1 source, …, 3 citations, 2 mentions' (citations and mentions as parts)."""
    parts = [f"{counts[one]} {one if counts[one] == 1 else many}" for one, many in NOUNS if counts.get(one)]
    drafts = sum(count for noun, count in counts.items() if noun not in ("citation", "mention"))
    return f"Created {drafts} draft{'s' if drafts != 1 else ''} from the article: {', '.join(parts)}."
