"""Read a news report into proposals: statements, the actors, events and memberships it states.

`read(text, url=…, publisher=…, published=…, author=None)` is rule-based and
deterministic. It walks the report sentence by sentence, learning the people
it introduces with a title or a role and remembering the last named speaker
(the antecedent of "he", "she", "it", "they", "according to him"), and
proposes:

- a quote for the words between quotation marks that open a sentence or
  follow a colon or an attribution (words quoted inside a clause are the
  reporter's, and titles after "titled" are names), the parts of a quotation
  split by an attribution joined into one;
- a paraphrase for a sentence that reports speech (records/drafting/speech.py),
  its text the reported clause; a following sentence of the same paragraph
  that reports nothing is proposed as the speaker's too, unsure and unticked,
  unless it narrates ("It …", "His country …");
- events, memberships and relative dates as records/drafting/facts.py reads them;
- a new person or organization for every speaker, author or publisher
  that is not a known record.

A speaker is given only on evidence, and every statement says which
(`evidence`); without it the statement is "speaker unknown" and cannot be
written until the editor names one (docs/article-drafting.md). When a source
at the same normalised address already exists, what is already recorded from
it is not proposed again.
"""

import hashlib
import re
from dataclasses import dataclass

from django.db.models import Q

from records.drafting import Article, Proposal, dates, facts, published_at
from records.drafting.names import Gazetteer
from records.drafting.speech import NOT_NAMES, ORGANIZATION_WORDS, VERB, reported, split_title, title_like
from records.drafting.text import quote_spans, split_header, split_sentences
from records.drafting.writing import recorded_source
from records.folding import fold
from records.models import Membership, Statement

ON_OR_BEFORE = "on_or_before"
# A sentence that opens with one of these narrates about something else: it does not continue anyone's words.
NARRATION_START = re.compile(r"^(?:It|Its|His|Her|Their|They|This|That|These|Those|There|He|She|We|Our)\b")
# "Name Surname, role," anywhere in a sentence: someone is introduced.
APPOSITIVE = re.compile(r"(?<![\w’'-])[A-Z][\w’'-]+(?:\s+[A-Z][\w’'-]+){1,3},\s+[^,]{3,100},")
# A name with a title before it or a role after it: "Foreign Minister Ararat Mirzoyan", "Ararat Mirzoyan, …,".
INTRODUCED = re.compile(
    r"(?<![\w’'.-])(?P<name>[A-Z][\w’'.-]*(?:\s+(?:[A-Z][\w’'-]*|of|the)){0,12}\s+[A-Z][\w’'-]+)"
    r"(?=(?P<role>,\s+[^,]{3,120}?(?:,|(?=\.\s|\.$)))?)(?=[\s,.;)]|$)"
)
# A sentence about someone the report does not name: "A senior Central Asian diplomat … put it plainly."
UNNAMED_SUBJECT = re.compile(
    r"^(?P<who>(?:An?|One|Another) (?:[\w-]+ ){0,4}?(?:diplomat|official|source|analyst|expert|observer|delegate"
    r"|adviser|advisor|representative|participant|lawmaker))\b"
)
# "…,” he said, “…”: a quotation right after an attribution and its comma is someone's own words; one after
# "said that Azerbaijan," is a phrase quoted inside the reporter's clause.
SAID_AND_COMMA = re.compile(
    rf"(?:{VERB.pattern})(?:\s+(?:on|in|last|this|yesterday|today|[A-Z][\w’'.-]*)){{0,4}}\s*,\s*$"
)
# A dateline that opens a report's first paragraph: "BAKU, May 14 (Reuters) -", "MOSCOW (AA) -",
# "YEREVAN, April 13. /TASS/.", "Baku/09.08.22/Turan:", "ASTANA, May 28.", "TBILISI —".
DATELINE = re.compile(
    r"^(?:[A-Z][\w]+/\d{1,2}\.\d{1,2}\.\d{2,4}/[\w ]+:\s*"
    r"|[A-Z]{3,}(?:[ -][A-Z]{3,})*(?:,\s*[A-Z][a-z]+)?(?:,\s*[A-Z][a-z]+\.? \d{1,2})?\.?"
    r"(?:\s*\([^)]{1,30}\)|\s*/[^/]{1,20}/\.?)?\s*[-–—.:]\s+)"
)
PRONOUNS = {"he": "male", "him": "male", "his": "male", "she": "female", "her": "female"}
TITLE_BEFORE = re.compile(r"\b(?:titled|entitled|called|named|dubbed|themed)\s*$")
CONTRAST = re.compile(r"^(?:However|But|Yet|Still|Nevertheless|At the same time),?\s+")
LEAD_IN_WORDS = 12
OPENING_PRONOUN = re.compile(r"^(?:His|Her|Their|Its|He|She|They|It)\b", re.IGNORECASE)


