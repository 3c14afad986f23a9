"""Events, memberships and posts a report states, read from set phrasings.

- Events: "a panel (session) titled “…”" (a panel), "at / during / on the
  sidelines of the X Forum|Summit|Conference|…" (named events); a panel named
  in the same sentence as a forum is part of it.
- Memberships: "X has (recently) joined (the) Y", "X became a (full|associate)
  member / observer / dialogue partner of Y", "X was admitted to Y", "X was
  granted observer status in Y", dated by the relative wording of the sentence.
- Posts: a speaker's role as the report words it ("Head of the Foreign Policy
  Affairs Department …", "Assistant to the President of Azerbaijan") read as
  memberships of known organizations.
"""

import itertools
import re
from dataclasses import dataclass

from records.drafting import Proposal, dates
from records.drafting.vocabulary import DEMONYMS, FIELDS

PANEL = re.compile(
    r"\b(?:panel(?: session| discussion)?|session|round ?table|plenary(?: session)?)\s+"
    r"(?:titled|entitled|called|themed)\s+[“\"«](?P<name>[^”\"»]+?)[,.]?[”\"»]"
)
EVENT_NOUNS = {
    "Forum": "forum",
    "Summit": "summit",
    "Conference": "conference",
    "Congress": "conference",
    "Dialogue": "meeting",
    "Meeting": "meeting",
    "Ministerial": "meeting",
    "Panel": "panel",
    "Session": "panel",
    "Round Table": "panel",
    "Roundtable": "panel",
    "Council of Foreign Ministers": "meeting",
    "Ministerial Council": "meeting",
}
NAME_WORD = r"[A-Z0-9][\w’'.-]*"
NAMED_EVENT = re.compile(
    r"(?:\b(?i:at|during|on the sidelines of|on the margins of|ahead of|attending|addressing|addressed|in|at the"
    r" close of|at the opening of|after|before|following|took part in|spoke at|opened)\s+|^)[Tt]he\s+"
    rf"(?P<name>(?:{NAME_WORD}\s+)(?:(?:{NAME_WORD}|of|on|and|for|the)\s+)*?"
    rf"(?:{'|'.join(EVENT_NOUNS)})(?:\s+(?:of|on|for)\s+(?:the\s+)?{NAME_WORD}(?:\s+(?:{NAME_WORD}|of|and|the))*)?)"
    r"(?![\w’'-])"
)
# Events a report names by what happened rather than by a title.
MEETING_OF = re.compile(
    r"\b(?:at|during|after|before|following|on the sidelines of|on the margins of|ahead of|in) (?:a|an) "
    r"(?:(?:regular|extraordinary|annual|informal|joint|ministerial|high-level) )*(?:meeting|session) of the "
    rf"(?P<body>{NAME_WORD}(?:\s+(?:of|for|and|on|the)\s+{NAME_WORD}|\s+{NAME_WORD})*)"
)
VISIT = re.compile(
    r"\b(?:during|on|after|following|ahead of|in the course of) (?:a|an|his|her|their|the|[A-Z][\w’'-]*(?:’s|'s)) "
    r"(?P<kind>(?:(?:official|state|working|two-day|three-day|first|recent|brief) )*)visit to "
    rf"(?P<place>{NAME_WORD}(?:\s+{NAME_WORD})*)"
)
INTERVIEW = re.compile(
    rf"\b(?:(?:in|during) an (?:exclusive )?interview with (?:the )?(?P<outlet>{NAME_WORD}(?:\s+{NAME_WORD})*)"
    rf"|told (?:the )?(?P<told>{NAME_WORD}(?:\s+{NAME_WORD})*) in an (?:exclusive )?interview)"
)
HELD_AT = re.compile(
    r"\b(?:an?|the) (?P<noun>event|conference|discussion|meeting|briefing|seminar|roundtable|round table|panel)"
    r"(?: [^,.]{0,80}?)? (?:held|hosted|organi[sz]ed) (?:at|by) (?:the )?"
    rf"(?P<host>{NAME_WORD}(?:\s+(?:of|for|and|on|the)\s+{NAME_WORD}|\s+{NAME_WORD})*)"
)
# Between two events of a sentence: the second is the first's parent ("X, held on the sidelines of the Y").
PART_OF = re.compile(
    r"(?:held |taking place |organi[sz]ed |hosted )?(?:on the (?:sidelines|margins) of|during|as part"
    r" of|within|at)\s+(?:the\s+|a\s+|an\s+)?$"
)
MEMBERSHIP = re.compile(
    r"\b(?:has |have |had )?(?:(?:recently|formally|officially|now|also|already) )?"
    r"(?P<verb>joined|became an? (?P<kind>full member|associate member|member|observer|dialogue partner|candidate)"
    r"(?: state| country)? (?:of|in|to)|was admitted to|(?:was |has been |have been )?granted "
    r"(?P<status>observer|candidate|dialogue partner|associate) status (?:in|at|by|with))\s+(?:the\s+)?"
)
KINDS = {
    "full member": "full_member",
    "associate member": "associate",
    "associate": "associate",
    "member": "member",
    "observer": "observer",
    "dialogue partner": "dialogue_partner",
    "candidate": "candidate",
}
POST = re.compile(
    r"^(?P<title>Head|Chair(?:man|woman|person)?|Director(?:-General)?|Minister|Deputy [\w-]+(?: [\w-]+)?"
    r"|Assistant|Adviser|Advisor|Secretary[- ]General|Spokes(?:person|man|woman)|Ambassador|President)"
    r"(?: to| of| at| for)? (?:the )?(?P<body>.+)$"
)
POST_KINDS = {"Deputy": "deputy", "Assistant": "adviser", "Adviser": "adviser", "Advisor": "adviser"}


