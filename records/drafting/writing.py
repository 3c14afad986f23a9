"""Writing the proposals an editor ticked: every record a draft, citing the article's source.

`write(article, keys, user)` creates, in one transaction, the source and the
records of the chosen proposals. Names in a proposal are slugs of known
records or, when listed in its `new`, names of records to create. A speaker,
a member or an organization joined that is new is created with the record
that needs it; a statement's event or an event's parent is linked only when
it is known or created in the same write (an unticked event is left out, not
made up). Every record's history says which article it was drafted from.
Whoever may not add drafts (records/roles.py) is refused before anything is
written.
"""

from collections import Counter

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import Q
from django.utils.text import slugify

from records.drafting import published_at
from records.models import (
    Citation,
    DateBound,
    Event,
    Membership,
    Organization,
    OrganizationMention,
    Person,
    PersonMention,
    Source,
    Statement,
    Status,
)
from records.roles import refusal
from records.slugs import numbered, slug_base
from records.web_addresses import normalized

STATEMENT_KINDS = ("quote", "paraphrase")
# People and organizations first, then events (parents before panels), memberships and statements.
ORDER = {"person": 0, "organization": 1, "event": 2, "membership": 3, "quote": 4, "paraphrase": 4}


class SpeakerUnknown(ValueError):
    """A statement was chosen whose speaker is not known: nothing is written until the editor names one."""


def write(article, keys=None, user=None):
    """Create the proposals of `article` whose keys are in `keys` (all when None); counts created, per kind.

    A statement without a speaker is never written: SpeakerUnknown names them, and nothing is written.
    """
    chosen = [p for p in article.proposals if keys is None or p.key in set(keys)]
    unknown = [p for p in chosen if p.speaker_unknown]
    if unknown:
        listed = "; ".join(f"“{' '.join(p.text.split()[:10])}…”" for p in unknown)
        raise SpeakerUnknown(f"{len(unknown)} statement(s) have no speaker; choose one for each first: {listed}")
    with transaction.atomic():
        return Writer(article, user).write(chosen)


def recorded_source(url):
    """The source already recorded for the report at `url`, however the address was decorated (tracking
    parameters, a fragment, the case of the host): their normalized addresses are the same."""
    if not url:
        return None
    wanted = normalized(url)
    base = wanted.split("?", 1)[0]
    candidates = Source.objects.filter(Q(url=url) | Q(url__istartswith=base))
    return next((source for source in candidates if normalized(source.url) == wanted), None)


def bound(value):
    """A DateBound value from either its value ('on_or_before') or its label ('on or before')."""
    labels = {str(label): value for value, label in DateBound.choices}
    return labels.get(value, value) if value else ""


