"""What the editor changes on the review page, applied to the proposals before anything is written.

A statement's words, kind, speaker, role, date and event can be corrected; the
speaker and the event are typed as names and found with the search's folding
("Hajiyev", "hikmət hacıyev"): a known record, a name another proposal brings,
or else a new person. Problems are named, one a line, and nothing is written
while there are any. A statement cannot be created without a speaker.
"""

from records.drafting.names import Gazetteer
from records.folding import fold
from records.models import Event, Organization, Person
from records.partial_dates import PartialDate

STATEMENT_KINDS = ("quote", "paraphrase")


def field(name, proposal):
    """The name of a review form's input for one field of one proposal."""
    return f"{name}-{proposal.key}"


def display_names(article):
    """{slug: name} of the known records the proposals name, for the review page (never a bare slug)."""
    slugs = set()
    for proposal in article.proposals:
        slugs |= {proposal.speaker, proposal.member, proposal.organization, proposal.event, *proposal.mentions}
    slugs.discard("")
    names = {}
    for model in (Person, Organization, Event):
        names |= {slug: str(record) for slug, record in model.objects.in_bulk(list(slugs), field_name="slug").items()}
    return names


def shown(value, names):
    return names.get(value, value)


def apply_edits(article, keys, data):
    """Apply the review form's values to the proposals whose keys are ticked; returns the problems found."""
    chosen = [p for p in article.proposals if p.key in set(keys)]
    statements = [p for p in chosen if p.is_statement]
    if not statements:
        return []
    gazetteer = article.gazetteer or Gazetteer()
    names = display_names(article)
    new_actors = {p.text for p in article.proposals if p.kind in ("person", "organization")}
    events = {fold(p.text): p.text for p in article.proposals if p.kind == "event"}
    problems = []
    for proposal in statements:
        excerpt = f"“{' '.join(proposal.text.split()[:8])}…”"
        if field("text", proposal) in data:
            text = data.get(field("text", proposal), "").strip()
            if not text:
                problems.append(f"{excerpt}: the statement's words are empty.")
            proposal.text = text or proposal.text
        kind = data.get(field("kind", proposal), proposal.kind)
        if kind not in STATEMENT_KINDS:
            problems.append(f"{excerpt}: “{kind}” is not a kind of statement (quote or paraphrase).")
        else:
            proposal.kind = kind
        if field("speaker", proposal) in data:
            typed = data.get(field("speaker", proposal), "").strip()
            if typed != shown(proposal.speaker, names):
                proposal.speaker = _actor(typed, gazetteer, new_actors, proposal)
        if not proposal.speaker:
            problems.append(f"{excerpt}: speaker unknown. Type who said it before creating it.")
        proposal.role = data.get(field("role", proposal), proposal.role).strip()
        date = data.get(field("date", proposal), proposal.date).strip()
        try:
            proposal.date = str(PartialDate(date)) if date else ""
        except ValueError as error:
            problems.append(f"{excerpt}: {error}")
        if field("event", proposal) in data:
            typed = data.get(field("event", proposal), "").strip()
            if typed != shown(proposal.event, names):
                event = gazetteer.event(typed) or events.get(fold(typed))
                if typed and not event:
                    problems.append(f"{excerpt}: no recorded or proposed event is called “{typed}”.")
                proposal.event = event or ""
    return problems


def _actor(typed, gazetteer, new_actors, proposal):
    """The speaker a typed name stands for: a known record's slug, a name proposed as new, or a new person.
    (The reader's gazetteer also holds the names the report introduced: those are new, not records.)"""
    if not typed:
        return ""
    known = gazetteer.lookup(typed)
    if known and known[0] in ("person", "organization") and gazetteer.name_of(known[1]) is not None:
        proposal.new = [name for name in proposal.new if name != typed]
        return known[1]
    name = next((name for name in new_actors if fold(name) == fold(typed)), typed)
    if name not in proposal.new:
        proposal.new.append(name)
    return name
