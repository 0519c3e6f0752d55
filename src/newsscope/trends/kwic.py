"""Keyword in context: every occurrence of a term with the words around it, as a table."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from newsscope.vectorize.tokens import tokenize

__all__ = ["kwic", "kwic_part", "merge_contexts", "term_pattern", "burst_contexts", "KWIC_PART_COLUMNS"]

#: Columns of a cleaned part :func:`kwic_part` reads (besides the searched fields).
KWIC_PART_COLUMNS = ("doc_id", "source", "published", "title", "status")

_WORD = re.compile(r"\S+")


def term_pattern(term: str) -> re.Pattern[str]:
    """Return a case-insensitive regular expression for ``term`` as it may be written in a text.

    Words may be separated by spaces or hyphens (``kim jong-nam`` finds ``Kim Jong Nam``),
    possessives are allowed after each word (``Trump's``), and dotted acronyms match with or
    without dots (``u.s.`` finds ``US`` and ``U.S.``).
    """
    toks = tokenize(term)
    if not toks:
        raise ValueError(f"term {term!r} has no words to search for")
    parts = []
    for tok in toks:
        pieces = [p for p in tok.split("-") if p]
        word_parts = []
        for p in pieces:
            if "." in p:  # acronym: u.s. -> U\.?S\.?
                letters = [re.escape(c) for c in p if c != "."]
                word_parts.append(r"\.?".join(letters) + r"\.?")
            else:
                word_parts.append(re.escape(p))
        parts.append(r"[\s\-‐–]+".join(word_parts) + r"(?:['’]s?)?")
    body = r"[\s\-‐–]+".join(parts)
    return re.compile(r"(?<![^\W_])" + body + r"(?![^\W_])", re.IGNORECASE)


def _context(text: str, start: int, end: int, window: int) -> tuple[str, str]:
    left_words = text[max(0, start - 40 * window):start].split()
    right_words = text[end:end + 40 * window].split()
    return " ".join(left_words[-window:]), " ".join(right_words[:window])


def kwic(term: str, docs: pd.DataFrame | None = None, *, window: int = 8, limit: int | None = 20, per_doc: int | None = 1,
         start: Any = None, end: Any = None, sources: list[str] | None = None, fields: tuple[str, ...] = ("title", "text"),
         corpus: str | Path = "builtin:newsarticles", manifest: str | Path | None = None, order: str = "date") -> pd.DataFrame:
    """Return the contexts of ``term`` in the corpus: one row per occurrence.

    Parameters
    ----------
    term : str
        A word or phrase (tokenised like the texts; see :func:`term_pattern`).
    docs : pandas.DataFrame, optional
        Article table (e.g. ``dtm.docs``); default :func:`newsscope.clean.load_clean` of
        ``corpus``.
    window : int
        Words shown on each side.
    limit : int or None
        At most this many rows (None: all).
    per_doc : int or None
        At most this many occurrences per article (None: all).
    start, end : date-like, optional
        Only articles published in this range (inclusive days).
    sources : list of str, optional
        Only these outlets.
    fields : tuple of str
        Columns searched, in this order.
    order : {"date", "source"}
        Row order: by date then outlet, or by outlet then date (ties: doc_id, position).

    Returns
    -------
    pandas.DataFrame
        doc_id, source, published, field, left, match, right, title, position.
    """
    if window < 0:
        raise ValueError(f"window={window!r} must be >= 0")
    if docs is None:
        from newsscope import clean as _clean

        docs = _clean.load_clean(corpus, manifest=manifest)
    pat = term_pattern(term)
    sel = pd.Series(True, index=docs.index)
    if (start is not None or end is not None) and "published" in docs.columns:
        day = pd.to_datetime(docs["published"]).dt.normalize()
        if start is not None:
            sel &= day >= pd.Timestamp(start)
        if end is not None:
            sel &= day <= pd.Timestamp(end)
    if sources is not None:
        sel &= docs["source"].isin(sources)
    sub = docs[sel]
    rows = []
    for i, rec in zip(sub.index, sub.itertuples(index=False)):
        rec = rec._asdict()
        n = 0
        for field in fields:
            text = rec.get(field)
            if not isinstance(text, str) or not text:
                continue
            for m in pat.finditer(text):
                left, right = _context(text, m.start(), m.end(), window)
                rows.append({"doc_id": rec.get("doc_id", str(i)), "source": rec.get("source"), "published": rec.get("published"),
                             "field": field, "left": left, "match": m.group(0), "right": right, "title": rec.get("title", ""),
                             "position": m.start()})
                n += 1
                if per_doc is not None and n >= per_doc:
                    break
            if per_doc is not None and n >= per_doc:
                break
    cols = ["doc_id", "source", "published", "field", "left", "match", "right", "title", "position"]
    return merge_contexts([pd.DataFrame(rows, columns=cols)], limit=limit, fields=fields, order=order)


def merge_contexts(tables: list[pd.DataFrame], *, limit: int | None = 20, fields: tuple[str, ...] = ("title", "text"),
                   order: str = "date") -> pd.DataFrame:
    """Contexts of :func:`kwic` tables put together in :func:`kwic`'s row order, the first ``limit`` kept.

    The order is total (date or outlet, then doc_id, field, position), so the first ``limit``
    rows of the contexts of every part of a corpus are among the first ``limit`` of each part:
    :func:`kwic_part` per part, then this, gives :func:`kwic` of the whole corpus.
    """
    found = [t for t in tables if len(t)] or tables[:1]
    out = pd.concat(found, ignore_index=True) if len(found) > 1 else found[0]
    if out.empty:
        return out.reset_index(drop=True)
    field_rank = out["field"].map({f: k for k, f in enumerate(fields)})
    keys = ["published", "source"] if order == "date" else ["source", "published"]
    out = out.assign(_f=field_rank).sort_values(keys + ["doc_id", "_f", "position"], kind="stable", na_position="last")
    out = out.drop(columns="_f").reset_index(drop=True)
    return out.head(limit) if limit is not None else out


def kwic_part(path: str | Path, term: str, *, fields: tuple[str, ...] = ("title", "text"), **kwargs: Any) -> pd.DataFrame:
    """:func:`kwic` on the analysis set (status ``kept``) of one part of a cleaned table stored in parts.

    Reads only the columns it needs from the part's file (``path``). ``kwargs`` as for
    :func:`kwic` (``limit`` applies to the part; :func:`merge_contexts` merges the parts).
    """
    from newsscope.parts import read_part_file

    cols = list(dict.fromkeys([*KWIC_PART_COLUMNS, *fields]))
    part = read_part_file(path, cols)
    return kwic(term, part[part["status"] == "kept"], fields=fields, **kwargs)


def burst_contexts(dtm, bursts: pd.DataFrame, *, events: int = 6, lines: int = 3, window: int = 9,
                   random_state: int = 0) -> pd.DataFrame:
    """Return a few keyword-in-context lines for each of the strongest burst events.

    For each of the first ``events`` rows of ``bursts`` (from
    :func:`newsscope.trends.detect_bursts`), the lead term is the most specific of the event's
    five strongest terms: the one whose articles fall most inside the burst (then the heavier
    burst). ``lines`` contexts of it within the burst's days (one per article) are drawn with
    ``random_state`` and sorted by date, outlet and document.

    Returns
    -------
    pandas.DataFrame
        burst (1-based rank), term, published (date), source, left, match, right, doc_id;
        empty when there is no burst.
    """
    columns = ["burst", "term", "published", "source", "left", "match", "right", "doc_id"]
    members = bursts.attrs.get("members")
    if not len(bursts) or members is None or not len(members):
        return pd.DataFrame(columns=columns)
    doc_freq = dtm.document_frequency()
    found = []
    for rank, b in bursts.head(events).iterrows():
        own = members[members["group"] == rank].head(5)
        conc = own["docs"].to_numpy() / doc_freq.loc[own["term"]].to_numpy()
        lead = own.assign(conc=conc).sort_values(["conc", "weight"], ascending=False, kind="stable")["term"].iloc[0]
        k = kwic(lead, dtm.docs, window=window, start=b["start"], end=b["end"], limit=None, per_doc=1)
        k = k.sample(n=min(lines, len(k)), random_state=random_state).sort_values(["published", "source", "doc_id"])
        found.append(k.assign(burst=rank + 1, term=lead))
    out = pd.concat(found, ignore_index=True)
    out["published"] = out["published"].dt.date
    return out[[c for c in columns if c in out.columns]]
