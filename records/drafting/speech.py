"""Reported speech in one sentence: who speaks, in what role, and what they are reported to say.

Reports attribute speech in a few set shapes, which are read here:

- "Hikmet Hajiyev, Assistant to the President …, said (that) X" (a name, a role between commas);
- "He added that X", "Hajiyev also noted X" (a pronoun or a known short name);
- "Another example, Hajiyev said, is X" (an attribution inside the sentence);
- "According to him, X" and "X, said Pyotr Ivanov";
- "He pointed to X as Y" and "he described X as Y" (read as "X is Y").

Names are the gazetteer's known names or, failing that, two to four
capitalized words (a new person, or a new organization when the last word says
so: "Ministry", "Council" …).
"""

import re
from dataclasses import dataclass

from records.drafting.dates import RELATIVE
from records.drafting.vocabulary import COUNTRIES, DEMONYMS

SPEECH_VERBS = (
    r"said|says|noted|notes|stressed|stresses|emphasi[sz]ed|emphasi[sz]es|added|adds|explained|explains"
    r"|highlighted|highlights|described|pointed to|pointed out|underlined|underscored|stated|remarked"
    r"|told (?:reporters|journalists|(?:the )?[A-Z][\w’'&-]*(?:\s+[A-Z][\w’'&-]*)*|the \w+|\w+)(?: in an interview)?"
    r"|(?:informed|assured|reminded|briefed|told) (?:the |his |her |their )?[\w’'-]+(?: [\w’'-]+){0,4}(?= that\b)"
    r"|recalled|warned|urged|announced|reiterated|insisted|argued|replied|responded|answered|confirmed|claimed"
    r"|observed|asserted|declared|affirmed|cautioned|acknowledged|maintained|reaffirmed|proposed|suggested"
    r"|(?:opened|began|started|concluded|ended|closed) by saying|(?<=, )saying"
)
VERB = re.compile(
    rf"\b(?:(?:had|has|have|would|will|also|further|later|then|again|repeatedly) )*(?P<verb>{SPEECH_VERBS})\b"
)
# "responded to X's statements", "replied to the question": what is answered, not what is said.
ANSWERED = re.compile(r"^\s*(?:also\s+)?to\b")
PRONOUN = re.compile(r"\b(?P<pronoun>he|she|they|it|He|She|They|It)\s*$")
ACCORDING_AFTER = re.compile(r"^(?P<claim>.{20,}?),\s+according to (?P<who>[^,.]+)[.]?$", re.DOTALL)
ACCORDING = re.compile(r"^(?P<lead>.*?)\bAccording to (?P<who>him|her|them|[^,]+),\s*", re.DOTALL)
CAPITALIZED = r"[A-Z][\w’'.-]*"
NEW_NAME = re.compile(
    rf"(?<![\w’'-])(?:(?P<the>[Tt]he)\s+)?(?P<name>{CAPITALIZED}(?:\s+(?:{CAPITALIZED}|de|van|von|al|bin|el|of|for|the)){{1,6}})"
    r"(?P<role>,[^,]+(?:,[^,]+)*?,)?\s*$"
)
ORGANIZATION_WORDS = re.compile(
    r"\b(?:Ministry|Organi[sz]ation|Council|Union|Government|Office|Department|Commission|Secretariat|Agency"
    r"|Bank|Fund|Committee|Parliament|Assembly|Embassy|Service)\b"
)
NOT_NAMES = {"The", "This", "That", "These", "Despite", "However", "Another", "In", "At", "On", "As", "For"}
REPORTED_BY = re.compile(r"^(?:As (?:reported|cited|quoted) by [^,]+|As [^,]+ reports?),\s*")
AS_PHRASE = re.compile(r"^(?P<x>.+?) as (?P<y>(?:a|an|the|one)\b.*)$", re.DOTALL)


# Words of a title written before a name: "Azerbaijani Foreign Minister Jeyhun Bayramov", "UN Secretary-General …".
_TITLES = (
    "Administration Department Affairs Republic Policy Office Division Centre Center Service Cabinet Mission"
    " Delegation Government Regional Preventive Diplomacy State States United National Federal Kingdom Union"
    " Minister Foreign Prime Deputy President Vice Secretary Secretary-General General Ambassador Envoy Special"
    " Representative High Spokesperson Spokesman Spokeswoman Chairman Chairwoman Chair Head Director"
    " Director-General Assistant Adviser Advisor Senior Chief Commissioner Speaker Chancellor Emir Sheikh Defence"
    " Defense Interior Economy Energy Finance Trade Affairs Permanent Executive Acting First Presidential Former"
    " Parliamentary Mayor Governor Senator Lawmaker Analyst Professor Dr Dr. Mr Mr. Mrs Mrs. Ms Ms. H.E. Presidential"
    " Foreign-Policy"
    " Economic Political Military Security Climate Commission Council Ministry"
)
TITLE_WORDS = frozenset(_TITLES.split())


