"""Vietnamese text helpers: NFC normalisation, the one slug function, name folding."""

import functools
import unicodedata
from urllib.parse import quote

from slugify import slugify

# U+00D0 (Icelandic eth) looks like Đ and is a common paste mistake; it slugifies to "d" too.
LOOKALIKES = str.maketrans({"\u00d0": "\u0110", "\u00f0": "\u0111"})


def nfc(text: str) -> str:
    """Return text in Unicode NFC, the one form stored and written by the site."""
    return unicodedata.normalize("NFC", text)


@functools.lru_cache(maxsize=65536)  # places, tags and types come back on every item
def slug(text: str, max_length: int = 0) -> str:
    """The project's only slug function: ASCII, lower case, hyphens (Đồng Nơ -> dong-no).

    With `max_length`, cut at a word boundary (file names have a length limit)."""
    return slugify(nfc(text).translate(LOOKALIKES), max_length=max_length, word_boundary=True)


def fold(text: str) -> str:
    """A matching key that ignores case, diacritics, Unicode form and punctuation."""
    return slug(text).replace("-", " ")


# Pagefind folds combining marks but not đ, a letter of its own. The search index spells đ as d
# plus a combining short stroke, which Pagefind folds to d (so "dong no" finds "Đồng Nơ") and
# the search script turns back into đ for display (theme/static/js/search.js, `unstroked`).
STROKED_D = str.maketrans({"\u0111": "d\u0335", "\u0110": "D\u0335",
                           "\u00f0": "d\u0335", "\u00d0": "D\u0335"})


def stroked_d(text: str) -> str:
    """Text for the search index: đ and Đ (and their look-alikes) as d, D + U+0335."""
    return text.translate(STROKED_D)


def iri_to_uri(url: str) -> str:
    """Percent-encode what a URL may not hold raw (spaces, Vietnamese letters); keep the rest."""
    return quote(url, safe="%/:=&?~#+!$,;'@()*[]")