def source_time(article):
    """(published_at, utc_offset_minutes) of the article's source, from its publication time with its offset."""
    if not article.published:
        return None, None
    moment = published_at(article.published)
    return moment, int(moment.utcoffset().total_seconds() // 60)


class Writer:
    def __init__(self, article, user):
        self.article = article
        self.user = user
        self.reason = f"Drafted from {article.url or article.title}"
        self.counts = Counter()
        self.made = {}  # (model, name) -> record created here
        self.taken = {}  # model -> slugs given out here
        self.by_text = {(p.kind, p.text): p for p in article.proposals}
        self._source = None

    # Saving ------------------------------------------------------------------------

    def save(self, record, count_as=None):
        """Save a new record under the review rule, with the article as its history reason."""
        if self.user is not None:
            problem = refusal(self.user, None, record)
            if problem:
                raise PermissionDenied(problem)
        record._change_reason = self.reason
        record.save()
        self.counts[count_as or record._meta.model_name] += 1
        return record

    def slug(self, model, *parts):
        taken = self.taken.setdefault(model, set())
        base = slug_base("-".join(part for part in parts if part), model._meta.model_name)
        slug = numbered(base, lambda slug: slug in taken or model.objects.filter(slug=slug).exists())
        taken.add(slug)
        return slug

    def cite(self, sentence, **fact):
        self.save(Citation(source=self.source, excerpt=sentence, **fact))

    # Finding or creating what a proposal names -------------------------------------

    def find(self, model, value, proposal):
        """The record a proposal names: a known slug, or a record created here under that name."""
        if not value:
            return None
        if (model, value) in self.made:
            return self.made[(model, value)]
        if value not in proposal.new:
            known = model.objects.filter(slug=value).first()
            if known is not None:
                return known
        return None

    def actor(self, value, proposal, model=None):
        """A person or organization a proposal needs (a speaker, a member): found, or created as a draft."""
        models = (model,) if model else (Person, Organization)
        for candidate in models:
            found = self.find(candidate, value, proposal)
            if found is not None:
                return found
        if not value:
            return None
        model = model or self.new_actor_model(value)
        if model is Person:
            return self.person(value)
        return self.organization(value, self.new_classification(value))

    def new_actor_model(self, name):
        """Whether a new name the article gives is a person or an organization, as its own proposal says."""
        return Organization if ("organization", name) in self.by_text else Person

    def new_classification(self, name):
        proposal = self.by_text.get(("organization", name))
        return proposal.classification if proposal and proposal.classification else Organization.Classification.OTHER

    def person(self, name):
        if (Person, name) not in self.made:
            person = Person(slug=self.slug(Person, name), name=name, status=Status.DRAFT)
            self.made[(Person, name)] = self.save(person)
        return self.made[(Person, name)]

    def organization(self, name, classification):
        if (Organization, name) not in self.made:
            organization = Organization(
                slug=self.slug(Organization, name), name=name, classification=classification, status=Status.DRAFT
            )
            self.made[(Organization, name)] = self.save(organization)
        return self.made[(Organization, name)]

    # The source -------------------------------------------------------------------

    @property
    def source(self):
        """The article's source: the one already recorded at its URL, or a new draft."""
        if self._source is None:
            article = self.article
            known = recorded_source(article.url)
            self._source = known or self.new_source()
        return self._source

    def new_source(self):
        article = self.article
        moment, offset = source_time(article)
        publisher = None
        if article.publisher:
            publisher = Organization.objects.filter(slug=article.publisher).first() or self.organization(
                article.publisher, Organization.Classification.MEDIA
            )
        author = self.author(article.author) if article.author else None
        day = f"{moment:%Y-%m-%d}" if moment else ""
        title, note = article.title, ""
        if not title:
            # The bracketed title of the sources' convention: devised by the editors, to be replaced by the headline.
            when = f"{moment.day} {moment:%B %Y}" if moment else ""
            title = "[" + ", ".join(part for part in (str(publisher or ""), when) if part) + "]"
            note = (
                "The title in brackets was devised when drafting from the article's text: replace it by the headline."
            )
        source = Source(
            slug=self.slug(Source, publisher.slug if publisher else "", day, article.title),
            title=title,
            note=note,
            url=normalized(article.url) if article.url else "",
            publisher=publisher,
            author=author,
            published_at=moment,
            utc_offset_minutes=offset,
            language="en",
            status=Status.DRAFT,
        )
        return self.save(source)

    def author(self, name):
        """The byline's person: by slug, by name or other name, else a new draft."""
        found = (
            Person.objects.filter(Q(slug=name) | Q(slug=slugify(name)) | Q(name__iexact=name)).first()
            or Person.objects.filter(other_names__name__iexact=name).first()
        )
        return found or self.person(name)

    # The proposals -----------------------------------------------------------------

    def write(self, proposals):
        events = [p for p in proposals if p.kind == "event"]
        ordered = sorted((p for p in proposals if p.kind != "event"), key=lambda p: ORDER.get(p.kind, len(ORDER)))
        if proposals:
            self.source  # noqa: B018  (the source is written first, even when no proposal cites it)
        for proposal in ordered:
            if ORDER.get(proposal.kind) == ORDER["membership"]:
                self.write_events(events)
                events = []
            getattr(self, f"write_{proposal.kind}")(proposal)
        self.write_events(events)
        return dict(self.counts)

    def write_person(self, proposal):
        self.person(proposal.text)

    def write_organization(self, proposal):
        self.organization(proposal.text, proposal.classification or Organization.Classification.OTHER)

    def write_events(self, proposals):
        """Events, each after the parent named among them (the forum before its panel)."""
        waiting = list(proposals)
        while waiting:
            ready = [p for p in waiting if not any(p.event == other.text for other in waiting if other is not p)]
            for proposal in ready or waiting[:1]:
                self.write_event(proposal)
                waiting.remove(proposal)

    def write_event(self, proposal):
        event = Event(
            slug=self.slug(Event, proposal.text),
            name=proposal.text,
            classification=proposal.classification or Event.Classification.OTHER,
            parent=self.find(Event, proposal.event, proposal),
            start_date=proposal.date,
            start_date_bound=bound(proposal.date_bound),
            status=Status.DRAFT,
        )
        self.made[(Event, proposal.text)] = self.save(event)
        self.cite(proposal.sentence, event=event)

    def write_membership(self, proposal):
        member = self.actor(proposal.member, proposal)
        membership = Membership(
            member_person=member if isinstance(member, Person) else None,
            member_organization=member if isinstance(member, Organization) else None,
            organization=self.actor(proposal.organization, proposal, Organization),
            role=proposal.role,
            kind=proposal.membership_kind or Membership.Kind.MEMBER,
            start_date=proposal.date,
            start_date_bound=bound(proposal.date_bound),
            start_date_wording=proposal.date_wording,
            start_date_relative_to=proposal.date_relative_to or None,
            status=Status.DRAFT,
        )
        self.save(membership)
        self.cite(proposal.sentence, membership=membership)

    def write_statement(self, proposal):
        speaker = self.actor(proposal.speaker, proposal)
        statement = Statement(
            slug=self.slug(Statement, speaker.slug, proposal.date, " ".join(proposal.text.split()[:8])),
            speaker_person=speaker if isinstance(speaker, Person) else None,
            speaker_organization=speaker if isinstance(speaker, Organization) else None,
            speaker_role=proposal.role,
            event=self.find(Event, proposal.event, proposal),
            date=proposal.date,
            date_bound=bound(proposal.date_bound),
            date_wording=proposal.date_wording,
            date_relative_to=proposal.date_relative_to or None,
            kind=proposal.kind,
            text=proposal.text,
            language="en",
            source=self.source,
            source_excerpt=proposal.sentence,
            status=Status.DRAFT,
        )
        self.save(statement)
        for slug in dict.fromkeys(proposal.mentions):
            person = self.find(Person, slug, proposal)
            if person is not None:
                self.save(PersonMention(statement=statement, person=person), "mention")
                continue
            organization = self.find(Organization, slug, proposal)
            if organization is not None:
                self.save(OrganizationMention(statement=statement, organization=organization), "mention")

    write_quote = write_statement
    write_paraphrase = write_statement
