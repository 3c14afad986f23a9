"""Public, read-only pages. Only published records are shown, and only published records are linked.

Each page runs a fixed, small number of queries whatever the number of
related records (tests/test_public_queries.py pins them).
"""

import functools

from django.conf import settings
from django.db.models import Count, Q, Value
from django.http import FileResponse, Http404, HttpResponsePermanentRedirect, StreamingHttpResponse
from django.shortcuts import render
from django.templatetags.static import static
from django.utils import timezone
from django.views.decorators.http import require_safe

from . import caching, downloads, jsonld, search, timeline
from .batch import exporting
from .batch.schema import TABLES
from .models import (
    Citation,
    Event,
    EventParticipant,
    Membership,
    Organization,
    Person,
    Post,
    Source,
    Statement,
    Topic,
)
from .pagination import PublicPaginator, TooDeep, estimated_count, large_tables
from .partial_dates import years_spanned
from .popolo import exporting as popolo_exporting

PAGE_SIZE = 25
ON_DETAIL_PAGES = 30  # statements shown on a detail page; all of them are a link away, on the list
POSTS_SHOWN = 500  # a legislature's seats; each post's page lists its holders


def public(view):
    """Read-only and cacheable: GET and HEAD only, no cookies; ETags and the page cache (records/caching.py)."""

    @functools.wraps(view)
    def answer(request, *args, **kwargs):
        try:
            return view(request, *args, **kwargs)
        except TooDeep:
            return render(request, "records/too_deep.html", {"max_page": PublicPaginator.max_page}, status=404)

    return require_safe(caching.cached_page(answer))


def published_or_404(queryset, **lookup):
    record = queryset.filter(**lookup).first()
    if record is None:
        raise Http404("No such published record.")
    return record


def follows_merges(model):
    """A slug merged away answers with a permanent redirect to the record it was merged into (records/merging.py)."""

    def decorate(view):
        @functools.wraps(view)
        def wrapper(request, slug):
            try:
                return view(request, slug)
            except Http404:
                kept = model.objects.published().filter(former_slugs__slug=slug).first()
                if kept is None:
                    raise
                return HttpResponsePermanentRedirect(kept.get_absolute_url())

        return wrapper

    return decorate


def with_children(model, slug):
    """A published record and its published children (sub-organizations, sessions), in one query."""
    family = list(model.objects.published().filter(Q(slug=slug) | Q(parent__slug=slug)).select_related("parent"))
    record = next((member for member in family if member.slug == slug), None)
    if record is None:
        raise Http404("No such published record.")
    return record, [member for member in family if member is not record]


def paginate(request, queryset, count=None):
    """A page of a public list: counted by estimate on large tables (or `count`), no deeper than MAX_PAGE (TooDeep)."""
    return PublicPaginator(queryset, PAGE_SIZE, count=count).get_page(request.GET.get("page"))


def csv_download(request, queryset, name):
    """The rows of a list exactly as filtered, streamed as CSV in the import format.

    Up to PUBLIC_CSV_ROW_LIMIT rows, so that a download always completes: a
    longer list is refused before a byte is sent, pointing to /data/. Counting
    stops one row past the limit, however long the list.
    """
    limit = settings.PUBLIC_CSV_ROW_LIMIT
    if queryset.order_by()[: limit + 1].count() > limit:
        return render(
            request, "records/download_too_large.html", {"limit": limit, "list_url": request.path}, status=400
        )
    response = StreamingHttpResponse(
        exporting.csv_lines(TABLES[name], queryset, public=True), content_type="text/csv; charset=utf-8"
    )
    response["Content-Disposition"] = f'attachment; filename="{name}.csv"'
    return response


def wants_csv(request):
    return request.GET.get("format") == "csv"


# Home, search and downloads ------------------------------------------------------


@public
def favicon(request):
    """Browsers ask for /favicon.ico whatever the page names: send them to the icon the pages name."""
    return HttpResponsePermanentRedirect(static("records/favicon.svg"))


def published_counts():
    """How many published records of each kind: {name: (count, approximate)}.

    Small tables are counted exactly, all in one query; a table of tens of
    thousands of rows (by PostgreSQL's statistics) gets the planner's
    estimate instead (pagination.estimated_count), shown as "about".
    """
    models = {"people": Person, "organizations": Organization, "events": Event, "statements": Statement}
    models["sources"] = Source
    large = large_tables(list(models.values()))
    counts = {name: estimated_count(model.objects.published()) for name, model in models.items() if model in large}
    exact = [
        model.objects.published().annotate(counted=Value(name)).values("counted").annotate(n=Count("pk")).order_by()
        for name, model in models.items()
        if name not in counts
    ]
    if exact:
        first, *rest = exact
        counts |= {row["counted"]: (row["n"], False) for row in first.union(*rest, all=True)}
    return {name: counts.get(name, (0, False)) for name in models}


