"""File-name slugs: whatever the title, a short, lowercase, ASCII name that cannot leave the
folder it is written to."""

from __future__ import annotations

import hashlib
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
        "ђ": "dj",
        "ј": "j",
        "љ": "lj",
        "њ": "nj",
        "ћ": "c",
        "џ": "dz",
        "ѓ": "gj",
        "ќ": "kj",
        "ѕ": "dz",
        # Greek, ELOT 743 (the Greek state's table, used on passports), single letters; the
        # pairs it writes differently (ου, αυ, μπ...) are handled first by _greek.
        "α": "a",
        "β": "v",
        "γ": "g",
        "δ": "d",
        "ε": "e",
        "ζ": "z",
        "η": "i",
        "θ": "th",
        "ι": "i",
        "κ": "k",
        "λ": "l",
        "μ": "m",
        "ν": "n",
        "ξ": "x",
        "ο": "o",
        "π": "p",
        "ρ": "r",
        "σ": "s",
        "ς": "s",
        "τ": "t",
        "υ": "y",
        "φ": "f",
        "χ": "ch",
        "ψ": "ps",
        "ω": "o",
    }
)
_GREEK_LETTER = "α-ως"
# ELOT 743: αυ ευ ηυ are av ev iv before a vowel or a voiced consonant, af ef if before a
# voiceless one or at the end of a word; μπ and ντ are b and d at the start of a word.
_GREEK_V = re.compile(r"([αεη])υ(?=[αεηιουωβγδζλμνρ])")
_GREEK_F = re.compile(rf"([αεη])υ(?![{_GREEK_LETTER}])|([αεη])υ(?=[θκξπστφχψ])")
_GREEK_START = re.compile(rf"(?<![{_GREEK_LETTER}])(μπ|ντ)")
_GREEK_PAIRS = re.compile("ου|γγ|γκ|γξ|γχ")
_PAIRS = {"ου": "ou", "γγ": "ng", "γκ": "gk", "γξ": "nx", "γχ": "nch", "μπ": "b", "ντ": "d"}
_NOT_SLUG = re.compile(r"[^a-z0-9]+")


def fold(text: str) -> str:
    """Lowercase ASCII: `Întâlnire, ședință` → `intalnire, sedinta` (ș ş ț ţ ă â î → s s t t
    a a i: NFKD splits off the comma, cedilla, breve and circumflex, which are dropped)."""
    return _latin(text).encode("ascii", "ignore").decode("ascii")


def _latin(text: str) -> str:
    """Lowercase, accents dropped, transliterated where a table is known; letters of other
    scripts are left as they are (and dropped by the caller)."""
    decomposed = unicodedata.normalize("NFKD", text.lower())
    stripped = "".join(c for c in decomposed if not unicodedata.combining(c))
    if any("α" <= c <= "ω" for c in stripped):
        stripped = _greek(stripped)
    return stripped.translate(_FOLD)


def _greek(text: str) -> str:
    text = _GREEK_V.sub(lambda m: m[1].translate(_FOLD) + "v", text)
    text = _GREEK_F.sub(lambda m: (m[1] or m[2]).translate(_FOLD) + "f", text)
    text = _GREEK_START.sub(lambda m: _PAIRS[m[1]], text)
    return _GREEK_PAIRS.sub(lambda m: _PAIRS[m[0]], text)


def slugify(text: str, max_len: int = MAX_SLUG) -> str:
    """`../../etc/x` → `etc-x`; `Întâlnire grup de lucru` → `intalnire-grup-de-lucru`;
    `Ομάδα εργασίας` → `omada-ergasias`. Only `a-z`, `0-9` and single inner `-`, at most
    `max_len` characters (cut at a word boundary when there is one). Letters without a
    table (Arabic, Chinese...) cannot be spelled in ASCII: they leave a short hash of the
    title instead, so that two such meetings on one day get different names (`meeting-3f9a1c`
    when nothing else is left)."""
    latin = _latin(text)
    lost = any(c.isalnum() and not c.isascii() for c in latin)
    slug = _NOT_SLUG.sub("-", latin.encode("ascii", "ignore").decode("ascii")).strip("-")
    tag = ""
    if lost:
        digest = hashlib.sha256(unicodedata.normalize("NFC", text).encode("utf-8"))
        tag = "-" + digest.hexdigest()[:6]
        slug = slug or FALLBACK
        max_len -= len(tag)
    if len(slug) > max_len:
        cut = slug[: max_len + 1]
        slug = cut.rsplit("-", 1)[0] if "-" in cut else slug[:max_len]
        slug = slug[:max_len].strip("-")
    return (slug or FALLBACK) + tag