@dataclass
class Event:
    name: str
    slug: str  # a known event's slug, else ""
    classification: str
    parent: str = ""  # the enclosing event (slug or name)


def events(sentence, gazetteer, enclosing=""):
    """The events named in `sentence`, outermost first.

    Named events ("the Global Baku Forum", "the Meeting of the OTS Council of Foreign Ministers"), meetings
    of a body ("a meeting of the OSCE Ministerial Council"), visits ("during a visit to Ankara"), interviews
    ("in an interview with Trend News Agency") and unnamed events held at or by someone ("an event … held at
    the Atlantic Council"). An event named right before "on the sidelines of" or "during" another is part of
    it; a panel or an interview is part of the event the sentence names, else of `enclosing`, the event the
    report named last.
    """
    spans = []  # (start, end, Event)
    for match in NAMED_EVENT.finditer(sentence):
        name = match["name"]
        known = gazetteer.lookup(name)
        if known and known[0] == "organization" and not re.search(r"Meeting|Summit|Forum|Conference", name):
            continue
        noun = next((noun for noun in EVENT_NOUNS if re.search(rf"\b{noun}\b", name)), "")
        spans.append(
            (
                match.start("name"),
                match.end("name"),
                Event(name, gazetteer.event(name) or "", EVENT_NOUNS.get(noun, "other")),
            )
        )
    for match in MEETING_OF.finditer(sentence):
        name = f"Meeting of the {match['body'].rstrip('.')}"
        spans.append((match.start(), match.end(), Event(name, gazetteer.event(name) or "", "meeting")))
    for match in VISIT.finditer(sentence):
        kind = match["kind"].strip()
        name = f"{kind.capitalize()} visit to" if kind else "Visit to"
        name = f"{name} {match['place'].rstrip('.')}"
        spans.append((match.start(), match.end(), Event(name, gazetteer.event(name) or "", "meeting")))
    for match in HELD_AT.finditer(sentence):
        if any(start <= match.start() < end for start, end, _ in spans):
            continue
        name = f"{match['noun'].capitalize()} held at the {match['host'].rstrip('.')}"
        spans.append((match.start(), match.end(), Event(name, "", "other")))
    spans.sort(key=lambda span: span[0])
    # One event per stretch of text: a name inside a longer one found by another pattern is that one.
    spans = [span for span in spans if not any(o is not span and o[0] <= span[0] and span[1] <= o[1] for o in spans)]
    for (_, end, inner), (start, _, outer) in itertools.pairwise(spans):
        if PART_OF.search(sentence[end:start]) and not inner.parent:
            inner.parent = outer.slug or outer.name
    found = [event for _, _, event in spans]
    parent = next((e.slug or e.name for e in found if e.classification != "panel"), enclosing)
    for match in INTERVIEW.finditer(sentence):
        outlet = (match["outlet"] or match["told"]).rstrip(".")
        name = f"Interview with {outlet}"
        found.append(Event(name, gazetteer.event(name) or "", "meeting", parent))
    for match in PANEL.finditer(sentence):
        name = match["name"].strip()
        found.append(Event(name, gazetteer.event(name) or "", "panel", parent))
    outermost = [e for e in found if not e.parent]
    return outermost + [e for e in found if e.parent]


