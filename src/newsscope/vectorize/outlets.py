"""Outlet self-mentions, derived from the corpus instead of a fixed list.

An outlet naming itself (``told TASS``, ``Washington (CNN)``, ``Source: Al Jazeera``,
``Deutsche Welle``) says nothing about the news, but it follows the outlet's share of each day's
coverage and so makes false trends and bursts. The names are derived from:

* the ``source`` column (``Al Jazeera`` -> ``al jazeera``; ``ABC News`` -> ``abc news`` and the
  acronym ``abc``; ``TASS`` -> ``tass``);
* URL host names (``huffingtonpost.com`` -> ``huffingtonpost`` and, where the corpus writes it as
  two words, ``huffington post``);
* agencies credited in datelines (``MOSCOW, February 7. /TASS/``, ``BEIJING (Xinhua)``,
  ``(Reuters)``): these wire credits are dropped in every document;
* expansions of acronym outlet names found among the corpus phrases whose initials match and
  which occur mostly in that outlet's own articles (``DW`` -> ``deutsche welle``).

An outlet's own names are dropped from its own articles only: CNN named by other outlets (say,
when it was barred from a White House briefing) is news and stays.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable, Sequence
from urllib.parse import urlparse

from newsscope.vectorize.tokens import tokenize

__all__ = ["EVERYWHERE", "host_stem", "dateline_agencies", "core_name", "source_names"]

#: Marker in ``outlet_terms_`` for a term dropped in every document (a wire-agency credit).
EVERYWHERE = "*"

_SUFFIXES = frozenset("www com co uk ie cn org net gov edu ac go de fr ru au ca in jp it es nl info biz tv us eu int".split())
_CREDIT = re.compile(r"[(/]\s*([A-Za-z][A-Za-z .&'-]{0,28}?[A-Za-z])\s*[)/]")
_TEXT_DATELINE = re.compile(
    r"^\s*[A-Z][A-Za-z .'-]{1,40}(?:,[^.()/\n]{0,40})?[.,]?\s*(?:\([A-Za-z][\w .&'-]{0,28}\)|/[A-Za-z][\w .&'-]{0,28}/)"
)


def host_stem(url: str | None) -> str | None:
    """Return the distinctive label of a URL's host (``edition.cnn.com`` -> ``cnn``) or None."""
    if not isinstance(url, str) or not url.strip():
        return None
    host = urlparse(url if "//" in url else "//" + url).netloc.lower().split(":")[0]
    labels = [lab for lab in host.split(".") if lab]
    while labels and labels[-1] in _SUFFIXES:
        labels.pop()
    labels = [lab for lab in labels if lab != "www"]
    return labels[-1] if labels else None


def dateline_agencies(datelines: Iterable[str | None], texts: Iterable[str] | None = None, min_docs: int = 2) -> list[str]:
    """Return agency names credited in datelines (``/TASS/``, ``(Reuters)``) of at least ``min_docs`` documents.

    Parameters
    ----------
    datelines : iterable of str or None
        The ``dateline`` column (after cleaning), searched for ``(Name)`` and ``/Name/``.
    texts : iterable of str, optional
        Article texts; a dateline still at the start of a text (``Washington (CNN)``) counts too.
    min_docs : int
        Minimum number of documents crediting the same name.
    """
    counts: Counter = Counter()
    for d in datelines:
        if isinstance(d, str):
            counts.update({m.strip().lower() for m in _CREDIT.findall(d)})
    if texts is not None:
        for t in texts:
            if isinstance(t, str):
                m = _TEXT_DATELINE.match(t[:160])
                if m:
                    counts.update({c.strip().lower() for c in _CREDIT.findall(m.group(0))})
    return sorted(name for name, c in counts.items() if c >= min_docs)


#: Trailing words of an outlet name that name its edition, not the outlet (``Al Jazeera English``).
EDITION_WORDS: frozenset[str] = frozenset(
    "uk us usa au aus nz ie ca in europe asia africa america americas australia india ireland international "
    "english arabic online digital edition world global".split())
_DOMAIN = re.compile(r"\.(?:com|org|net|info|co|news|tv|ie|uk|de|fr|cn|ru|in|au|ca|us|eu)(?:\.[a-z]{2})?$", re.I)


def core_name(source: str) -> str:
    """Return the name an outlet goes by in running text, without article, edition or domain.

    The part before a separator (`` - ``, `` | ``, ``: ``) or bracket, without ``www.`` and a
    domain ending, a leading "The" and trailing edition words (:data:`EDITION_WORDS`).

    >>> [core_name(s) for s in ("The Guardian - UK", "ABC News (AU)", "Al Jazeera English", "huffingtonpost.com",
    ...                         "The New York Times", "CNN International", "TASS")]
    ['Guardian', 'ABC News', 'Al Jazeera', 'huffingtonpost', 'New York Times', 'CNN', 'TASS']
    """
    s = re.split(r"\s+[-–—|]\s+|\s*:\s+|\s*[(\[]", str(source).strip())[0].strip()
    s = _DOMAIN.sub("", re.sub(r"^(?:https?://)?(?:www\.)?", "", s, flags=re.I))
    words = s.split()
    if len(words) > 1 and words[0].lower() == "the":
        words = words[1:]
    while len(words) > 1 and words[-1].lower().strip(".") in EDITION_WORDS:
        words = words[:-1]
    return " ".join(words) or str(source).strip()


def source_names(source: str) -> list[tuple[str, ...]]:
    """Return the token sequences an outlet name is written as.

    ``ABC News`` -> ``(abc, news)`` and the acronym ``(abc,)``; ``The Guardian - UK`` ->
    ``(the, guardian, uk)`` and its core name (:func:`core_name`) ``(guardian,)``.
    """
    toks = tokenize(source)  # (none for a host name such as "politico.com")
    out = [tuple(toks)] if toks else []
    core = core_name(source)
    core_toks = tokenize(core)
    if core_toks and tuple(core_toks) not in out:
        out.append(tuple(core_toks))
    words = core.split()
    if len(words) > 1 and words[0].isupper() and len(words[0]) >= 2 and len(core_toks) > 1:
        out.append((core_toks[0],))
    return out


def is_acronym(name: str) -> bool:
    """Return True for an all-capitals outlet name of 2-5 letters (``TASS``, ``DW``, ``RTE``)."""
    letters = re.sub(r"[^A-Za-z]", "", name)
    return 2 <= len(letters) <= 5 and letters.isupper() and " " not in name.strip()


def initials(term: str) -> str:
    """Return the initials of a phrase (``deutsche welle`` -> ``dw``)."""
    return "".join(w[0] for w in term.split(" ") if w)


def unique_sources(sources: Sequence[str | None]) -> list[str]:
    """Return the distinct non-empty source names, sorted."""
    return sorted({s for s in sources if isinstance(s, str) and s.strip()})
