"""Read a news report into proposals: statements, the actors, events and memberships it states.

`read(text, url=…, publisher=…, published=…, author=None)` is rule-based and
deterministic. It walks the report sentence by sentence, remembering the last
named speaker (whom "he", "she" and "according to him" refer to) and the role
the report first gave them, and proposes:

- a quote for the words between quotation marks at the head of a sentence or
  of six words or more (shorter ones inside a sentence are the reporter's
  scare quotes, and titles after "titled" are names), the parts of a quotation
  split by an attribution joined into one;
- a paraphrase for a sentence that reports speech (records/drafting/speech.py),
  its text the reported content; a following sentence of the same paragraph
  that reports nothing continues the speaker's words (its own paraphrase, or
  part of the previous one when that one is a short lead-in or the sentence
  opens with "However");
- events, memberships and relative dates as records/drafting/facts.py reads them;
- a new person or organization for every speaker, author or publisher
  that is not a known record.

When a source with the URL already exists, what is already recorded from it
is not proposed again.
"""

import datetime
import hashlib
import re

from django.db.models import Q

from records.drafting import Article, Proposal, dates, facts
from records.drafting.names import Gazetteer
from records.drafting.speech import Speaker, reported
from records.drafting.text import quote_spans, split_header, split_sentences
from records.models import Membership, Source, Statement

ON_OR_BEFORE = "on_or_before"
TITLE_BEFORE = re.compile(r"\b(?:titled|entitled|called|named|dubbed|themed)\s*$")
CONTRAST = re.compile(r"^(?:However|But|Yet|Still|Nevertheless|At the same time),?\s+")
LEAD_IN_WORDS = 12


def read(text, *, url, publisher, published, author=None):
    """The article and the records it supports, as proposals; nothing is written."""
    published = _as_datetime(published)
    reader = _Reader(published.date())
    header, paragraphs = split_header(text)
    article = Article(
        url=url,
        publisher=publisher,
        published=published.isoformat(),
        title=header.title,
        author=author or header.author,
        text=text,
    )
    article.publisher = reader.actor(publisher, "organization", classification="media", sentence="")
    if article.author:
        article.author = reader.actor(article.author, "person", sentence="")
    for paragraph in paragraphs:
        reader.paragraph(paragraph)
    reader.finish()
    article.proposals = _not_recorded(reader.proposals, url)
    return article


def _as_datetime(published):
    if isinstance(published, datetime.datetime):
        return published
    return datetime.datetime.fromisoformat(str(published).replace(" ", "T", 1))


def key(kind, sentence, text):
    """Stable for the same article: the kind and a digest of the sentence and text."""
    digest = hashlib.sha1(f"{sentence}\n{text}".encode()).hexdigest()[:12]
    return f"{kind}-{digest}"