def memberships(sentence, published, gazetteer, key):
    """Membership proposals for what `sentence` says someone joined or became a member of."""
    proposals = []
    names = [name for name in gazetteer.find(sentence) if name.kind in ("person", "organization")]
    for match in MEMBERSHIP.finditer(sentence):
        members = [n for n in names if n.end <= match.start() and not sentence[n.end : match.start()].strip(" ,’'s")]
        bodies = [n for n in names if n.start == match.end()]
        if not members or not bodies or members[-1].slug == bodies[0].slug:
            continue
        member, body = members[-1], bodies[0]
        kind = KINDS[match["kind"] or match["status"] or "member"]
        wording = sentence[member.start : body.end]
        when = dates.find(sentence, published)
        proposals.append(
            Proposal(
                key=key("membership", sentence, wording),
                kind="membership",
                text=wording,
                sentence=sentence,
                member=member.slug,
                organization=body.slug,
                membership_kind=kind,
                date=when.date if when else "",
                date_bound=when.bound if when else "",
                date_wording=when.wording if when else "",
                date_relative_to=when.relative_to if when else "",
            )
        )
    return proposals


def posts(person, role, sentence, gazetteer, key):
    """Membership proposals for a person's posts in known bodies, from the role the report gives them:
    'Head of the X and Assistant to the Y', 'Azerbaijani Foreign Minister', 'OSCE Secretary General'."""
    proposals = []
    for post in re.split(r"\s+and\s+(?=[A-Z])", role):
        match = POST.match(post.strip())
        body = _body(match["title"], match["body"], gazetteer) if match else None
        if body:
            title = match["title"].split()[0]
            kind = POST_KINDS.get(title, "head" if title != "Spokesperson" else "staff")
        else:
            body, kind = titled_body(post.strip(), gazetteer)
        if not body:
            continue
        proposals.append(
            Proposal(
                key=key("membership", sentence, post),
                kind="membership",
                text=post.strip(),
                sentence=sentence,
                member=person,
                organization=body,
                membership_kind=kind,
            )
        )
    return proposals


MINISTER = re.compile(
    r"(?:(?P<field1>[A-Z][\w ]*?) Minister\b|Minister of (?P<field2>[A-Z][\w ]*?)(?= of\b|$|,| at\b))"
)
HEAD_WORDS = re.compile(
    r"\b(?:Minister|Secretary[- ]General|Head|Chair(?:man|woman|person)?|President|Director-General"
    r"|Ambassador|Commissioner|High Representative|Executive Secretary|Prime Minister)\b"
)
STAFF_WORDS = re.compile(r"\b(?:Director|Adviser|Advisor|Spokes(?:person|man|woman)|Officer|Counsellor)\b")


def titled_body(role, gazetteer):
    """(slug of the known organization a title names, kind of membership), or (None, ""): "Azerbaijani Foreign
    Minister" -> the Azerbaijani ministry of foreign affairs, head; "OSCE Secretary General" -> the OSCE, head;
    "Director … at Uganda's Ministry of Foreign Affairs" -> that ministry, staff."""
    kind = "deputy" if re.search(r"\bDeputy\b", role) else "head" if HEAD_WORDS.search(role) else ""
    kind = kind or ("staff" if STAFF_WORDS.search(role) else "")
    if not kind:
        return None, ""
    if minister := MINISTER.search(role):
        words = (minister["field1"] or minister["field2"] or "").split()
        # "Azerbaijani Deputy Foreign" -> "Foreign": the longest run of the last words that names a field.
        field = next((FIELDS[" ".join(words[i:])] for i in range(len(words)) if " ".join(words[i:]) in FIELDS), None)
        country = _country(role, gazetteer, DEMONYMS)
        if field and country:
            ministry = gazetteer.ministry(field, country)
            if ministry:
                return ministry, kind
    bodies = [n for n in gazetteer.find(role) if n.kind == "organization"]
    bodies = [n for n in bodies if gazetteer.classifications.get(n.slug) != "state"] or []
    if bodies:
        return bodies[-1].slug, kind
    return None, ""


def _country(role, gazetteer, demonyms):
    """The known state a title belongs to: by its adjective (Azerbaijani), its possessive or its name."""
    for word in re.findall(r"[A-Z][\w’'-]+", role):
        bare = word.removesuffix("’s").removesuffix("'s")
        found = gazetteer.lookup(demonyms.get(bare, bare))
        if found and found[0] == "organization" and gazetteer.classifications.get(found[1]) == "state":
            return found[1]
    return None


def _body(title, body, gazetteer):
    """The known organization a post is in: the body named, or the president's administration."""
    known = gazetteer.lookup(body)
    if known and known[0] == "organization":
        return known[1]
    office = re.match(r"(?:the )?President of (?P<country>.+)$", body)
    if office:
        for name in (f"Presidential Administration of {office['country']}", f"Office of the President of {body}"):
            known = gazetteer.lookup(name)
            if known and known[0] == "organization":
                return known[1]
    minister = re.match(r"(?P<field>Foreign Affairs|Defen[cs]e|Economy|Energy|Finance)(?: of (?P<country>.+))?$", body)
    if title == "Minister" and minister and minister["country"]:
        known = gazetteer.lookup(f"Ministry of {minister['field']} of {minister['country']}")
        if known:
            return known[1]
    return None
