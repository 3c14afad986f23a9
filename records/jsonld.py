"""schema.org descriptions of the public records, embedded in their pages as JSON-LD.

A related record appears only when the public may see it (records/visibility.py): a draft is never named
or linked here either.
"""

from .visibility import public_url

CONTEXT = "https://schema.org"


def _url(request, record):
    return request.build_absolute_uri(record.get_absolute_url())


def _same_as(identifiers):
    return [f"https://www.wikidata.org/wiki/{i.value}" for i in identifiers if i.scheme == "wikidata"]


def _ref(request, record, kind):
    """A reference to a related record, or None when the public may not see it."""
    url = public_url(record)
    if url is None:
        return None
    return {"@type": kind, "name": str(record.name), "url": request.build_absolute_uri(url)}


def organization_type(organization):
    return "Country" if organization.classification == "state" else "Organization"


def person(request, person, other_names, identifiers, memberships):
    return {
        "@context": CONTEXT,
        "@type": "Person",
        "name": person.name,
        "url": _url(request, person),
        "alternateName": [name.name for name in other_names],
        "description": person.summary or None,
        "birthDate": person.birth_date or None,
        "deathDate": person.death_date or None,
        "sameAs": _same_as(identifiers),
        "memberOf": [
            {
                "@type": "OrganizationRole",
                "roleName": m.role or m.get_kind_display(),
                "startDate": m.start_date or None,
                "endDate": m.end_date or None,
                "memberOf": _ref(request, m.organization, organization_type(m.organization)),
            }
            for m in memberships
        ],
    }


def organization(request, organization, other_names, identifiers, members, parent_of):
    data = {
        "@context": CONTEXT,
        "@type": organization_type(organization),
        "name": organization.name,
        "url": _url(request, organization),
        "alternateName": [name.name for name in other_names] + [a for a in [organization.abbreviation] if a],
        "description": organization.summary or None,
        "sameAs": _same_as(identifiers),
        "subOrganization": [_ref(request, child, organization_type(child)) for child in parent_of],
        "member": [
            _ref(request, m.member, "Person" if m.member_person_id else organization_type(m.member)) for m in members
        ],
    }
    if organization.parent:
        data["parentOrganization"] = _ref(request, organization.parent, organization_type(organization.parent))
    return data


def event(request, event, children, participants):
    data = {
        "@context": CONTEXT,
        "@type": "Event",
        "name": event.name,
        "url": _url(request, event),
        "description": event.summary or None,
        "startDate": event.start_date or None,
        "endDate": event.end_date or None,
        "location": {"@type": "Place", "name": event.place} if event.place else None,
        "subEvent": [_ref(request, child, "Event") for child in children],
        "performer": [
            _ref(request, p.participant, "Person" if p.person_id else "Organization")
            for p in participants
            if p.role in ("speaker", "moderator")
        ],
        "organizer": [
            _ref(request, p.participant, "Person" if p.person_id else "Organization")
            for p in participants
            if p.role == "organizer"
        ],
    }
    if event.parent:
        data["superEvent"] = _ref(request, event.parent, "Event")
    return data


def source(request, source):
    return {
        "@context": CONTEXT,
        "@type": "NewsArticle" if source.publisher and source.publisher.classification == "media" else "CreativeWork",
        "headline": source.title,
        "url": source.url or _url(request, source),
        "datePublished": source.published_at_local.isoformat() if source.published_at else None,
        "inLanguage": source.language,
        "publisher": _ref(request, source.publisher, "Organization") if source.publisher else None,
        "author": _ref(request, source.author, "Person") if source.author else None,
    }


def statement(request, statement, mentioned):
    speaker = statement.speaker
    return {
        "@context": CONTEXT,
        "@type": "Quotation" if statement.kind == "quote" else "CreativeWork",
        "text": statement.text,
        "url": _url(request, statement),
        "inLanguage": statement.language,
        "dateCreated": statement.date or None,
        "creator": _ref(request, speaker, "Person" if statement.speaker_person_id else "Organization"),
        "spokenByCharacter": _ref(request, speaker, "Person") if statement.speaker_person_id else None,
        "mentions": [_ref(request, record, type(record).__name__) for record in mentioned],
        "isBasedOn": source(request, statement.source),
    }


def post(request, post):
    """An office as a schema.org Role: its title, its function and the years it existed."""
    return {
        "@context": CONTEXT,
        "@type": "Role",
        "roleName": post.label,
        "namedPosition": post.role or None,
        "alternateName": post.other_label_list,
        "url": _url(request, post),
        "startDate": post.start_date or None,
        "endDate": post.end_date or None,
    }