def title_word(word, gazetteer=None):
    """Whether a capitalized word belongs to a title before a name rather than to the name."""
    bare = word.removesuffix("’s").removesuffix("'s")
    if word in TITLE_WORDS or bare in DEMONYMS or bare in COUNTRIES or bare != word:
        return True
    known = gazetteer.lookup(bare) if gazetteer is not None else None
    return bool(known and known[0] == "organization")


CONNECTORS = {"of", "the", "and", "for", "to", "on", "in", "at"}
HONORIFICS = {"Mr", "Mr.", "Mrs", "Mrs.", "Ms", "Ms.", "Dr", "Dr.", "H.E."}


def split_title(name, gazetteer=None):
    """("Armenian Foreign Minister", "Ararat Mirzoyan") from "Armenian Foreign Minister Ararat Mirzoyan";
    ("", name) when the words before the name are no title. The name is the last two or three words that
    belong to no title; a title starts with a title word, a country's adjective or a known organization."""
    words = name.split()
    start = len(words)
    while start > 0 and len(words) - start < 3:
        word = words[start - 1]
        if word in CONNECTORS or title_word(word, gazetteer):
            break
        start -= 1
    if start == 0 or len(words) - start < 2 or not title_word(words[0], gazetteer):
        return "", name
    # "Mr." and "Dr." come off the name but are no role.
    return " ".join(word for word in words[:start] if word not in HONORIFICS), " ".join(words[start:])


def title_before(text, gazetteer=None):
    """The title that ends `text` just before a name: 'Head of the Foreign Policy Affairs Department' of
    '…, Head of the Foreign Policy Affairs Department Hikmet Hajiyev'; '' when the words before are no title."""
    words = text.split()
    count = 0
    while count < len(words):
        word = words[len(words) - 1 - count]
        ends_clause = word.endswith((",", ":", ";")) or (word.endswith(".") and "." not in word[:-1])
        if ends_clause or not (word in CONNECTORS or title_word(word, gazetteer)):
            break
        count += 1
    title = words[len(words) - count :]
    while title and title[0] in CONNECTORS:
        title = title[1:]
    return " ".join(title)


def title_like(role):
    """Whether words given as someone's role read as a title ("Armenia's Foreign Minister", "a transport
    economist at ADA University"), not as a clause the pattern caught ("the minister noted that …")."""
    words = role.split()
    if not words or len(words) > 20 or re.search(r"\b(?:said|noted|stressed|told|added|that)\b", role):
        return False
    first = words[1] if words[0].lower() in ("a", "an", "the") and len(words) > 1 else words[0]
    return first[:1].isupper() or words[0].lower() in ("a", "an")


def trim_titles(lead, gazetteer=None):
    """A claim without the speaker's titles that end it: "X, Assistant to the President of Azerbaijan" -> "X"."""
    while "," in lead:
        head, last = lead.rsplit(",", 1)
        words = last.split()
        if not words or not title_word(words[0], gazetteer) or title_before(last, gazetteer) != last.strip():
            break
        lead = head
    return lead


@dataclass
class Speaker:
    kind: str  # "person", "organization", "pronoun"
    slug: str = ""  # a known record's slug
    name: str = ""  # a new name as the article gives it
    role: str = ""
    pronoun: str = ""  # the pronoun the report uses, for a "pronoun" speaker


@dataclass
class Reported:
    speaker: Speaker
    content: str  # what is reported, as a sentence of its own
    attribution: str  # the words around the content: where a date of the speech would be


