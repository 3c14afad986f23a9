"""One folding of names and text, applied alike to what is stored and to what is asked.

Names come in many spellings: Türkiye, Turkiye and Turkey; Hikmət Hacıyev,
Hikmet Hajiyev and Hikmat Hajiyev. Folding lowers the case, strips accents
and maps the letters that have no accent to strip (ı, ə, ß …) to their Latin
base, so "Haciyev" finds "Hacıyev" on SQLite and PostgreSQL alike. The other
spellings (j for c, a for e) are other names, stored with the record.
"""

import re
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


UNDECOMPOSABLE = re.compile(f"[{''.join(map(chr, LETTERS))}]")


def _combining_marks():
    """A character class of the marks that decomposition separates from their letters."""
    ranges, start, previous = [], None, None
    for code in range(0x300, 0x10000):
        if unicodedata.combining(chr(code)):
            if start is None:
                start = code
            previous = code
        elif start is not None:
            ranges.append(f"\\u{start:04x}-\\u{previous:04x}" if previous > start else f"\\u{start:04x}")
            start = None
    return re.compile(f"[{''.join(ranges)}]+")


COMBINING = _combining_marks()


def fold(text):
    """'Hikmət Hacıyev' -> 'hikmet haciyev'; 'Türkiye' -> 'turkiye'; 'İstanbul' -> 'istanbul'."""
    text = str(text)
    if text.isascii():
        return text.lower()
    text = text.lower()
    if UNDECOMPOSABLE.search(text):
        text = text.translate(LETTERS)
    decomposed = unicodedata.normalize("NFKD", text)
    return COMBINING.sub("", decomposed)
