"""Name strings: surface clean-up, titles, match keys and person-name structure.

These are the string-level alias rules; :mod:`newsscope.actors.aliases` applies them across
mentions, articles and the corpus.

>>> clean_surface("President Trump's", "PERSON")
'Trump'
>>> name_key("Kim Jong-un") == name_key("Kim Jong Un")
True
>>> name_key("U.S.") == name_key("US")
True
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache

from newsscope.actors import lexicon

__all__ = ["clean_surface", "strip_titles", "name_key", "loose_person_key", "PersonName", "parse_person", "is_junk", "acronym_matches"]

_TRANSLATE = str.maketrans({"\u2019": "'", "\u2018": "'", "`": "'", "\u00b4": "'", "\u201c": '"', "\u201d": '"',
                            "\u00a0": " ", "\u2010": "-", "\u2011": "-", "\u2013": "-", "\u2014": "-"})
_SPACE = re.compile(r"\s+")
_EDGE = " \t\n\"'()[]{}<>,;:!?*|\\/-_\u00ab\u00bb"
_POSSESSIVE = re.compile(r"(?:'s|')$")
_THE = re.compile(r"^the\s+", re.IGNORECASE)


def _title_regex() -> re.Pattern[str]:
    def alt(words: list[str]) -> str:
        return "|".join(re.escape(w).replace(r"\ ", r"\s+").replace(r"\-", r"[-\s]")
                        for w in sorted(words, key=len, reverse=True))

    countries = list(lexicon.DEMONYMS) + [v for _, vs in lexicon.ABBREVIATIONS.values() for v in vs if len(v) <= 4]
    prefix = rf"(?:(?:{alt(list(lexicon.TITLE_PREFIXES))})[-\s]+)?(?:(?:{alt(countries)})\.?\s+)?"
    return re.compile(rf"^(?i:{prefix}(?:{alt(list(lexicon.TITLES))}))\.?\s+(?=[A-Z\u00c0-\u024f])")


_TITLE_RE = _title_regex()
# First words that can start a title phrase: a cheap test before the big regular expression.
_TITLE_FIRST = frozenset(
    w.split()[0].split("-")[0].rstrip(".")
    for w in (*lexicon.TITLES, *lexicon.TITLE_PREFIXES, *lexicon.DEMONYMS,
              *(v for _, vs in lexicon.ABBREVIATIONS.values() for v in vs if len(v) <= 4))
) | {"ex"}


def strip_titles(name: str) -> str:
    """Remove leading titles and honorifics ("US President", "Mr", "Sen.", "former Prime Minister").

    The rest must start with a capital letter; a name that is only a title is returned unchanged.
    """
    first = name.split(" ", 1)[0].split("-")[0].rstrip(".").lower()
    if first not in _TITLE_FIRST:
        return name
    out = name
    for _ in range(3):  # "Former US Secretary of State Mr X" needs more than one pass at most
        new = _TITLE_RE.sub("", out, count=1)
        if new == out:
            break
        out = new
    return out


def clean_surface(text: str, label: str = "PERSON") -> str:
    """Return the display form of an entity mention.

    Unifies quotes and spacing, strips surrounding punctuation, a leading "the", possessives
    ("Trump's"), and, for PERSON mentions, titles and honorifics.
    """
    s = _SPACE.sub(" ", str(text).translate(_TRANSLATE)).strip().strip(_EDGE)
    s = _POSSESSIVE.sub("", s).strip().strip(_EDGE)
    m = _THE.match(s)
    if m and s[m.end():].lower() not in lexicon.KEEP_THE:
        s = s[m.end():]
    if label == "PERSON":
        s = strip_titles(s)
        s = _POSSESSIVE.sub("", s).strip()
    # A sentence-final period ("in Moscow.") goes; abbreviation dots ("U.S.", "Jr.") stay.
    if s.endswith(".") and not re.search(r"(?:\b[A-Za-z]|\b(?:Jr|Sr|St|Inc|Co|Ltd|Corp))\.$", s):
        s = s[:-1].rstrip()
    return s


_PARTICLE_INNER = re.compile(r"(?<=\S\s)(?:al|el)[-\s](?=[A-Z])")


@lru_cache(maxsize=200_000)
def name_key(name: str) -> str:
    """Return the match key of a name: the form under which spelling variants coincide.

    Folds diacritics and case, drops dots (``U.S.`` -> ``us``), turns hyphens into spaces
    (``Kim Jong-un`` -> ``kim jong un``), drops a lower-case Arabic article inside a name
    (``Bashar al-Assad`` -> ``bashar assad``), unifies known transliterations (Sergei/Sergey) and
    a leading "the".
    """
    s = unicodedata.normalize("NFKD", str(name).translate(_TRANSLATE))
    s = "".join(ch for ch in s if not unicodedata.combining(ch))
    s = _PARTICLE_INNER.sub("", s)
    s = s.casefold().replace(".", "")
    s = re.sub(r"[-_/]", " ", s)
    s = re.sub(r"[^\w\s'&]", " ", s)
    s = re.sub(r"'s\b", "", s).replace("'", "")
    tokens = s.split()
    if tokens and tokens[0] == "the" and len(tokens) > 1 and " ".join(tokens[1:]) not in lexicon.KEEP_THE:
        tokens = tokens[1:]
    return " ".join(lexicon.TRANSLITERATIONS.get(t, t) for t in tokens)


def loose_person_key(key: str) -> str:
    """Drop single-letter middle initials from a person key (``donald j trump`` -> ``donald trump``)."""
    tokens = key.split()
    if len(tokens) < 3:
        return key
    kept = [tokens[0]] + [t for t in tokens[1:-1] if len(t) > 1] + [tokens[-1]]
    return " ".join(kept) if len(kept) >= 2 else key


@dataclass(frozen=True)
class PersonName:
    """The structure of a person key: core tokens (Arabic articles dropped) and a suffix."""

    key: str
    core: tuple[str, ...]
    suffix: str | None
    particle_led: bool

    @property
    def is_single(self) -> bool:
        """A lone name ("Trump", "Xi", "al-Assad"): can only be a partial reference."""
        return len(self.core) == 1


def parse_person(key: str, surface: str = "") -> PersonName:
    """Return the :class:`PersonName` of a person key.

    ``particle_led`` is true for keys such as ``le pen`` or ``de blasio`` (a surname that starts
    with a particle); ``al``/``el``/``bin``/``abu``/``ben`` count only when written in lower case
    in ``surface`` (so "Al Gore" and "Ben Carson" are full names).
    """
    tokens = key.split()
    suffix = tokens[-1] if len(tokens) > 1 and tokens[-1] in lexicon.NAME_SUFFIXES else None
    if suffix:
        tokens = tokens[:-1]
    first_surface = surface.split()[0] if surface.split() else ""
    arabic = {"al", "el", "bin", "ibn", "abu", "ben"}
    particle_led = bool(tokens) and tokens[0] in lexicon.SURNAME_PARTICLES and len(tokens) <= 3 and (
        tokens[0] not in arabic or first_surface[:1].islower())
    core = tuple(t for i, t in enumerate(tokens) if not (t in {"al", "el"} and (i > 0 or particle_led)))
    return PersonName(key, core or tuple(tokens), suffix, particle_led)


_LOST_IN_WORD = re.compile(r"[^\W\d_]\?[^\W\d_]")


def is_junk(surface: str) -> str | None:
    """Return why a cleaned mention is not a name (or None if it may be one)."""
    if not surface:
        return "empty after clean-up"
    if "\ufffd" in surface:  # a letter the cleaning could not restore: which name it is is unknown
        return "lost letter (U+FFFD)"
    if _LOST_IN_WORD.search(surface):  # "Joachim L?w" left unrestored
        return "lost letter ('?' inside a word)"
    if not any(ch.isalpha() for ch in surface):
        return "no letters"
    if not any(ch.isupper() for ch in surface):
        return "no capital letter"
    if len(surface) > 80 or len(surface.split()) > 8:
        return "too long for a name"
    digits = sum(ch.isdigit() for ch in surface)
    if digits >= 4 and digits > sum(ch.isalpha() for ch in surface):
        return "mostly digits"
    if len(surface) == 1:
        return "single character"
    return None


def acronym_matches(acronym: str, long_form: str) -> bool:
    """Return whether ``acronym`` spells the initials of ``long_form`` (ignoring "of", "the", ...).

    >>> acronym_matches("ISIL", "Islamic State of Iraq and the Levant")
    True
    >>> acronym_matches("AFP", "Donald Trump")
    False
    """
    letters = [c for c in acronym if c.isalpha()]
    if len(letters) < 2 or not all(c.isupper() for c in letters):
        return False
    words = [w for w in re.split(r"[\s\-]+", long_form) if w]
    if len(words) < 2:
        return False
    full = "".join(w[0] for w in words).upper()
    content = "".join(w[0] for w in words if w.lower() not in lexicon.ACRONYM_STOPWORDS).upper()
    target = "".join(letters).upper()
    return target in (full, content)
