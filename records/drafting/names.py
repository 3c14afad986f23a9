"""The people, organizations and events a report names, found by the same folding as search.

Every known record is looked for under its name, its other names and (for
organizations) its abbreviation, folded as `records.folding.fold` folds them, so
"Hacıyev", "Hajiyev" and "HAJIYEV" are one name. A person is also found by the
last word of a name ("Hajiyev") when no other known person shares it. Matches
are whole words: "UN" is not found in "unit", "D-8" is found in "(D-8)".
"""

import bisect
import functools
import itertools
import re
from dataclasses import dataclass

from records.drafting.vocabulary import DEMONYMS, FIELDS
from records.folding import fold
from records.models import Event, Organization, Person


@dataclass(frozen=True)
class Name:
    kind: str  # "person", "organization" or "event"
    slug: str
    start: int  # in the original text
    end: int


def folded_with_map(text):
    """The folded text and, for each of its characters, the index of the original character it came from."""
    folded, origin = [], []
    for index, char in enumerate(text):
        for piece in fold(char):
            folded.append(piece)
            origin.append(index)
    origin.append(len(text))
    return "".join(folded), origin


WORD = re.compile(r"[\w’'-]+")


def _pattern(names):
    """One pattern of every name, longest first, matched as whole words."""
    alternatives = "|".join(re.escape(name) for name in sorted(names, key=len, reverse=True)) or r"(?!x)x"
    return re.compile(rf"(?<![\w-])(?:{alternatives})(?![\w-])")