def reported(sentence, gazetteer):
    """The reported speech in `sentence` (quotations masked), or None when it reports none."""
    sentence = REPORTED_BY.sub("", sentence)
    if match := ACCORDING.match(sentence):
        speaker = _who(match["who"].strip(), gazetteer)
        rest = sentence[match.end() :]
        inner = reported(rest, gazetteer) if speaker and speaker.kind == "definite" else None
        if inner and inner.speaker.kind in ("person", "organization"):
            return inner  # "According to the statement, Minister Saidov informed … that X": Saidov's words
        if speaker:
            return Reported(speaker, _sentence_case(rest), match["lead"])
    if match := ACCORDING_AFTER.match(sentence):
        speaker = _who(match["who"].strip(), gazetteer)
        if speaker:
            return Reported(speaker, _sentence_case(match["claim"].strip(" ,") + "."), match["who"])
    for verb in VERB.finditer(sentence):
        before, after = sentence[: verb.start()].rstrip(), sentence[verb.end() :]
        speaker, subject_start = _subject(before, gazetteer)
        if speaker is None:
            speaker, after = _inverted_subject(after, gazetteer)
            subject_start = len(before)
        if speaker is None:
            continue
        if verb["verb"] in ("responded", "replied", "answered") and ANSWERED.match(after):
            continue  # narration of an exchange: what was said, if anything, comes in another sentence
        lead = trim_titles(before[:subject_start].rstrip(" ,"), gazetteer)
        claim_first = _claim_first(lead + ",", after) if before[:subject_start].rstrip().endswith(",") else False
        if (after.strip(" .") == "" and lead) or claim_first:
            content = f"{lead}."
            attribution = sentence[subject_start:]
        elif after.startswith(",") and lead:
            content = f"{lead} {after.lstrip(' ,')}"
            attribution = sentence[subject_start : verb.end()]
        else:
            medium = STATEMENT_MEDIUM.match(after)
            content = after[medium.end() :]
            attribution = sentence[: verb.end()] + after[: medium.end()].removesuffix("that ").rstrip()
            content, when = _leading_time(content)
            attribution += when
        if verb["verb"] in ("pointed to", "described") and (parts := AS_PHRASE.match(content)):
            content = f"{parts['x']} is {parts['y']}"
        return Reported(speaker, _sentence_case(content), attribution)
    return None


DEFINITE = re.compile(
    r"(?i:\b(?P<the>the)\s+(?P<noun>(?:foreign |defen[cs]e )?ministry|minister|secretariat|organi[sz]ation|embassy"
    r"|president|spokes(?:person|man|woman)|press service(?: of the \w+)?|presidential administration"
    r"|foreign ministry|secretary-general|secretary general|ambassador|delegation|government|council|commission"
    r"|statement))\s*$"
)
# Someone the report does not name: "a senior Central Asian diplomat", "one official".
ANONYMOUS = re.compile(
    r"(?:^|(?<=[\s,]))(?P<who>(?i:an?|one|another|some) (?:[\w-]+ ){0,4}?(?i:diplomat|official|source|analyst"
    r"|expert|observer|delegate|adviser|advisor|representative|participant|lawmaker|member of parliament)s?"
    r"(?:,[^,]*,)?)\s*$"
)
# How a statement was made, between the verb and what was said: "said in a statement that …".
STATEMENT_MEDIUM = re.compile(
    r"^\s*(?:(?:in (?:a|an|its|his|her|the) (?:written |joint )?(?:statement|press release|message|communiqu[ée]"
    r"|note|letter|post|interview)(?: [^,]{0,60}?)?|on (?:its|his|her) (?:website|X account|Telegram channel)),?\s+)?"
    r"(?:that,?\s+)?"
)


def _subject(before, gazetteer):
    """The speaker whose words end `before` (the text ahead of a speech verb), and where it starts."""
    if match := PRONOUN.search(before):
        return Speaker("pronoun", pronoun=match["pronoun"]), match.start()
    if match := DEFINITE.search(before):
        # "the ministry said": whom it stands for is the reader's to say, from what the report named before.
        return Speaker("definite", name=match["noun"].lower()), match.start()
    if match := ANONYMOUS.search(before):
        return Speaker("anonymous", name=match["who"].strip(" ,")), match.start()
    names = [name for name in gazetteer.find(before) if name.kind in ("person", "organization")]
    if names and before[names[-1].end :].strip() in ("", "’s", "'s", ")"):
        last = names[-1]
        if last.kind == "person":
            # "Azerbaijani Foreign Minister Jeyhun Bayramov said": the title before the name is the role.
            role = title_before(before[: last.start], gazetteer)
            start = before.rfind(role, 0, last.start) if role else last.start
            return Speaker("person", slug=last.slug, role=role), start
    new = NEW_NAME.search(before)
    titled = split_title(new["name"], gazetteer) if new else ("", "")
    if new and ORGANIZATION_WORDS.search(new["name"]) and not new["role"] and titled[1] == new["name"]:
        # "The Ministry of Foreign Affairs of Egypt said": a body named after a known one.
        known = gazetteer.lookup(new["name"]) or gazetteer.lookup_prefix(new["name"])
        if known:
            return Speaker(known[0], slug=known[1]), new.start()
        if ministry := gazetteer.ministry_named(new["name"]):
            return Speaker("organization", slug=ministry), new.start()  # "Russia's Foreign Ministry said"
        return Speaker("organization", name=new["name"]), new.start()
    if names and before[names[-1].end :].strip() in ("", "’s", "'s", ")"):
        last = names[-1]
        return Speaker(last.kind, slug=last.slug), last.start
    if before.endswith(","):
        for name in names:
            if before[name.end :].startswith(",") and name.kind == "person":
                role = before[name.end :].strip(" ,")
                if not role and (ahead := re.match(r"^(?:The\s+)?(?P<role>[^,]{3,80}),\s*$", before[: name.start])):
                    role = ahead["role"]  # "The D-8 Secretary-General, Isiaka Abdulqadir Imam, said"
                return Speaker("person", slug=name.slug, role=role), name.start
    if new and new["name"].split()[0] not in NOT_NAMES and not new["the"]:
        name = re.sub(r"\s+(?:of|for|the)$", "", new["name"])
        role = (new["role"] or "").strip(" ,")
        title, bare = split_title(name, gazetteer)
        if bare != name:
            return Speaker("person", name=bare, role=role or title), new.start()
        kind = "organization" if ORGANIZATION_WORDS.search(name) else "person"
        return Speaker(kind, name=name, role=role), new.start()
    return None, 0