class _Reader:
    """What has been read so far: the gazetteer, the last speaker, the proposals."""

    def __init__(self, published_date):
        self.published = published_date
        self.gazetteer = Gazetteer()
        self.proposals = []
        self.new_actors = {}  # name -> its proposal
        self.last_speaker = None  # (slug or name, is_new)
        self.roles = {}
        self.statement_events = []

    # Actors -----------------------------------------------------------------------------

    def actor(self, name, kind, sentence, classification=""):
        """The slug of a known actor by `name`, else the name, proposed once as a new draft."""
        known = self.gazetteer.lookup(name)
        if known:
            return known[1]
        if name not in self.new_actors:
            proposal = Proposal(
                key=key(kind, sentence, name),
                kind=kind,
                text=name,
                sentence=sentence,
                classification=classification,
                new=[name],
            )
            self.new_actors[name] = proposal
            self.proposals.append(proposal)
            self.gazetteer.learn(name, kind, name)
        return name

    def speaker(self, speaker, sentence):
        """(slug or name, role) of a speaker; a pronoun is the last named speaker."""
        if speaker is None or speaker.kind == "pronoun":
            return self.last_speaker or ("", "")
        ident = speaker.slug or self.actor(speaker.name, speaker.kind, sentence)
        if speaker.role and ident not in self.roles:
            self.roles[ident] = speaker.role
            self.proposals.extend(facts.posts(ident, speaker.role, sentence, self.gazetteer, key))
        self.last_speaker = (ident, self.roles.get(ident, ""))
        return self.last_speaker

    # Statements -------------------------------------------------------------------------

    def paragraph(self, paragraph):
        previous = None  # the paragraph's last statement
        for sentence in split_sentences(paragraph):
            self.events(sentence)
            self.proposals.extend(facts.memberships(sentence, self.published, self.gazetteer, key))
            quotes = _direct_quotes(sentence)
            if quotes:
                if previous is not None and previous.kind == "quote" and _bare(sentence, quotes):
                    self.extend_quote(previous, sentence, quotes)
                else:
                    previous = self.quote(sentence, quotes)
                continue
            found = reported(sentence, self.gazetteer)
            if found:
                if (
                    previous is not None
                    and previous.kind == "paraphrase"
                    and CONTRAST.match(sentence)
                    and found.speaker.kind == "pronoun"
                ):
                    self.extend(previous, sentence, found.content, contrast=True)
                    continue
                previous = self.paraphrase(sentence, found.speaker, found.content, found.attribution)
            elif previous is not None and previous.kind == "paraphrase":
                if len(previous.text.split()) < LEAD_IN_WORDS:
                    self.extend(previous, sentence, sentence, contrast=False)
                else:
                    previous = self.paraphrase(sentence, Speaker("pronoun"), sentence, "")

    def quote(self, sentence, quotes):
        words = " ".join(sentence[start + 1 : end - 1].strip() for start, end in quotes)
        masked = sentence
        for start, end in reversed(quotes):
            masked = f"{masked[:start]}“…”{masked[end:]}"
        found = reported(masked, self.gazetteer)
        ident, role = self.speaker(found.speaker if found else None, sentence)
        return self.statement("quote", sentence, words, ident, role, words, found.attribution if found else "")

    def extend_quote(self, proposal, sentence, quotes):
        """“A,” he said. “B.” is one quotation: B continues A."""
        words = " ".join(sentence[start + 1 : end - 1].strip() for start, end in quotes)
        proposal.text = f"{proposal.text} {words}"
        proposal.sentence = f"{proposal.sentence} {sentence}"
        proposal.mentions = self.mentions(proposal.text, proposal.speaker)
        proposal.key = key(proposal.kind, proposal.sentence, proposal.text)

    def paraphrase(self, sentence, speaker, content, attribution):
        ident, role = self.speaker(speaker, sentence)
        return self.statement("paraphrase", sentence, content, ident, role, content, attribution)

    def statement(self, kind, sentence, text, ident, role, said, attribution):
        when = dates.find(attribution, self.published) if attribution else None
        proposal = Proposal(
            key=key(kind, sentence, text),
            kind=kind,
            text=text,
            sentence=sentence,
            speaker=ident,
            role=role,
            mentions=self.mentions(said, ident),
            date=when.date if when else str(self.published),
            date_bound=when.bound if when else ON_OR_BEFORE,
            date_wording=when.wording if when else "",
            date_relative_to=when.relative_to if when else "",
            new=[ident] if ident in self.new_actors else [],
        )
        self.proposals.append(proposal)
        return proposal

    def extend(self, proposal, sentence, content, contrast):
        """Add a sentence to a statement: 'A. However, B.' reads 'A, but B.'"""
        content = CONTRAST.sub("", content) if contrast else content
        content = content[:1].lower() + content[1:] if contrast else content
        joiner = ", but " if contrast else ": "
        if not contrast:
            content = content[:1].lower() + content[1:]
            content = re.sub(r"^(last year|this year|yesterday|recently),\s*", r"\1 ", content)
        proposal.text = proposal.text.rstrip(".") + joiner + content
        proposal.sentence = f"{proposal.sentence} {sentence}"
        proposal.mentions = self.mentions(proposal.text, proposal.speaker)
        proposal.key = key(proposal.kind, proposal.sentence, proposal.text)

    def mentions(self, text, speaker):
        slugs = []
        for name in self.gazetteer.find(text):
            if name.kind in ("person", "organization") and name.slug != speaker and name.slug not in slugs:
                slugs.append(name.slug)
        return [slug for slug in slugs if slug not in self.new_actors]

    # Events -----------------------------------------------------------------------------

    def events(self, sentence):
        enclosing = next((e.slug or e.name for e in reversed(self.statement_events) if e.classification != "panel"), "")
        for event in facts.events(sentence, self.gazetteer, enclosing):
            if not event.slug:
                existing = [p for p in self.proposals if p.kind == "event" and p.text == event.name]
                if not existing:
                    self.proposals.append(
                        Proposal(
                            key=key("event", sentence, event.name),
                            kind="event",
                            text=event.name,
                            sentence=sentence,
                            classification=event.classification,
                            event=event.parent,
                            date=str(self.published),
                            date_bound=ON_OR_BEFORE,
                            new=[event.name],
                        )
                    )
            self.statement_events.append(event)

    def finish(self):
        """Statements are at the innermost event the report places its speaker at."""
        if not self.statement_events:
            return
        inner = next((e for e in self.statement_events if e.parent), self.statement_events[0])
        name = inner.slug or inner.name
        for proposal in self.proposals:
            if proposal.kind in ("quote", "paraphrase"):
                proposal.event = name
                if not inner.slug and name not in proposal.new:
                    proposal.new.append(name)


def _direct_quotes(sentence):
    """The quotations that are someone's words, not a title or a phrase the reporter borrows."""
    quotes = []
    for start, end in quote_spans(sentence):
        before = sentence[:start]
        if TITLE_BEFORE.search(before):
            continue
        inner = sentence[start + 1 : end - 1]
        at_head = not before.strip() or (before.rstrip().endswith((":", ",")) and quotes)
        if at_head or len(inner.split()) >= 6 or before.rstrip().endswith(":"):
            quotes.append((start, end))
    return quotes


def _bare(sentence, quotes):
    """A sentence that is nothing but a quotation (no attribution of its own)."""
    return len(quotes) == 1 and quotes[0] == (0, len(sentence))


def _not_recorded(proposals, url):
    """Leave out what the source at `url` already records, and memberships that already exist."""
    source = Source.objects.filter(url=url).first() if url else None
    kept = []
    for proposal in proposals:
        if proposal.kind in ("quote", "paraphrase") and source is not None:
            same = Q(text=proposal.text) | Q(source_excerpt=proposal.sentence)
            if Statement.objects.filter(same, source=source, kind=proposal.kind).exists():
                continue
        if proposal.kind == "membership" and _membership_exists(proposal):
            continue
        kept.append(proposal)
    return kept


def _membership_exists(proposal):
    if proposal.new:
        return False
    member = Q(member_person__slug=proposal.member) | Q(member_organization__slug=proposal.member)
    return Membership.objects.filter(member, organization__slug=proposal.organization).exists()
