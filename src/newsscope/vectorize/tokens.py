"""Tokenising news text: words, acronyms, numbers, possessives, and the stop-word lists.

The tokenizer is rule-based and fast (one regular expression, memoised normalisation). It keeps
what matters for news statistics and drops what makes noise:

* **Acronyms** with dots become one token: ``U.S.`` and ``US`` -> ``u.s.``, ``U.K.`` -> ``uk``,
  ``U.N.`` -> ``un``, ``E.U.`` -> ``eu``.
* **Possessives** are stripped (``Trump's``, ``Trump’s`` -> ``trump``; ``DeVos'`` -> ``devos``);
  other contractions (``don't``, ``we're``) become the stop token ``'``.
* **Hyphenated compounds** (``tie-breaking``, ``jong-nam``) are kept whole by the tokenizer; the
  vectorizer later splits those too rare to be real compounds (``Trump-scientific``, an artefact of
  a lost space) into their parts.
* **Numbers** (``50``, ``14,000``, ``3.5``, ``01/27/2017``) are tokens of their own, so that the
  vectorizer can keep them out of the vocabulary and still find phrases such as ``article 50``.
* **Boundaries**: sentence and clause punctuation, quotes, brackets, dashes and line breaks split a
  text into *chunks*; phrases never cross a chunk boundary.
* **Lost letters**: a word with U+FFFD in it (a letter the cleaning stage could not restore,
  :mod:`newsscope.clean.letters`) is no token but a boundary: its spelling is unknown, and
  dropping the U+FFFD would make another word (``F\ufffd\ufffdil`` is not ``Fil``).

Stop words come in three lists: :data:`FUNCTION_WORDS` (never in the vocabulary, and phrases never
cross them), :data:`GENERIC_WORDS` (news filler such as ``year`` or ``percent``: kept out of the
vocabulary as single words but allowed inside phrases, e.g. ``new york``, ``first lady``) and
:data:`DATE_WORDS` (months and weekdays: out of the vocabulary, since printed dates make noisy
bursts, and never joined with a number into a phrase).
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

__all__ = [
    "FUNCTION_WORDS",
    "NEWS_FUNCTION_WORDS",
    "GENERIC_WORDS",
    "DATE_WORDS",
    "WEEKDAYS",
    "STOP_TOKEN",
    "news_stop_words",
    "tokenize",
    "tokenize_chunks",
    "is_number",
]

#: The stop token that stands for contractions (``don't``, ``we're``): always a stop word.
STOP_TOKEN = "'"

# English function words: scikit-learn's list without its content words (bill, fire, interest,
# system, un, front, first, former, ...) plus contraction stems and a few more function words.
FUNCTION_WORDS: frozenset[str] = frozenset("""
a about above across after afterwards again against all almost alone along already also although
always am among amongst an and another any anyhow anyone anything anyway anywhere are around as at
back be became because become becomes becoming been before beforehand behind being below beside
besides between beyond both but by can cannot cant co could couldnt do does did doing done down
during each eg eight either eleven else elsewhere enough etc even ever every everyone everything
everywhere except few fifteen fifty five for forty four from further get gets getting give gives
given go goes going gone got had has hasnt have having he hence her here hereafter hereby herein
hereupon hers herself him himself his how however hundred i ie if in inc indeed into is it its
itself just keep last latter latterly least less ltd made make makes making many may me meanwhile
might mine more moreover most mostly much must my myself namely neither never nevertheless next
nine no nobody none noone nor not nothing now nowhere of off often on once one only onto or other
others otherwise our ours ourselves out over own per perhaps please put rather re really same see
seem seemed seeming seems seen several she should since six sixty so some somehow someone
something sometime sometimes somewhere still such take taken takes than that the their theirs them
themselves then thence there thereafter thereby therefore therein thereupon these they this those
though three through throughout thru thus to together too toward towards twelve twenty two under
unless until up upon us very via was we well were what whatever when whence whenever where
whereafter whereas whereby wherein whereupon wherever whether which while whither who whoever whole
whom whose why will with within without would yet you your yours yourself yourselves
let lets ok okay yes yeah oh s t d ll m ve don didn doesn isn wasn aren weren hasn haven hadn
shouldn wouldn couldn can't won't ain
""".split()) | {STOP_TOKEN}

#: News function words: reporting verbs, titles, attribution.
NEWS_FUNCTION_WORDS: frozenset[str] = frozenset("""
said says say saying told tell tells telling according added adding asked asking noted stated
mr mrs ms dr sen rep reps gov jr sr st mt lt gen col sgt prof
like including include includes included want wants wanted know knows knew think thinks thought
way ways lot lots thing things did also just
""".split())

#: News filler: out of the vocabulary as single words, allowed inside phrases (``new york``).
GENERIC_WORDS: frozenset[str] = frozenset("""
new year years old time times day days week weeks weekend month months today tonight yesterday
tomorrow morning afternoon evening night ago later earlier recent recently percent cent per_cent
million millions billion billions trillion thousand thousands hundreds dozen dozens number numbers
first second third fourth fifth former late early long big high good great little small large
year-old years-old mln bln pct am pm gmt est bst cet utc local news reported report reports reporting statement
like likely make need needs use used using come comes came went goes
""".split())

#: Weekday names (never part of a phrase).
WEEKDAYS: frozenset[str] = frozenset("monday tuesday wednesday thursday friday saturday sunday mon tue tues wed thu thur thurs fri sat sun".split())

#: Month and weekday names and their abbreviations: out of the vocabulary by default.
DATE_WORDS: frozenset[str] = frozenset(
    "january february march april may june july august september october november december "
    "jan feb mar apr jun jul aug sep sept oct nov dec".split()
) | WEEKDAYS

# Stop words that are names when capitalised inside a sentence ("Theresa May"): the tokenizer
# keeps their capital there, so that phrase detection may use them; they stay stop words alone.
CASED_STOPS: frozenset[str] = frozenset({"may", "will"})


def news_stop_words() -> frozenset[str]:
    """Return the default ``stop_words="news"`` set: function, news-function, generic and date words."""
    return FUNCTION_WORDS | NEWS_FUNCTION_WORDS | GENERIC_WORDS | DATE_WORDS


_ACR = r"(?:[A-Za-z]\.){2,}(?![A-Za-z])"
_NUM = r"\d+(?:[.,:/]\d+)*(?![^\W_])"
# a letter, or U+FFFD standing for a lost one: "F\ufffd\ufffdil" is one (damaged) word, not "f" + "il";
# tokenize_chunks drops it as a boundary
_L = "(?:[^\\W_]|\ufffd)"
_WORD = f"{_L}+(?:['’]{_L}+)*(?:-{_L}+(?:['’]{_L}+)*)*"
_BOUND = r"[.!?;:,()\[\]{}\"“”«»„…|/—–•]|\s-+\s|\n|(?<![^\W_])['‘’`]|['‘’`](?![^\W_])"
# URLs, e-mail addresses and bare domain names are boundaries, not words
_TLDS = r"(?:com|org|net|gov|edu|int|co\.uk|cn|uk|ie|de|ru|fr|eu|info)"
_URL_WEB = r"(?:https?://|www\.)\S+"
_URL_MAIL = r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+"
_URL_HOST = rf"\b[\w-]+(?:\.[\w-]+)*\.{_TLDS}\b(?:/\S*)?"
_URL = f"{_URL_WEB}|{_URL_MAIL}|{_URL_HOST}"
_TOKEN_RE = re.compile(f"({_URL})|({_ACR})|({_NUM})|({_WORD})|({_BOUND})")
_HOST_END = re.compile(rf"\.{_TLDS}\b")


@lru_cache(maxsize=8)
def _token_re(web: bool, mail: bool, host: bool) -> re.Pattern:
    """``_TOKEN_RE`` with only the URL branches that can match (the others cost a scan of every word)."""
    url = "|".join(p for p, on in ((_URL_WEB, web), (_URL_MAIL, mail), (_URL_HOST, host)) if on) or "(?!)"
    return re.compile(f"({url})|({_ACR})|({_NUM})|({_WORD})|({_BOUND})")


def _pattern_for(text: str) -> re.Pattern:
    """Return a pattern with the same ``findall`` result as ``_TOKEN_RE`` on ``text``, fastest first.

    A URL branch that cannot match anywhere in the text (no ``http``/``www.``, no ``@``, no
    ``.com``-like ending) never decides a match, so leaving it out changes nothing.
    """
    return _token_re("http://" in text or "https://" in text or "www." in text, "@" in text,
                     _HOST_END.search(text) is not None)
_CONTRACTION = re.compile(r"(?:n't|'re|'ve|'ll|'d|'m)$")


def is_number(token: str) -> bool:
    """Return True if ``token`` is a number (digits with optional ``. , : /`` separators)."""
    return bool(token) and token[0].isdigit() and not any(c.isalpha() for c in token)


@lru_cache(maxsize=1 << 20)
def _norm_word(raw: str, lowercase: bool) -> str:
    """Normalise one word token (quotes, possessives, contractions, ``US``)."""
    w = raw.replace("’", "'")
    if "'" in w:
        lw = w.lower()
        if lw.endswith("'s"):
            w = w[:-2]
        elif _CONTRACTION.search(lw) and "-" not in lw:
            return STOP_TOKEN
    if w == "US":
        return "u.s."
    w = unicodedata.normalize("NFC", w)
    return w.lower() if lowercase else w


@lru_cache(maxsize=1 << 14)
def _norm_acronym(raw: str, lowercase: bool) -> str:
    letters = raw.replace(".", "")
    low = letters.lower()
    if low == "us":
        return "u.s."
    return low if lowercase else letters


def tokenize_chunks(text: str, lowercase: bool = True) -> list[list[str]]:
    """Split ``text`` into chunks (runs between punctuation) of normalised tokens.

    Parameters
    ----------
    text : str
        Any text; ``None`` or non-strings give no chunks.
    lowercase : bool
        Lower-case tokens (default). A stop word that looks like a name inside a chunk
        (``May`` in ``Theresa May``) keeps its capital either way, so that phrase detection can
        tell it from the modal verb.

    Returns
    -------
    list of list of str
        Non-empty chunks in text order; numbers and stop words included.
    """
    if not isinstance(text, str) or not text:
        return []
    cache = _WORD_CACHE[bool(lowercase)]
    chunks: list[list[str]] = []
    cur: list[str] = []
    for url, acr, num, word, bound in _pattern_for(text).findall(text):
        if word and "\ufffd" in word:  # a lost letter nobody could restore: no term, a boundary
            if cur:
                chunks.append(cur)
                cur = []
        elif word:
            entry = cache.get(word)
            if entry is None:
                entry = cache[word] = _word_entry(word, lowercase)
            cur.append(entry[1] if cur else entry[0])
        elif bound or url:
            if cur:
                chunks.append(cur)
                cur = []
        elif acr:
            cur.append(_norm_acronym(acr, lowercase))
        else:
            cur.append(num.replace(",", "") if num.count(",") and "." not in num else num)
    if cur:
        chunks.append(cur)
    return chunks


_WORD_CACHE: dict[bool, dict[str, tuple[str, str]]] = {True: {}, False: {}}


def _word_entry(word: str, lowercase: bool) -> tuple[str, str]:
    """Return (token at the start of a chunk, token inside a chunk) for a raw word."""
    tok = _norm_word(word, lowercase)
    if tok.lower() in CASED_STOPS and word[0].isupper() and word[1:].islower():
        return tok, tok[0].upper() + tok[1:]
    return tok, tok


def tokenize(text: str, lowercase: bool = True) -> list[str]:
    """Return the normalised tokens of ``text`` in order (stop words and numbers included).

    See the module docstring for the rules; :class:`NewsVectorizer` adds phrases, stop-word and
    outlet filtering on top of this.

    Examples
    --------
    >>> tokenize("Trump's travel ban: the U.S. court, DeVos' vote (50-50).")
    ['trump', 'travel', 'ban', 'the', 'u.s.', 'court', 'devos', 'vote', '50', '50']
    """
    out = [t for chunk in tokenize_chunks(text, lowercase) for t in chunk]
    return [t.lower() for t in out] if lowercase else out