def read(text, *, url, publisher, published, author=None):
    """The article and the records it supports, as proposals; nothing is written."""
    published = published_at(published)
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
    article.gazetteer = reader.gazetteer
    return article


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
        self.antecedent = None  # the last named speaker: Antecedent
        self.broken = False  # another person was named since: a pronoun no longer points to the antecedent
        self.number = 0  # the sentence being read
        self.named_organizations = []  # slugs of the known organizations the report has named, in order
        self.last_body = ""  # the last organization that spoke: "the statement" is theirs
        self.roles = {}
        self.statement_events = []
        self.proposed_events = set()  # names of the new events proposed

    # Actors -----------------------------------------------------------------------------

    def actor(self, name, kind, sentence, classification=""):
        """The slug of a known actor by `name`, else the name, proposed once as a new draft."""
        known = self.gazetteer.lookup(name)
        if known and self.gazetteer.name_of(known[1]) is not None:
            return known[1]
        if known:
            name = known[1]  # a name the report introduced earlier, now proposed as a new record
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
        """(slug or name, role, evidence) of a speaker; ("", "", why) when the sentence does not show who."""
        if speaker is None:
            return "", "", "no attribution in the sentence"
        if speaker.kind == "pronoun":
            return self.resolve(speaker.pronoun or "he")
        if speaker.kind == "definite":
            return self.resolve_description(speaker.name)
        if speaker.kind == "anonymous":
            # "a senior diplomat said": someone unnamed; a following "he" is them, so no one known.
            self.antecedent = Antecedent("", "person", "", "", speaker.name, self.number)
            return "", "", f"“{speaker.name}”: the report does not name them"
        if speaker.slug and self.gazetteer.name_of(speaker.slug) is None:
            ident = self.actor(speaker.slug, speaker.kind, sentence)  # a name the report introduced before
        else:
            ident = speaker.slug or self.actor(speaker.name, speaker.kind, sentence)
        if speaker.role and title_like(speaker.role):
            self.give_role(ident, speaker.role, sentence)
        shown = self.gazetteer.name_of(ident) or ident
        gender = self.gazetteer.gender(ident) if speaker.slug else ""
        self.antecedent = Antecedent(ident, speaker.kind, gender, self.roles.get(ident, ""), shown, self.number)
        self.broken = False
        if speaker.kind == "organization":
            self.last_body = ident
        return ident, self.roles.get(ident, ""), "named in the sentence"

    def give_role(self, ident, role, sentence):
        """The role a report first gives someone, and the memberships it states (once a person)."""
        if ident in self.roles:
            return
        self.roles[ident] = role
        self.proposals.extend(facts.posts(ident, role, sentence, self.gazetteer, key))

    def resolve(self, pronoun):
        """The speaker a pronoun stands for: the last named speaker, if nothing since made it ambiguous."""
        word, found = pronoun.lower(), self.antecedent
        if found is None:
            return "", "", f"“{pronoun}”, but no speaker was named before"
        if not found.ident:
            return "", "", f"“{pronoun}”: {found.name}, whom the report does not name"
        if self.broken:
            return "", "", f"“{pronoun}”, but another person was named after {found.name}"
        gender = PRONOUNS.get(word)
        fits = (
            (word in ("it", "its") and found.kind == "organization")
            or (gender and found.kind == "person" and found.gender in ("", gender))
            or word in ("they", "them", "their")
        )
        if not fits:
            return "", "", f"“{pronoun}” cannot stand for {found.name}"
        if gender and not found.gender:
            found.gender = gender  # a new person the report calls "he" stays "he"
        back = self.number - found.sentence
        where = "the same sentence" if back == 0 else "the sentence before" if back == 1 else f"{back} sentences back"
        return found.ident, found.role, f"speaker from “{pronoun}”: {found.name}, named {where}"

    def resolve_description(self, noun):
        """“The ministry said”: the one record named so far that the noun describes, else unknown."""
        word = noun.split()[-1] if " of " not in noun else noun.split()[0]
        people = {"minister", "president", "spokesperson", "spokesman", "spokeswoman", "secretary-general"}
        people |= {"ambassador"}
        if word in people:
            found = self.antecedent
            if found is not None and not self.broken and word in fold(found.role):
                return found.ident, found.role, f"“the {noun}”: {found.name}, {found.role}"
            return "", "", f"“the {noun}”, and no speaker named before holds that title"
        if word == "statement":
            if self.last_body:
                return self.last_body, "", f"“the statement”: {self.shown(self.last_body)}’s, reported before"
            return "", "", "“the statement”, but no body's statement was reported before"
        candidates = [slug for slug in dict.fromkeys(self.named_organizations) if word in fold(self.shown(slug))]
        if not candidates and word in ("secretariat", "organization", "organisation"):
            # The secretariat speaks for the intergovernmental body the report is about, when there is one.
            bodies = self.gazetteer.classifications
            candidates = [s for s in dict.fromkeys(self.named_organizations) if bodies.get(s) == "intergovernmental"]
            # Of several, the one whose official last spoke ("Secretary General of the OTS") is meant.
            held = {n.slug for n in self.gazetteer.find(self.antecedent.role)} if self.antecedent else set()
            candidates = [slug for slug in candidates if slug in held] or candidates
        if len(candidates) == 1:
            slug = candidates[0]
            self.antecedent = Antecedent(slug, "organization", "", "", self.shown(slug), self.number)
            self.broken = False
            return slug, "", f"“the {noun}”: {self.shown(slug)}, the one such body the report names"
        if not candidates:
            return "", "", f"“the {noun}”, but the report names no such body"
        return "", "", f"“the {noun}” could be any of {', '.join(self.shown(c) for c in candidates)}"

    def narrated(self, sentence, introduced):
        """A sentence that reports no speech. The one person it opens with ("Saidov took the floor next.") is
        whom a following "he" or "she" means; two people there ("Hajiyev and Mulindwa met."), or someone
        newly introduced with a title or role, leave a pronoun without a sure antecedent. People named
        further on (objects, not subjects) change nothing."""
        opening = " ".join(sentence.split()[:6])
        subjects = list(dict.fromkeys(n.slug for n in self.gazetteer.find(opening) if n.kind == "person"))
        current = self.antecedent.ident if self.antecedent else None
        if len(subjects) == 1:
            ident = subjects[0]
            if ident != current:
                gender = self.gazetteer.gender(ident)
                role = self.roles.get(ident, "")
                self.antecedent = Antecedent(ident, "person", gender, role, self.shown(ident), self.number)
            self.broken = False
            return ident != current
        if anonymous := UNNAMED_SUBJECT.match(sentence):
            self.antecedent = Antecedent("", "person", "", "", anonymous["who"], self.number)
            return True
        if len(subjects) > 1 or any(name != current for name in introduced):
            self.broken = True
            return True
        return bool(self.introduces_someone(sentence, current))

    def learn_people(self, sentence):
        """People a sentence introduces with a title or a role ("Uzbek Foreign Minister Bakhtiyor Saidov",
        "Natalia Gherman, Head of the UNRCCA,"): found by their surname later, proposed when they speak.
        Returns the names introduced."""
        introduced = []
        for match in INTRODUCED.finditer(sentence):
            title, name = split_title(match["name"], self.gazetteer)
            role = (match["role"] or "").strip(" ,.") or title
            if not role or not title_like(role) or name.split()[0] in NOT_NAMES:
                continue
            known = [n for n in self.gazetteer.find(name) if n.kind == "person"]
            if known and known[-1].end == len(name):
                self.give_role(known[-1].slug, role, sentence)  # a known person, titled: their post
                continue
            if len(name.split()) < 2 or ORGANIZATION_WORDS.search(name) or self.gazetteer.find(name):
                continue
            self.gazetteer.learn(name, "person", name)
            self.give_role(name, role, sentence)
            introduced.append(name)
        return introduced

    def introduces_someone(self, sentence, speaker_ident):
        """Whether a sentence names a person other than the last speaker (known, or "Name, role,")."""
        others = [n for n in self.gazetteer.find(sentence) if n.kind == "person" and n.slug != speaker_ident]
        return bool(others) or bool(APPOSITIVE.search(sentence))

    # Statements -------------------------------------------------------------------------

    def paragraph(self, paragraph):
        previous = None  # the paragraph's last statement
        for number, sentence in enumerate(split_sentences(paragraph)):
            if number == 0:
                sentence = DATELINE.sub("", sentence, count=1) or sentence
            self.number += 1
            introduced = self.learn_people(sentence)
            self.named_organizations += [n.slug for n in self.gazetteer.find(sentence) if n.kind == "organization"]
            self.events(sentence)
            self.proposals.extend(facts.memberships(sentence, self.published, self.gazetteer, key))
            quotes = _direct_quotes(sentence)
            if quotes:
                if previous is not None and previous.kind == "quote" and _bare(sentence, quotes):
                    self.extend_quote(previous, sentence, quotes)
                else:
                    previous = self.quote(sentence, quotes, previous)
                continue
            found = reported(sentence, self.gazetteer)
            if found:
                if (
                    previous is not None
                    and previous.kind == "paraphrase"
                    and previous.speaker
                    and CONTRAST.match(sentence)
                    and found.speaker.kind == "pronoun"
                    and not self.broken
                ):
                    self.extend(previous, sentence, found.content, contrast=True)
                    continue
                previous = self.paraphrase(sentence, found.speaker, found.content, found.attribution)
                continue
            if self.narrated(sentence, introduced):
                previous = None
            elif previous is not None and previous.kind == "paraphrase" and previous.speaker:
                if NARRATION_START.match(sentence):
                    previous = None  # "It stood ready …", "His country …": the reporter's narration
                elif len(previous.text.split()) < LEAD_IN_WORDS:
                    self.extend(previous, sentence, sentence, contrast=False)
                else:
                    previous = self.continuation(previous, sentence)

    def continuation(self, previous, sentence):
        """A sentence with no attribution right after someone's reported words: perhaps theirs, the editor says."""
        proposal = self.statement(
            "paraphrase", sentence, sentence, previous.speaker, previous.role, sentence, "", previous.evidence
        )
        proposal.confidence = "low"
        proposal.evidence = f"no attribution of its own: it follows {self.shown(previous.speaker)}’s words"
        return proposal

    def shown(self, ident):
        return self.gazetteer.name_of(ident) or ident

    def quote(self, sentence, quotes, previous=None):
        words = " ".join(sentence[start + 1 : end - 1].strip() for start, end in quotes)
        masked = sentence
        for start, end in reversed(quotes):
            masked = f"{masked[:start]}“…”{masked[end:]}"
        found = reported(masked, self.gazetteer)
        if found is None and previous is not None and previous.speaker and not self.broken:
            # A quotation with no attribution right after someone's words in the same paragraph: theirs, probably.
            proposal = self.statement("quote", sentence, words, previous.speaker, previous.role, words, "", "")
            proposal.confidence = "low"
            proposal.evidence = f"no attribution of its own: it follows {self.shown(previous.speaker)}’s words"
            return proposal
        ident, role, evidence = self.speaker(found.speaker if found else None, sentence)
        attribution = found.attribution if found else ""
        return self.statement("quote", sentence, words, ident, role, words, attribution, evidence)

    def extend_quote(self, proposal, sentence, quotes):
        """“A,” he said. “B.” is one quotation: B continues A."""
        words = " ".join(sentence[start + 1 : end - 1].strip() for start, end in quotes)
        proposal.text = f"{proposal.text} {words}"
        proposal.sentence = f"{proposal.sentence} {sentence}"
        proposal.mentions = self.mentions(proposal.text, proposal.speaker)
        proposal.key = key(proposal.kind, proposal.sentence, proposal.text)

    def paraphrase(self, sentence, speaker, content, attribution):
        ident, role, evidence = self.speaker(speaker, sentence)
        proposal = self.statement("paraphrase", sentence, content, ident, role, content, attribution, evidence)
        if opening := OPENING_PRONOUN.match(content):
            proposal.notes.append(f"It opens with “{opening.group()}”: say who that is before creating it.")
        return proposal

    def statement(self, kind, sentence, text, ident, role, said, attribution, evidence):
        # The sentence's own relative wording dates the statement: the attribution's first ("said on
        # Thursday"), else the rest of the sentence outside its quotations ("had doubled last month").
        when = dates.find(attribution, self.published) if attribution else None
        when = when or dates.find(_outside_quotes(sentence), self.published)
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
            evidence=evidence,
        )
        if not ident:
            proposal.confidence = "low"
            proposal.notes.append("Speaker unknown: choose who said it before creating it.")
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
            if not event.slug and event.name not in self.proposed_events:
                self.proposed_events.add(event.name)
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


