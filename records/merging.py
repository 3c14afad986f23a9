"""Merging two records of one person, or of one organization, into one.

Real data has duplicates: the same minister twice in one source file, a state
under two spellings. A merge keeps one record and moves everything that
points at the other to it: memberships, posts, statements, mentions,
participations, sources' authors and publishers, sub-organizations, other
names and identifiers. Where the move would make two rows say the same
thing (both records mentioned by one statement, the same post held by
both), the two are folded into one and the citations of the folded
membership move with it. The other record's name becomes an other name of
the kept one, its slug a former address that redirects, and both histories
say what happened.

What the two records disagree on (two birth dates, two Wikidata
identifiers) is a conflict: the merge is refused until the reviewer chooses
which value stands. What a merge cannot express (a state that was a member
of the body it merges with) is a blocker: the reviewer changes the records
first.
"""

from dataclasses import dataclass

from django.db import transaction
from django.db.models import UniqueConstraint
from simple_history.utils import bulk_update_with_history

from .models import (
    Citation,
    EventParticipant,
    FormerSlug,
    Identifier,
    Link,
    Membership,
    Organization,
    OrganizationMention,
    OtherName,
    Person,
    PersonMention,
    Post,
    Source,
    Statement,
)

# Every foreign key that points at a person or an organization. A test checks
# this against the models, so that a new one cannot be forgotten here.
REFERENCES = {
    Person: [
        (Membership, "member_person"),
        (Statement, "speaker_person"),
        (PersonMention, "person"),
        (EventParticipant, "person"),
        (Source, "author"),
        (OtherName, "person"),
        (Identifier, "person"),
        (Link, "person"),
        (FormerSlug, "person"),
    ],
    Organization: [
        (Membership, "member_organization"),
        (Membership, "organization"),
        (Post, "organization"),
        (Statement, "speaker_organization"),
        (OrganizationMention, "organization"),
        (EventParticipant, "organization"),
        (Source, "publisher"),
        (OtherName, "organization"),
        (Identifier, "organization"),
        (Link, "organization"),
        (FormerSlug, "organization"),
        (Organization, "parent"),
    ],
}

# The fields a reviewer settles when both records hold different values.
FIELDS = {
    Person: ["summary", "birth_date", "death_date", "status"],
    Organization: [
        "abbreviation",
        "classification",
        "parent",
        "summary",
        "founding_date",
        "dissolution_date",
        "status",
    ],
}


@dataclass(frozen=True)
class Conflict:
    key: str  # a field name, or "identifier:<scheme>"
    label: str
    kept: str
    other: str


def conflicts(kept, other):
    """Where the two records disagree, each to be settled by choosing one side."""
    found = []
    for name in FIELDS[type(kept)]:
        mine, theirs = getattr(kept, name), getattr(other, name)
        if mine not in (None, "") and theirs not in (None, "") and mine != theirs:
            label = type(kept)._meta.get_field(name).verbose_name
            found.append(Conflict(name, label, _shown(kept, name), _shown(other, name)))
    mine = {identifier.scheme: identifier.value for identifier in kept.identifiers.all()}
    for identifier in other.identifiers.all():
        if identifier.scheme in mine and mine[identifier.scheme] != identifier.value:
            key, label = f"identifier:{identifier.scheme}", f"{identifier.scheme} identifier"
            found.append(Conflict(key, label, mine[identifier.scheme], identifier.value))
    return found


def _shown(record, name):
    display = getattr(record, f"get_{name}_display", None)
    return str(display() if display else getattr(record, name))


def blockers(kept, other):
    """Why these two cannot be merged as they stand, in words a reviewer can act on."""
    if type(kept) is not type(other):
        return ["Only two people, or two organizations, can be merged."]
    if kept.pk == other.pk:
        return ["Choose two different records."]
    if not isinstance(kept, Organization):
        return []
    found = []
    between = Membership.objects.filter(member_organization=kept, organization=other) | Membership.objects.filter(
        member_organization=other, organization=kept
    )
    for membership in between.select_related("member_organization", "organization"):
        found.append(
            f"“{membership.member}” is a member of “{membership.organization}”: merged, it would be a member of "
            "itself. Delete or change that membership first."
        )
    for descendant, ancestor in ((kept, other), (other, kept)):
        if _is_ancestor(ancestor, descendant):
            found.append(
                f"“{descendant}” is part of “{ancestor}”: merged, the organization would be part of itself. "
                "Change its parent first."
            )
    return found


