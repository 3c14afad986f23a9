"""How a record gets a slug from its name when an import or a draft makes it: one rule for every path."""

from django.utils.text import slugify

# Long enough for a name, short enough to read in an address; a number may follow ("-2").
SLUG_LENGTH = 80


def slug_base(text, fallback):
    """The slug a name gives before any number is added: 'Salih İzbul' -> 'salih-izbul'; `fallback` (the
    model's name, say) when nothing of the name is left."""
    return slugify(text)[:SLUG_LENGTH].strip("-") or fallback


def numbered(base, taken):
    """`base`, or `base-2`, `base-3` … : the first for which `taken(slug)` is false."""
    slug, number = base, 1
    while taken(slug):
        number += 1
        slug = f"{base}-{number}"
    return slug
