"""How close the proposals for an article come to the records an editor made by hand.

`expected` is a dict: `statements` (kind, text, speaker, mentions, optional
date and date_wording), `events` (name, parent), `memberships` (member,
organization, kind, optional date and date_wording) and `new` (names of
people and organizations that should be proposed as new). Speakers,
members and mentions are slugs of known records, or the new name.

A proposed statement recovers an expected one of the same kind when their
texts, folded, are alike (difflib ratio at least 0.8) or one contains the
other; each proposal recovers at most one expected statement. A proposal that
recovers nothing expected is wrong.
"""

import difflib

from records.folding import fold

SIMILAR = 0.8


def similarity(a, b):
    a, b = fold(a).strip(), fold(b).strip()
    if a and b and (a in b or b in a):
        return 1.0
    return difflib.SequenceMatcher(None, a, b, autojunk=False).ratio()


def measure(proposals, expected):
    """Counts per category: (recovered, expected), and the wrong proposals."""
    statements = [p for p in proposals if p.kind in ("quote", "paraphrase")]
    used, pairs = set(), []
    for wanted in expected.get("statements", []):
        scored = [
            (similarity(wanted["text"], p.text), index)
            for index, p in enumerate(statements)
            if index not in used and p.kind == wanted["kind"]
        ]
        best = max(scored, default=(0, None))
        if best[0] >= SIMILAR:
            used.add(best[1])
            pairs.append((wanted, statements[best[1]]))
    wanted_quotes = [s for s in expected.get("statements", []) if s["kind"] == "quote"]
    quotes = sum(1 for w, p in pairs if w["kind"] == "quote" and p.text == w["text"] and p.speaker == w["speaker"])
    speakers = sum(1 for w, p in pairs if p.speaker == w["speaker"])
    # A wrong speaker puts words in someone's mouth; "speaker unknown" ("") is a miss, not a wrong speaker.
    wrong_speakers = sum(1 for w, p in pairs if p.speaker and p.speaker != w["speaker"])
    mentions_expected = sum(len(w["mentions"]) for w in expected.get("statements", []))
    mentions_found = sum(len(set(w["mentions"]) & set(p.mentions)) for w, p in pairs)
    mentions_wrong = sum(len(set(p.mentions) - set(w["mentions"])) for w, p in pairs)
    dated = [w for w in expected.get("statements", []) if w.get("date_wording")]
    dates = sum(
        1
        for w, p in pairs
        if w.get("date_wording") and p.date_wording.lower() == w["date_wording"].lower() and p.date == w["date"]
    )

    events = [p for p in proposals if p.kind == "event"]
    event_hits = {
        index
        for index, p in enumerate(events)
        for e in expected.get("events", [])
        if similarity(p.text, e["name"]) >= SIMILAR and _same_parent(p.event, e.get("parent", ""))
    }
    memberships = [p for p in proposals if p.kind == "membership"]
    membership_hits = {
        index
        for index, p in enumerate(memberships)
        for m in expected.get("memberships", [])
        if (p.member, p.organization, p.membership_kind) == (m["member"], m["organization"], m["kind"])
        and p.date == m.get("date", "")
    }
    actors = [p for p in proposals if p.kind in ("person", "organization")]
    actor_hits = {index for index, p in enumerate(actors) if p.text in expected.get("new", [])}

    wrong = (
        (len(statements) - len(pairs))
        + (len(events) - len(event_hits))
        + (len(memberships) - len(membership_hits))
        + (len(actors) - len(actor_hits))
    )
    return {
        "statements": (len(pairs), len(expected.get("statements", []))),
        "quotes verbatim, right speaker": (quotes, len(wanted_quotes)),
        "speakers": (speakers, len(pairs)),
        "wrong speakers": wrong_speakers,
        "mentions": (mentions_found, mentions_expected),
        "mentions wrongly added": mentions_wrong,
        "statement dates from wording": (dates, len(dated)),
        "events": (len(event_hits), len(expected.get("events", []))),
        "memberships": (len(membership_hits), len(expected.get("memberships", []))),
        "new people and organizations": (len(actor_hits), len(expected.get("new", []))),
        "proposals": len(proposals),
        "wrong proposals": wrong,
    }


def _same_parent(found, wanted):
    return (not found and not wanted) or bool(found and wanted and similarity(found, wanted) >= SIMILAR)


def table(figures):
    """The figures as a Markdown table."""
    rows = ["| | recovered / expected |", "| --- | --- |"]
    for name, value in figures.items():
        shown = f"{value[0]} / {value[1]}" if isinstance(value, tuple) else str(value)
        rows.append(f"| {name} | {shown} |")
    return "\n".join(rows)
