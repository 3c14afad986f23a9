"""One folding of names and text, applied alike to what is stored and to what is asked.

Names come in many spellings: Türkiye, Turkiye and Turkey; Hikmət Hacıyev,
Hikmet Hajiyev and Hikmat Hajiyev. Folding lowers the case, strips accents
and maps the letters that have no accent to strip (ı, ə, ß …) to their Latin
base, so "Haciyev" finds "Hacıyev" on SQLite and PostgreSQL alike. The other
spellings (j for c, a for e) are other names, stored with the record.
"""

import unicodedata

# Letters that Unicode decomposition leaves as they are.
LETTERS = str.maketrans(
    {
        "ı": "i",
        "ə": "e",
        "Ə": "e",
        "ß": "ss",
        "æ": "ae",
        "œ": "oe",
        "ø": "o",
        "đ": "d",
        "ł": "l",
        "ħ": "h",
        "’": "'",
    }
)


def fold(text):
    """'Hikmət Hacıyev' -> 'hikmet haciyev'; 'Türkiye' -> 'turkiye'; 'İstanbul' -> 'istanbul'."""
    decomposed = unicodedata.normalize("NFKD", str(text).translate(LETTERS).lower().translate(LETTERS))
    return "".join(char for char in decomposed if not unicodedata.combining(char))


def folded_names(record):
    """What the search looks in, for a record with names(): one folded name a line."""
    return "\n".join(dict.fromkeys(fold(name) for name in record.names() if name))


def refresh(sender, instance, **kwargs):
    """Store the folded names of a saved record (fixtures' raw saves included)."""
    from .models import Statement

    field = "search_document" if isinstance(instance, Statement) else "search_names"
    sender._base_manager.filter(pk=instance.pk).update(**{field: folded_names(instance)})


def refresh_owner(sender, instance, **kwargs):
    """An other name changed: its person or organization is found by it, or no longer."""
    from .models import Organization, Person

    for model, pk in ((Person, instance.person_id), (Organization, instance.organization_id)):
        # The owner itself may be going (its deletion cascades to its names).
        owner = model._base_manager.filter(pk=pk).first() if pk else None
        if owner is not None:
            refresh(model, owner)