@public
def home(request):
    return render(
        request,
        "records/home.html",
        {
            "counts": published_counts(),
            "statements": Statement.objects.published().for_listing()[:6],
            "events": Event.objects.published().select_related("parent")[:6],
        },
    )


@public
def data(request):
    """The full data set's files, as the last `manage.py build_downloads` left them."""
    return render(request, "records/data.html", {"files": downloads.listed()})


@public
def popolo(request):
    """Every published record as one Popolo JSON document, streamed as it is read (docs/popolo.md)."""
    return StreamingHttpResponse(popolo_exporting.document(), content_type="application/json; charset=utf-8")


@require_safe
def data_file(request, name):
    """One file of the last build: only a name index.json lists."""
    entry = next((entry for entry in downloads.listed() if entry["name"] == name), None)
    if entry is None:
        raise Http404("No such download.")
    return FileResponse(open(downloads.folder() / entry["name"], "rb"), as_attachment=True, filename=entry["name"])


@public
def search_page(request):
    query = request.GET.get("q", "").strip()[:200]
    results = search.search(query) if query else None
    # The matches ranked are at most search.CANDIDATES, and already counted.
    page = paginate(request, results.statements, count=results.matched) if results else None
    found = results and (any(records for _, records in results.named) or page.object_list)
    context = {"query": query, "results": results, "page": page, "found": found, "candidates": search.CANDIDATES}
    return render(request, "records/search.html", context)


# People -------------------------------------------------------------------------


@public
def person_list(request):
    people = Person.objects.published()
    if wants_csv(request):
        return csv_download(request, people, "people")
    return render(request, "records/person_list.html", {"page": paginate(request, people)})


@public
@follows_merges(Person)
def person_detail(request, slug):
    person = published_or_404(Person.objects.published(), slug=slug)
    memberships = list(Membership.objects.published().filter(member_person=person).with_sources())
    other_names = list(person.other_names.all())
    identifiers = list(person.identifiers.all())
    links = list(person.links.all())
    return render(
        request,
        "records/person_detail.html",
        {
            "person": person,
            "other_names": other_names,
            "identifiers": identifiers,
            "links": links,
            "memberships": memberships,
            "timeline": timeline.build(memberships, today=timezone.localdate(), lane_of=timeline.by_post),
            "statements": person.statements.published().for_listing()[:ON_DETAIL_PAGES],
            "participations": EventParticipant.objects.published().filter(person=person).with_event_sources(),
            "json_ld": jsonld.person(request, person, other_names, identifiers, memberships),
        },
    )


# Organizations --------------------------------------------------------------------


@public
def organization_list(request):
    organizations = Organization.objects.published().select_related("parent")
    classification = request.GET.get("classification")
    if classification:
        organizations = organizations.filter(classification=classification)
    if wants_csv(request):
        return csv_download(request, organizations, "organizations")
    return render(
        request,
        "records/organization_list.html",
        {
            "page": paginate(request, organizations),
            "classifications": Organization.Classification.choices,
            "classification": classification,
        },
    )


@public
@follows_merges(Organization)
def organization_detail(request, slug):
    organization, children = with_children(Organization, slug)
    memberships = list(
        Membership.objects.published()
        .filter(Q(organization=organization) | Q(member_organization=organization))
        .with_sources()
    )
    members = [m for m in memberships if m.organization_id == organization.pk]
    posts = list(organization.posts.published().with_organization().order_by("label", "pk")[:POSTS_SHOWN])
    member_of = [m for m in memberships if m.member_organization_id == organization.pk]
    statements = list(Statement.objects.published().about_organization(organization, ON_DETAIL_PAGES).for_listing())
    other_names = list(organization.other_names.all())
    identifiers = list(organization.identifiers.all())
    links = list(organization.links.all())
    today = timezone.localdate()
    return render(
        request,
        "records/organization_detail.html",
        {
            "organization": organization,
            "children": children,
            "other_names": other_names,
            "identifiers": identifiers,
            "links": links,
            "current_members": [m for m in members if m.is_current],
            "past_members": [m for m in members if not m.is_current],
            "member_of": member_of,
            "posts": posts,
            "members_timeline": timeline.build(
                members, today=today, lane_of=timeline.by_role, title="Members over time"
            ),
            "member_of_timeline": timeline.build(
                member_of, today=today, lane_of=timeline.by_body, title="Memberships over time"
            ),
            "statements_by": [s for s in statements if not s.mentions_it],
            "statements_mentioning": [s for s in statements if s.mentions_it],
            "json_ld": jsonld.organization(request, organization, other_names, identifiers, members, children),
        },
    )