def _inverted_subject(after, gazetteer):
    """'…, said Hajiyev' or '…, said Pyotr Ivanov, Russia’s deputy foreign minister.'"""
    text = after.lstrip()
    names = gazetteer.find(text)
    if names and names[0].start == 0 and names[0].kind in ("person", "organization"):
        rest = text[names[0].end :]
        role = rest.strip(" ,.") if rest.startswith(",") else ""
        return Speaker(names[0].kind, slug=names[0].slug, role=role), ""
    match = re.match(rf"(?P<name>{CAPITALIZED}(?:\s+{CAPITALIZED}){{1,3}})(?P<rest>,[^.]*)?[.]?$", text)
    if match:
        kind = "organization" if ORGANIZATION_WORDS.search(match["name"]) else "person"
        return Speaker(kind, name=match["name"], role=(match["rest"] or "").strip(" ,.")), ""
    return None, after


def _who(who, gazetteer):
    if who in ("him", "her", "them", "it"):
        return Speaker("pronoun", pronoun=who)
    if match := DEFINITE.fullmatch(who) or DEFINITE.fullmatch(f"the {who}"):
        return Speaker("definite", name=match["noun"].lower())
    who = re.sub(r"^the\s+", "", who, flags=re.IGNORECASE)
    known = gazetteer.lookup(who) or gazetteer.lookup_prefix(who)
    if known:
        return Speaker(known[0], slug=known[1])
    if re.fullmatch(rf"{CAPITALIZED}(?:\s+{CAPITALIZED}){{1,3}}", who):
        return Speaker("organization" if ORGANIZATION_WORDS.search(who) else "person", name=who)
    return None


TIME_AT_START = re.compile(rf"^\s*(?:{RELATIVE.pattern}),?\s*(?:that\s+)?", re.IGNORECASE)
# What follows a speech verb when the claim came before it: the circumstances of the speech.
CIRCUMSTANCES = re.compile(
    r"^[\s,]*(?:during|at|in|on|while|when|after|before|following|speaking|addressing|as|ahead|last|this|earlier"
    r"|yesterday|today|late|to|from|via|through)\b",
    re.IGNORECASE,
)
# A lead that sets the scene ("Speaking at the forum, X said …") rather than stating the claim.
SCENE = re.compile(
    r"^(?:Speaking|Addressing|In|At|During|On|After|Before|Earlier|Later|Asked|Commenting|Referring|Responding"
    r"|Meanwhile|Separately|Also|Elsewhere|Today|Yesterday|Last|This|Following|Ahead|As|When|While)\b"
)


def _claim_first(lead, after):
    """Whether the words before the speaker are what is said: "X, Hajiyev said during the event." """
    lead = lead.strip()
    if not lead.endswith(",") or len(lead.split()) < 4 or SCENE.match(lead) or lead.startswith(("“", '"', "«")):
        return False
    return after.strip(" .") == "" or (bool(CIRCUMSTANCES.match(after)) and not re.search(r"\bthat\b", after))


def _leading_time(content):
    """'on Tuesday that X' -> ('X', ' on Tuesday'): the time of the speech, not of what is said."""
    match = TIME_AT_START.match(content)
    if not match:
        return content, ""
    return content[match.end() :], " " + match.group(0).strip().removesuffix("that").strip(" ,")


def _sentence_case(text):
    text = text.strip()
    return text[:1].upper() + text[1:] if text else text
