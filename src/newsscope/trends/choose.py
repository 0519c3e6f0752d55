"""Parameters of notebook 02 that fit the corpus: keywords, terms to look up, the outlet for keyness.

Each ``choose_*`` function takes the notebook's parameter: an explicit value wins; None means
"from the corpus". On the built-in corpus (``builtin:newsarticles``) None gives the values the
notebook was written with (:data:`TUNED`), so its committed outputs stay the same; on any other
corpus the value comes from the corpus itself. Every function returns ``(value, why)``, ``why``
being a short phrase the notebook prints.
"""

from __future__ import annotations

from collections.abc import Iterable

import pandas as pd

from newsscope.trends.series import has_dates, main_period

__all__ = ["TUNED", "choose_keywords", "choose_lookup_terms", "choose_outlet", "choose_period"]

#: Values chosen by hand for the built-in corpus (read in notebook 02's text).
TUNED: dict[str, dict[str, object]] = {
    "builtin:newsarticles": {
        "keywords": ["trump", "travel ban", "north korea", "brexit", "refugees", "wilders"],
        "lookup_terms": ["devos", "kim jong-nam", "oscars", "article 50"],
        "keyness_outlet": "TASS",
    },
}


def _tuned(corpus: str | None, name: str) -> object | None:
    return TUNED.get(str(corpus), {}).get(name) if corpus is not None else None


def _as_list(value: str | Iterable[str]) -> list[str]:
    return [value] if isinstance(value, str) else [str(v) for v in value]


def _lead_terms(bursts: pd.DataFrame | None, n: int) -> list[str]:
    """The first (strongest) term of each of the strongest events, without repeats."""
    if bursts is None or not len(bursts):
        return []
    leads = [str(t).split("; ")[0] for t in bursts["term"]]
    return list(dict.fromkeys(leads))[:n]


def choose_keywords(dtm, bursts: pd.DataFrame | None = None, *, keywords: str | Iterable[str] | None = None,
                    corpus: str | None = None, n: int = 6) -> tuple[list[str], str]:
    """Return the keywords to follow over time, and why.

    Parameters
    ----------
    dtm : DocTermMatrix
        The corpus's document-term matrix.
    bursts : pandas.DataFrame, optional
        Bursts of the corpus, strongest first (:func:`newsscope.trends.detect_bursts`).
    keywords : str or list of str, optional
        The notebook's parameter: when given, returned as a list.
    corpus : str, optional
        The corpus spec: the built-in corpus gets its tuned keywords.
    n : int
        How many keywords to choose.

    Returns
    -------
    (list of str, str)
        The keywords, and ``"given"``, ``"tuned for <corpus>"``, ``"lead terms of the strongest
        bursts"`` or ``"most frequent phrases and words"`` (an empty list when the vocabulary is empty).
    """
    if keywords is not None:
        return _as_list(keywords), "given"
    tuned = _tuned(corpus, "keywords")
    if tuned is not None:
        return list(tuned), f"tuned for {corpus}"  # type: ignore[call-overload]
    leads = _lead_terms(bursts, n)
    if leads:
        return leads, "lead terms of the strongest bursts"
    if not len(dtm.terms):
        return [], "the vocabulary is empty"
    freq = dtm.document_frequency()
    count = dtm.total_counts()
    order = pd.DataFrame({"term": freq.index, "docs": freq.to_numpy(), "count": count.to_numpy(),
                          "phrase": [" " in t for t in freq.index]})
    order = order[order["docs"] >= 2] if (order["docs"] >= 2).any() else order
    # phrases first (more specific), then by articles, occurrences and alphabetically
    order = order.sort_values(["phrase", "docs", "count", "term"], ascending=[False, False, False, True], kind="stable")
    return order["term"].head(n).tolist(), "most frequent phrases and words"


def choose_lookup_terms(bursts: pd.DataFrame | None = None, *, terms: str | Iterable[str] | None = None,
                        corpus: str | None = None, n: int = 4) -> tuple[list[str], str]:
    """Return the terms whose bursts the notebook looks up one by one, and why.

    Given terms win; the built-in corpus gets its tuned terms; otherwise the lead terms of the
    ``n`` strongest bursts (an empty list when nothing bursts).
    """
    if terms is not None:
        return _as_list(terms), "given"
    tuned = _tuned(corpus, "lookup_terms")
    if tuned is not None:
        return list(tuned), f"tuned for {corpus}"  # type: ignore[call-overload]
    leads = _lead_terms(bursts, n)
    return leads, "lead terms of the strongest bursts" if leads else "no burst to look up"


def choose_outlet(docs: pd.DataFrame, *, outlet: str | None = None, corpus: str | None = None) -> tuple[str | None, str]:
    """Return the outlet compared with all others (keyness), and why.

    A given outlet that is in the corpus wins; the built-in corpus gets its tuned outlet; otherwise
    the largest outlet (most articles; ties alphabetically). None when the corpus has no outlet.
    """
    counts = docs["source"].dropna().astype(str).value_counts() if "source" in docs.columns else pd.Series(dtype=int)
    if outlet is not None and outlet in counts.index:
        return outlet, "given"
    tuned = _tuned(corpus, "keyness_outlet")
    if outlet is None and tuned in counts.index:
        return str(tuned), f"tuned for {corpus}"
    if counts.empty:
        return None, "no outlet in the corpus"
    largest = counts.rename_axis("outlet").reset_index(name="n").sort_values(["n", "outlet"], ascending=[False, True]).iloc[0]["outlet"]
    return str(largest), ("the largest outlet" if outlet is None else f"the largest outlet ({outlet!r} is not in the corpus)")


def choose_period(docs: pd.DataFrame, *, start: object = None, end: object = None) -> tuple[pd.Timestamp | None, pd.Timestamp | None]:
    """Return the first and last day shown: given days win, None takes the main coverage period.

    The main coverage period is :func:`newsscope.trends.main_period` of the articles' dates and
    outlets; (None, None) when no article has a date.
    """
    period = main_period(docs["published"], docs["source"] if "source" in docs else None) if has_dates(docs) else None
    first = pd.Timestamp(start) if start is not None else (period[0] if period else None)
    last = pd.Timestamp(end) if end is not None else (period[1] if period else None)
    return first, last
