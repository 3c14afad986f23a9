"""From a news report to proposed draft records: what an editor reviews before anything is written.

`reading.read(text, url=…, publisher=…, published=…, author=None)` turns an
article's text into an `Article`: its source's details and a list of
`Proposal`s, each resting on one sentence of the text. Nothing is written.
`writing.write(article, keys, user=None)` creates the proposals whose keys
are given, every record a draft citing the article's source.
"""

import datetime
import re
from dataclasses import asdict, dataclass, field

PUBLISHED = re.compile(r"^\s*(\d{4}-\d{2}-\d{2})[ T](\d{1,2}:\d{2})(?::\d{2})?\s*(?:UTC)?\s*([+-]\d{2}:?\d{2})\s*$")


def published_at(value):
    """'2026-03-12 17:15+04:00' (or 'T', seconds, 'UTC+04:00', '+0400') as an aware datetime; ValueError names the
    problem. An aware datetime is taken as it is. The one reading of a report's publication time: the form,
    the command, the reader and the writer all ask it.

    The UTC offset is required: a report's date is the local date where it was published.
    """
    if isinstance(value, datetime.datetime) and value.utcoffset() is not None:
        return value
    value = str(value)
    match = PUBLISHED.match(value)
    problem = f"“{value}” is not a date and time with a UTC offset: write it as 2026-03-12 17:15+04:00."
    if not match:
        raise ValueError(problem)
    day, time, offset = match.groups()
    offset = offset if ":" in offset else f"{offset[:3]}:{offset[3:]}"
    try:
        moment = datetime.datetime.fromisoformat(f"{day}T{time.zfill(5)}:00{offset}")
    except ValueError:
        raise ValueError(problem) from None
    if not -12 * 60 <= moment.utcoffset().total_seconds() / 60 <= 14 * 60:
        raise ValueError("A UTC offset lies between -12:00 and +14:00.")
    return moment


@dataclass
class Proposal:
    """One record the article supports, as the review page shows it and `draft_article` prints it.

    `key` is stable for the same article text (the review form sends keys back).
    `kind`: "quote" or "paraphrase" (a statement), "person" or "organization"
    (an actor the article names that is not known yet), "event", "membership".
    People, organizations and events are named by their slug when they are
    known records, else by their name as the article gives it (`new` lists
    which of the names in this proposal would be created).
    """

    key: str
    kind: str
    text: str  # a statement's words; an actor's or event's name; a membership's wording
    sentence: str  # the supporting sentence, the citation's excerpt
    speaker: str = ""  # statements: slug or new name
    role: str = ""  # statements: the speaker's role as the article words it
    mentions: list = field(default_factory=list)  # statements: slugs of known people and organizations named
    event: str = ""  # statements: the event (slug or new name); events: the parent event
    classification: str = ""  # organizations and events: their classification
    date: str = ""  # statements: YYYY[-MM[-DD]]; memberships: the start date
    date_bound: str = ""  # "" (on the date) or "on or before", as the models' DateBound
    date_wording: str = ""  # relative wording as stated ("last year")
    date_relative_to: str = ""  # YYYY-MM-DD the wording is relative to (the publication date)
    member: str = ""  # memberships: the member (slug or new name)
    organization: str = ""  # memberships: the organization joined (slug or new name)
    membership_kind: str = ""  # memberships: "member", … as Membership.kind
    new: list = field(default_factory=list)  # names in this proposal that are not known records yet
    # How sure the reader is, and why: "high" proposals are ticked on the review page, "low" ones are not.
    confidence: str = "high"
    evidence: str = ""  # statements: where the speaker comes from ("named in the sentence", "‘he’ …")
    notes: list = field(default_factory=list)  # what the editor should check before creating it

    @property
    def is_statement(self):
        return self.kind in ("quote", "paraphrase")

    @property
    def speaker_unknown(self):
        """A statement whose speaker the report does not show: it cannot be created until one is chosen."""
        return self.is_statement and not self.speaker

    def as_json(self):
        return asdict(self)


@dataclass
class Article:
    url: str
    publisher: str  # slug of a known organization, or the name given
    published: str  # ISO 8601 with its UTC offset, e.g. 2026-03-12T17:15:00+04:00
    title: str
    author: str = ""  # from --author or a detected "By …" line
    text: str = ""
    proposals: list = field(default_factory=list)
    # The known names the reader looked for, kept for the review's corrections (records/drafting/reviewing.py).
    gazetteer: object = field(default=None, repr=False, compare=False)
