"""The shape of a news report: its header lines, paragraphs, sentences and the quotations inside them.

A report starts with a few short lines (headline, date line, byline) before
its paragraphs. Sentences are split at a full stop, question or exclamation
mark followed by a capital or an opening quotation mark, but never inside a
quotation: “We act. Others wait,” he said. is one sentence.
"""

import re
from dataclasses import dataclass

OPENING = {"“": "”", "«": "»", '"': '"', "„": "“"}
MONTHS = "January|February|March|April|May|June|July|August|September|October|November|December"
DATE_LINE = re.compile(
    rf"^(?:\w+day,? )?(?:\d{{1,2}} (?:{MONTHS})|(?:{MONTHS}) \d{{1,2}},?) \d{{4}}\b|^\d{{4}}-\d{{2}}-\d{{2}}\b"
)
BYLINE = re.compile(r"^by\s+(?P<name>[^,|\n]+?)(?:\s*(?:,|\||\bfor\b|\bin\b).*)?$", re.IGNORECASE)
LONE_NAME = re.compile(r"^[A-Z][\w’'.-]+(?: [A-Z][\w’'.-]+){1,3}$")
# Words that end with a full stop without ending a sentence.
ABBREVIATIONS = {"mr", "mrs", "ms", "dr", "prof", "st", "gen", "col", "lt", "sen", "rep", "amb", "no", "vs", "etc"}


# Bylines that name a desk or an outlet, not a person: "By Staff Reporter", "By Trend", "By AFP".
NOT_A_PERSON = re.compile(
    r"\b(?:staff|reporter|correspondent|desk|editor|editorial|bureau|team|agency|news|service|press|online|wire"
    r"|writers?|contributors?)\b",
    re.IGNORECASE,
)


def personal_name(name):
    """Whether a byline names a person: two to four capitalized words, none of them a desk's or an outlet's."""
    words = name.split()
    return 2 <= len(words) <= 4 and all(w[:1].isupper() for w in words) and not NOT_A_PERSON.search(name)


@dataclass
class Header:
    title: str = ""
    date_line: str = ""
    author: str = ""


def split_header(text):
    """The header lines (title, date line, byline) and the body's paragraphs."""
    lines = [line.strip() for line in text.replace("\r\n", "\n").split("\n")]
    paragraphs = [line for line in lines if line]
    header = Header()
    body_start = 0
    for index, line in enumerate(paragraphs[:4]):
        if DATE_LINE.match(line) and not header.date_line:
            header.date_line = line
        elif (match := BYLINE.match(line)) and len(line) < 80:
            header.author = match["name"].strip() if personal_name(match["name"].strip()) else ""
        elif LONE_NAME.match(line) and not header.author and index > 0:
            header.author = line
        elif index == 0 and not line.endswith((".", "”", '"', "»")) and len(line.split()) <= 25:
            header.title = line
        else:
            break
        body_start = index + 1
    return header, paragraphs[body_start:]


def quote_spans(text):
    """(start, end) of each quotation in `text`, marks included; an unclosed quotation runs to the end."""
    spans, index = [], 0
    while index < len(text):
        char = text[index]
        if char in OPENING and _opens(text, index):
            closing = OPENING[char]
            end = text.find(closing, index + 1)
            end = len(text) - 1 if end < 0 else end
            spans.append((index, end + 1))
            index = end + 1
        else:
            index += 1
    return spans


def _opens(text, index):
    """A straight double quote opens a quotation at the start or after a space or opening bracket."""
    if text[index] != '"':
        return True
    return index == 0 or text[index - 1] in " (\u00a0—–-:"


def split_sentences(paragraph):
    """The paragraph's sentences, each a slice of it; quotations are never split."""
    spans = quote_spans(paragraph)
    sentences, start = [], 0
    for match in re.finditer(r"[.!?][”\"»’)]*(?=\s+[“\"«A-Z0-9(])", paragraph):
        end = match.end()
        if any(s < match.start() < e - 1 for s, e in spans):
            continue
        if match.group()[0] == "." and _abbreviation_before(paragraph, match.start()):
            continue
        sentences.append(paragraph[start:end].strip())
        start = end
    rest = paragraph[start:].strip()
    if rest:
        sentences.append(rest)
    return sentences


def _abbreviation_before(text, index):
    word = re.search(r"(\w+)$", text[:index])
    if not word:
        return False
    return word.group(1).lower() in ABBREVIATIONS or len(word.group(1)) == 1