class Gazetteer:
    """Every known person, organization and event, by each of its folded names."""

    def __init__(self):
        self.names = {}  # folded name -> (kind, slug)
        self.events = {}  # folded event name or slug -> slug
        self.shown = {}  # slug -> the record's name, for the review page
        self.genders = {}  # person's slug -> "male" / "female", where the records say
        self.classifications = {}  # organization's slug -> its classification
        surnames = {}
        for person in Person.objects.prefetch_related("other_names"):
            self.shown[person.slug] = person.name
            if person.gender.lower() in ("male", "female"):
                self.genders[person.slug] = person.gender.lower()
            for name in [person.name, *(other.name for other in person.other_names.all())]:
                self._add(name, "person", person.slug)
                if len(name.split()) > 1:
                    surnames.setdefault(fold(name.split()[-1]), set()).add(person.slug)
        self.organization_names = {}  # slug -> every name of the organization, folded
        for organization in Organization.objects.prefetch_related("other_names"):
            self.shown[organization.slug] = str(organization)
            self.classifications[organization.slug] = organization.classification
            self.organization_names[organization.slug] = [
                fold(n) for n in [organization.name, *(o.name for o in organization.other_names.all())]
            ]
            names = [organization.name, *(other.name for other in organization.other_names.all())]
            if organization.abbreviation:
                names.append(organization.abbreviation)
            for name in names:
                self._add(name, "organization", organization.slug)
        for surname, slugs in surnames.items():
            if len(slugs) == 1 and surname not in self.names:
                self.names[surname] = ("person", next(iter(slugs)))
        for event in Event.objects.all():
            self.shown.setdefault(event.slug, event.name)
            self.events[fold(event.name)] = event.slug
            self.events[event.slug] = event.slug
        self._compile()

    def _add(self, name, kind, slug):
        folded = fold(name).strip()
        if len(folded) > 1:
            self.names.setdefault(folded, (kind, slug))

    def _compile(self):
        self.pattern = _pattern(self.names)
        self.learned = {}  # folded name the report introduces -> (kind, slug), looked up word by word
        self.longest_learned = 0
        self._found = {}  # text -> the names found in it, until a name is learnt
        self._sorted_names = None  # the records' folded names in order, for lookups by prefix
        self._ministries = {}  # (field, state) -> the ministry, once looked for

    def learn(self, name, kind, slug):
        """Find a name the article introduces (a new person) from here on, with its last word.

        The records' names are one pattern made once. What a report introduces is looked up word by word in
        a dictionary, so that learning a name costs the same however many were learnt before."""
        forms = {" ".join(fold(name).split())}
        if kind == "person" and len(name.split()) > 1:
            forms.add(fold(name.split()[-1]))  # "Mirzoyan" after "Ararat Mirzoyan"
        for folded in forms:
            if len(folded) > 1 and folded not in self.names and folded not in self.learned:
                self.learned[folded] = (kind, slug)
                self.longest_learned = max(self.longest_learned, len(folded.split()))
                self._found.clear()

    def find(self, text):
        """The known names in `text`, in order, longest first where they overlap.

        The reader asks this of each sentence several times (speakers, mentions, events, memberships): the
        answer is kept until the report introduces a name."""
        if text not in self._found:
            self._found[text] = self._find(text)
        return list(self._found[text])

    def _find(self, text):
        folded, origin = folded_with_map(text)
        matches = [(m.start(), m.end(), self.names[m.group()]) for m in self.pattern.finditer(folded)]
        if self.learned:
            words = list(WORD.finditer(folded))
            for index in range(len(words)):
                for length in range(min(self.longest_learned, len(words) - index), 0, -1):
                    run = words[index : index + length]
                    found = self.learned.get(" ".join(word.group() for word in run))
                    if found:
                        matches.append((run[0].start(), run[-1].end(), found))
                        break
            matches.sort(key=lambda match: (match[0], -match[1]))
            kept, end = [], -1
            for match in matches:
                if match[0] >= end:
                    kept.append(match)
                    end = match[1]
            matches = kept
        return [Name(kind, slug, origin[start], origin[stop]) for start, stop, (kind, slug) in matches]

    def lookup_prefix(self, name):
        """(kind, slug) of the one known organization whose name begins with `name` ("the Ministry of Foreign
        Affairs" for "Ministry of Foreign Affairs of the Republic of Azerbaijan"); None when none or several do."""
        folded = fold(name).strip()
        if len(folded.split()) < 2:
            return None
        if self._sorted_names is None:
            self._sorted_names = sorted(self.names)
        prefix, found = folded + " ", set()
        for key in itertools.islice(self._sorted_names, bisect.bisect_left(self._sorted_names, prefix), None):
            if not key.startswith(prefix):
                break
            if self.names[key][0] == "organization":
                found.add(self.names[key])
        return next(iter(found)) if len(found) == 1 else None

    def ministry(self, field, state):
        """The one known government body for `field` ('foreign', 'energy' …) of the state `state` (a slug):
        its names hold the field and one of the state's names or adjectives."""
        if (field, state) not in self._ministries:
            country_names = set(self.organization_names.get(state, []))
            country_names |= {
                fold(adjective) for adjective, country in DEMONYMS.items() if fold(country) in country_names
            }
            found = {
                slug
                for slug, names in self.government_bodies
                if any(field in name and any(c in name for c in country_names) for name in names)
            }
            self._ministries[(field, state)] = next(iter(found)) if len(found) == 1 else None
        return self._ministries[(field, state)]

    @functools.cached_property
    def government_bodies(self):
        return [
            (slug, names)
            for slug, names in self.organization_names.items()
            if self.classifications.get(slug) == "government_body"
        ]

    def ministry_named(self, name):
        """The one known ministry a report names by its country and field: "Russia's Foreign Ministry", "the
        Azerbaijani Energy Ministry"; None when the records hold no such ministry, or several."""
        words = re.findall(r"[A-Z][\w’'-]+", name)
        field = next((FIELDS[word] for word in words if word in FIELDS), None)
        for word in words:
            bare = word.removesuffix("’s").removesuffix("'s")
            state = self.lookup(DEMONYMS.get(bare, bare))
            if field and state and state[0] == "organization" and self.classifications.get(state[1]) == "state":
                return self.ministry(field, state[1])
        return None

    def name_of(self, slug):
        """A known record's name by its slug; None for a name the report introduces (it is its own name)."""
        return self.shown.get(slug)

    def gender(self, slug):
        return self.genders.get(slug, "")

    def lookup(self, name):
        """(kind, slug) of a known person or organization by one of its names, else None."""
        folded = fold(name).strip()
        return self.names.get(folded) or self.learned.get(folded)

    def event(self, name):
        """The slug of a known event by its name, else None."""
        return self.events.get(fold(name).strip())
