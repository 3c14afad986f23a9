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