@dataclass
class Antecedent:
    """The last speaker the report named: whom "he", "she", "it" or "they" may stand for."""

    ident: str
    kind: str  # "person" or "organization"
    gender: str  # "male", "female" or "" (not known)
    role: str
    name: str  # as the review page shows it
    sentence: int  # the number of the sentence that named them


def _direct_quotes(sentence):
    """The quotations that are someone's words, not a title or a phrase the reporter borrows."""
    quotes = []
    for start, end in quote_spans(sentence):
        before = sentence[:start]
        if TITLE_BEFORE.search(before):
            continue
        at_head = not before.strip() or (before.rstrip().endswith((":", ",")) and quotes)
        # "…, he said, “…”" or "he said: “…”": someone's own words. Words quoted inside a clause ("called
        # the talks “a step forward”") are the reporter's paraphrase quoting a phrase.
        introduced = before.rstrip().endswith(":") or bool(SAID_AND_COMMA.search(before))
        if at_head or introduced:
            quotes.append((start, end))
    return quotes


def _outside_quotes(sentence):
    text = sentence
    for start, end in reversed(quote_spans(sentence)):
        text = f"{text[:start]}…{text[end:]}"
    return text


def _bare(sentence, quotes):
    """A sentence that is nothing but a quotation (no attribution of its own)."""
    return len(quotes) == 1 and quotes[0] == (0, len(sentence))


def _not_recorded(proposals, url):
    """Leave out what the source at `url` already records, and memberships that already exist."""
    source = recorded_source(url)
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