# Posts ----------------------------------------------------------------------------


@public
def post_detail(request, slug):
    post = published_or_404(Post.objects.published().with_organization(), slug=slug)
    holders = list(Membership.objects.published().filter(post=post).with_sources().order_by("start_date", "pk"))
    return render(
        request,
        "records/post_detail.html",
        {
            "post": post,
            "current_holders": [m for m in holders if m.is_current],
            "past_holders": [m for m in holders if not m.is_current][::-1],
            "timeline": timeline.build(
                holders, today=timezone.localdate(), lane_of=timeline.by_holder, title="Holders in succession"
            ),
            "citations": Citation.objects.published().filter(post=post).select_related("source"),
            "json_ld": jsonld.post(request, post),
        },
    )


# Events ---------------------------------------------------------------------------


@public
def event_list(request):
    events = Event.objects.published().select_related("parent")
    year = request.GET.get("year")
    if year:
        events = events.filter(start_date__startswith=year)
    if wants_csv(request):
        return csv_download(request, events, "events")
    return render(
        request,
        "records/event_list.html",
        {
            "page": paginate(request, events),
            "years": years_spanned(Event.objects.published(), "start_date"),
            "year": year,
        },
    )


@public
def event_detail(request, slug):
    event, children = with_children(Event, slug)
    participants = list(
        EventParticipant.objects.published().filter(event=event).select_related("person", "organization")
    )
    return render(
        request,
        "records/event_detail.html",
        {
            "event": event,
            "children": children,
            "participants": participants,
            "statements": Statement.objects.published().filter(event=event).for_listing()[:ON_DETAIL_PAGES],
            "citations": Citation.objects.published().filter(event=event).select_related("source"),
            "json_ld": jsonld.event(request, event, children, participants),
        },
    )


# Statements -----------------------------------------------------------------------

STATEMENT_FILTERS = ("speaker", "organization", "event", "topic", "kind", "year")


def filtered_statements(params):
    statements = Statement.objects.published()
    if params.get("speaker"):
        statements = statements.spoken_by(params["speaker"])
    if params.get("organization"):
        statements = statements.mentioning(params["organization"])
    if params.get("event"):
        statements = statements.at_event(params["event"])
    if params.get("topic"):
        statements = statements.on_topic(params["topic"])
    if params.get("kind") in Statement.Kind.values:
        statements = statements.filter(kind=params["kind"])
    if params.get("year", "").isdigit():
        statements = statements.in_year(params["year"])
    return statements


@public
def statement_list(request):
    statements = filtered_statements(request.GET)
    if wants_csv(request):
        return csv_download(request, statements, "statements")
    return render(
        request,
        "records/statement_list.html",
        {
            "page": paginate(request, statements.for_listing()),
            "topics": Topic.objects.all(),
            "years": years_spanned(Statement.objects.published(), "date"),
            "kinds": Statement.Kind.choices,
            "active": {key: request.GET.get(key, "") for key in STATEMENT_FILTERS},
        },
    )


@public
def statement_detail(request, slug):
    statement = published_or_404(
        Statement.objects.published().select_related(
            "speaker_person", "speaker_organization", "event", "source__publisher", "source__author"
        ),
        slug=slug,
    )
    mentioned = [
        *statement.mentioned_people.published(),
        *statement.mentioned_organizations.published(),
    ]
    return render(
        request,
        "records/statement_detail.html",
        {
            "statement": statement,
            "topics": statement.topics.all(),
            "mentioned": mentioned,
            "citations": statement.citations.published().select_related("source"),
            "json_ld": jsonld.statement(request, statement, mentioned),
        },
    )


# Sources --------------------------------------------------------------------------


@public
def source_list(request):
    sources = Source.objects.published().select_related("publisher", "author")
    if wants_csv(request):
        return csv_download(request, sources, "sources")
    return render(request, "records/source_list.html", {"page": paginate(request, sources)})


@public
def source_detail(request, slug):
    source = published_or_404(Source.objects.published().select_related("publisher", "author"), slug=slug)
    return render(
        request,
        "records/source_detail.html",
        {
            "source": source,
            "statements": Statement.objects.published().filter(source=source).for_listing()[:ON_DETAIL_PAGES],
            "citations": Citation.objects.published().of_source(source),
            "json_ld": jsonld.source(request, source),
        },
    )