def _is_ancestor(ancestor, record):
    seen = set()
    while record.parent_id is not None and record.parent_id not in seen:
        if record.parent_id == ancestor.pk:
            return True
        seen.add(record.parent_id)
        record = record.parent
    return False


def moves(other):
    """What points at the record to merge away, by kind, for the confirmation page."""
    counted = []
    for model, field in REFERENCES[type(other)]:
        count = model._base_manager.filter(**{field: other}).count()
        if count:
            noun = model._meta.verbose_name if count == 1 else model._meta.verbose_name_plural
            counted.append((f"{noun} ({field.replace('_', ' ')})", count))
    return counted


@transaction.atomic
def merge(kept, other, choices=None, user=None):
    """Merge `other` into `kept`; `choices` settles each conflict: {key: "kept" or "other"}.

    Raises ValueError, naming the problem, for a blocker or an unsettled conflict.
    """
    choices = choices or {}
    problems = blockers(kept, other)
    unsettled = [found.label for found in conflicts(kept, other) if choices.get(found.key) not in ("kept", "other")]
    if unsettled:
        problems.append(f"Choose which value to keep for: {', '.join(unsettled)}.")
    if problems:
        raise ValueError(" ".join(problems))

    model = type(kept)
    reason = f"Moved from “{other}” ({other.slug}) when it was merged into “{kept}” ({kept.slug})"
    # Identifiers the reviewer chose against go first, so that the rest can move.
    for key, side in choices.items():
        if key.startswith("identifier:"):
            scheme = key.split(":", 1)[1]
            loser = other if side == "kept" else kept
            for identifier in loser.identifiers.filter(scheme=scheme):
                identifier._change_reason = f"Dropped when “{other}” was merged into “{kept}”: the other value was kept"
                identifier.delete()
    for related, field in REFERENCES[model]:
        _move(related, field, other, kept, reason, user)

    for name in FIELDS[model]:
        mine, theirs = getattr(kept, name), getattr(other, name)
        if (mine in (None, "") and theirs not in (None, "")) or choices.get(name) == "other":
            setattr(kept, name, theirs)
    if not OtherName.objects.filter(**{model._meta.model_name: kept}, name=other.name, language="").exists() and (
        other.name != kept.name
    ):
        OtherName(**{model._meta.model_name: kept}, name=other.name, note="name of a merged record").save()
    FormerSlug.objects.update_or_create(
        **{"slug": other.slug, f"{model._meta.model_name}__isnull": False}, defaults={model._meta.model_name: kept}
    )

    other._change_reason = f"Merged into “{kept}” ({kept.slug})"
    other_label = f"“{other}” ({other.slug})"
    other.delete()
    kept._change_reason = f"Merged {other_label} into this record"
    kept.save()


def _move(model, field, old, new, reason, user):
    """Point every `model` row from `old` to `new`, folding rows that would then say the same thing."""
    rows = list(model._base_manager.filter(**{field: old}))
    moved = []
    for row in rows:
        setattr(row, field, new)
        twin = _twin(row, field)
        if twin is None:
            moved.append(row)
        else:
            _fold(row, twin, reason)
    if moved and hasattr(model, "history"):
        bulk_update_with_history(moved, model, [field], default_user=user, default_change_reason=reason)
    elif moved:
        model._default_manager.bulk_update(moved, [field])


def _twin(row, field):
    """The row that `row` would duplicate under a unique constraint once moved, if any."""
    model = type(row)
    for constraint in model._meta.constraints:
        if not isinstance(constraint, UniqueConstraint) or field not in constraint.fields or constraint.condition:
            continue
        values = {name: getattr(row, name) for name in constraint.fields}
        if any(value is None for value in values.values()):
            continue  # NULL never collides
        twin = model._base_manager.filter(**values).exclude(pk=row.pk).first()
        if twin is not None:
            return twin
    return None


def _fold(row, twin, reason):
    """`row` says what `twin` says already: keep the twin, with what only the row had."""
    if isinstance(row, Membership):
        for citation in Citation.objects.filter(membership=row):
            citation.membership = twin
            citation._change_reason = reason
            citation.save()
    if isinstance(row, EventParticipant) and row.note and not twin.note:
        twin.note = row.note
        twin._change_reason = reason
        twin.save()
    stored = type(row)._base_manager.get(pk=row.pk)  # as stored: its history shows what it was
    stored._change_reason = f"Folded into an identical row. {reason}"
    stored.delete()
