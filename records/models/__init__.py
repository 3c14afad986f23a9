from .actors import FormerSlug, Identifier, Link, Organization, OtherName, Person
from .base import DateBound, Status
from .events import Event, EventParticipant
from .memberships import Membership
from .posts import Post
from .sources import Citation, Source
from .statements import OrganizationMention, PersonMention, Statement, Topic
from .versions import DataVersion

__all__ = [
    "Citation",
    "DataVersion",
    "DateBound",
    "Event",
    "EventParticipant",
    "FormerSlug",
    "Identifier",
    "Link",
    "Membership",
    "Organization",
    "OrganizationMention",
    "OtherName",
    "Person",
    "PersonMention",
    "Post",
    "Source",
    "Statement",
    "Status",
    "Topic",
]
