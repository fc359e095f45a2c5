"""File-name slugs: whatever the title, a short, lowercase, ASCII name that cannot leave the
folder it is written to."""

from __future__ import annotations

import re
import unicodedata

MAX_SLUG = 60
FALLBACK = "meeting"

# Letters NFKD does not decompose into ASCII, and Cyrillic (Moldova, Ukraine), transliterated.
_FOLD = str.maketrans(
    {
        "ß": "ss",
        "æ": "ae",
        "œ": "oe",
        "ø": "o",
        "đ": "d",
        "ð": "d",
        "ł": "l",
        "þ": "th",
        "ı": "i",
        "&": " and ",
        "а": "a",
        "б": "b",
        "в": "v",
        "г": "g",
        "ґ": "g",
        "д": "d",
        "е": "e",
        "є": "ie",
        "ж": "zh",
        "з": "z",
        "и": "i",
        "і": "i",
        "к": "k",
        "л": "l",
        "м": "m",
        "н": "n",
        "о": "o",
        "п": "p",
        "р": "r",
        "с": "s",
        "т": "t",
        "у": "u",
        "ф": "f",
        "х": "h",
        "ц": "ts",
        "ч": "ch",
        "ш": "sh",
        "щ": "sch",
        "ъ": "",
        "ы": "y",
        "ь": "",
        "э": "e",
        "ю": "iu",
        "я": "ia",
    }
)
_NOT_SLUG = re.compile(r"[^a-z0-9]+")


def fold(text: str) -> str:
    """Lowercase ASCII: `Întâlnire, ședință` → `intalnire, sedinta` (ș ş ț ţ ă â î → s s t t
    a a i: NFKD splits off the comma, cedilla, breve and circumflex, which are dropped)."""
    decomposed = unicodedata.normalize("NFKD", text.lower())
    stripped = "".join(c for c in decomposed if not unicodedata.combining(c))
    return stripped.translate(_FOLD).encode("ascii", "ignore").decode("ascii")


def slugify(text: str, max_len: int = MAX_SLUG) -> str:
    """`../../etc/x` → `etc-x`; `Întâlnire grup de lucru` → `intalnire-grup-de-lucru`.
    Only `a-z`, `0-9` and single inner `-`, at most `max_len` characters (cut at a word
    boundary when there is one); `meeting` when nothing is left."""
    slug = _NOT_SLUG.sub("-", fold(text)).strip("-")
    if len(slug) > max_len:
        cut = slug[: max_len + 1]
        slug = cut.rsplit("-", 1)[0] if "-" in cut else slug[:max_len]
        slug = slug[:max_len].strip("-")
    return slug or FALLBACK
