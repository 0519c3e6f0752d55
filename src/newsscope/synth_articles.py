"""Synthetic article tables at scale: many distinct stories, planted duplicates, spread dates.

:func:`vary_articles` turns an article table (e.g. the 3,824 built-in articles) into ``n``
articles that behave like a larger corpus instead of ``n / 3,824`` copies of each article:

* **originals**: every usable article once (as long as ``n`` allows);
* **rewrites**: further stories made from an article by dropping some of its sentences,
  swapping others for sentences of a *donor* article of the same days, and renaming some of its
  capitalised words (people, places, organisations) after a pool of invented names drawn from a
  Zipf distribution, so that the vocabulary grows with the corpus as it does in real news;
  two rewrites of one article share well under half of their word 3-grams (they are not
  near-duplicates at the cleaner's threshold of 0.65);
* **near duplicates**: a copy of an earlier story with small edits (a sentence dropped, a
  closing line added: an updated version or a lightly edited wire copy);
* **exact duplicates**: the same text again under another outlet's URL (syndication).

Dates: a story keeps its article's date shifted by a random whole number of *epochs* (the span
of the input's dates) plus a small jitter, so a corpus of ``date_epochs`` epochs covers
``date_epochs`` times the input's period with the same daily rhythm. Copies are dated within a
day of their story.

The returned table has the input's columns used by :func:`newsscope.synth.generate_pages`
(``title``, ``text``, ``standfirst``, ``url``, ``published``, ``source``) plus ``synth_id``,
``kind`` (original, rewrite, near_duplicate, exact_duplicate), ``based_on`` (the input row) and
``copy_of`` (the ``synth_id`` a duplicate copies), i.e. the known answers for deduplication.
"""

from __future__ import annotations

import re
from typing import Any

import numpy as np
import pandas as pd

__all__ = ["KINDS", "vary_articles", "invented_names"]

#: Kinds of synthetic articles, in the order they are made.
KINDS: tuple[str, ...] = ("original", "rewrite", "near_duplicate", "exact_duplicate")

_SENT_RE = re.compile(r"(?<=[.!?])[\"”’]?\s+(?=[A-Z“\"])")
_CAP_RE = re.compile(r"(?<=[a-z,;] )[A-Z][a-z]{3,}\b")
_SYLLABLES = ("ka", "lo", "mer", "vi", "dan", "tor", "sel", "ri", "an", "bur", "go", "chi", "mar", "ten", "os", "el",
              "ba", "rud", "nik", "sa", "vol", "ze", "har", "din", "qu", "fa", "len", "to", "gri", "mon", "pe", "las")
_NOT_NAMES = frozenset("January February March April May June July August September October November December "
                       "Monday Tuesday Wednesday Thursday Friday Saturday Sunday".split())
_CLOSERS = ("Reuters contributed to this report.", "This story has been updated.",
            "Additional reporting by staff and agencies.", "The article was amended to correct a name.")


def invented_names(n: int, seed: int = 0) -> list[str]:
    """Return ``n`` distinct invented capitalised names (two or three syllables)."""
    rng = np.random.default_rng([seed, 2])
    out: list[str] = []
    seen: set[str] = set()
    while len(out) < n:
        k = int(rng.integers(2, 4))
        name = "".join(_SYLLABLES[int(j)] for j in rng.integers(len(_SYLLABLES), size=k)).capitalize()
        if name not in seen:
            seen.add(name)
            out.append(name)
    return out


def _sentences(text: str) -> list[str]:
    return [s.strip() for s in _SENT_RE.split(" ".join(str(text).split())) if s.strip()]


def _paragraphs(sentences: list[str], rng: np.random.Generator) -> str:
    paras, i = [], 0
    while i < len(sentences):
        k = int(rng.integers(1, 4))
        paras.append(" ".join(sentences[i:i + k]))
        i += k
    return "\n\n".join(paras)


def _rename(texts: list[str], rng: np.random.Generator, share: float, pool: list[str], zipf: np.ndarray) -> list[str]:
    """Rename a share of the capitalised words of ``texts`` (consistently within them)."""
    words = sorted({m.group(0) for t in texts for m in _CAP_RE.finditer(t)} - _NOT_NAMES)
    if not words or share <= 0:
        return texts
    chosen = [w for w, u in zip(words, rng.random(len(words))) if u < share]
    if not chosen:
        return texts
    idx = rng.choice(len(pool), size=len(chosen), p=zipf)
    mapping = {w: pool[int(j)] for w, j in zip(chosen, idx)}
    pattern = re.compile(r"\b(" + "|".join(re.escape(w) for w in chosen) + r")\b")
    return [pattern.sub(lambda m: mapping[m.group(0)], t) for t in texts]


def _similar_articles(texts: pd.Series, k: int, chunk: int = 1000) -> np.ndarray:
    """Return, per text, the positions of its ``k`` most similar other texts (TF-IDF cosine)."""
    from sklearn.feature_extraction.text import TfidfVectorizer

    n = len(texts)
    if n < 2:
        return np.zeros((n, 1), dtype=np.int64)
    k = max(1, min(k, n - 1))
    X = TfidfVectorizer(stop_words="english", min_df=1, sublinear_tf=True).fit_transform(texts.tolist())
    out = np.empty((n, k), dtype=np.int64)
    for lo in range(0, n, chunk):
        sim = (X[lo:lo + chunk] @ X.T).toarray()
        sim[np.arange(sim.shape[0]), np.arange(lo, lo + sim.shape[0])] = -1.0
        top = np.argpartition(-sim, k - 1, axis=1)[:, :k]
        out[lo:lo + chunk] = np.sort(top, axis=1)
    return out


def _rewrite(base: dict[str, Any], donor: dict[str, Any], rng: np.random.Generator, drop: float, swap: float,
             max_own: float = 0.55) -> list[str]:
    """Drop and swap sentences of ``base``; add donor sentences until at most ``max_own`` are its own."""
    own = _sentences(base["text"])
    other = _sentences(donor["text"]) or own
    out: list[tuple[bool, str]] = []
    for s in own:
        u = rng.random()
        if u < drop:
            continue
        out.append((False, other[int(rng.integers(len(other)))]) if u < drop + swap else (True, s))
    n_own = sum(k for k, _ in out)
    while len(out) < 3 or n_own > max_own * len(out):
        out.insert(int(rng.integers(1, len(out) + 1)) if out else 0, (False, other[int(rng.integers(len(other)))]))
    return [s for _, s in out]


def vary_articles(articles: pd.DataFrame, n: int, seed: int = 0, *, duplicate_share: float = 0.03,
                  near_duplicate_share: float = 0.05, sentence_drop: float = 0.25, sentence_swap: float = 0.2,
                  rename_share: float = 0.15, n_names: int = 20000, date_epochs: int = 1,
                  date_jitter_days: int = 2, n_donors: int = 10, min_chars: int = 300,
                  start: int = 0) -> pd.DataFrame:
    """Return ``n`` synthetic articles made from ``articles`` (see the module docstring).

    Parameters
    ----------
    articles : pandas.DataFrame
        An article table with ``title``, ``text`` and ideally ``url``, ``published``,
        ``standfirst``, ``source`` (e.g. ``load_corpus("builtin:newsarticles")``).
    n : int
        Number of articles to return.
    seed : int
        Random seed: the same input, ``n``, settings and seed give the same table.
    duplicate_share, near_duplicate_share : float
        Shares of ``n`` that are exact / near copies of earlier stories.
    sentence_drop, sentence_swap : float
        Rewrites: probability that a sentence is dropped / replaced by a donor's sentence.
    rename_share : float
        Rewrites: share of an article's distinct capitalised words renamed after invented names.
    n_names : int
        Size of the pool of invented names (drawn with Zipf-like weights ``1 / rank``).
    date_epochs : int
        Stories are shifted by a random number (0 .. ``date_epochs - 1``) of input date spans.
    date_jitter_days : int
        Rewrites move by up to this many days either way.
    n_donors : int
        A rewrite's donor is one of the article's ``n_donors`` most similar articles (TF-IDF
        cosine), so swapped sentences stay on the story's subject.
    min_chars : int
        Input articles with a shorter body (or without title) are not used.
    start : int
        Number of the first story: ids and URLs count from here, and only the stories numbered
        below the input's length are originals. Calls with disjoint ranges (``start=0, n=m``,
        ``start=m, n=m``, ... with their own seeds) make one corpus in chunks, without an
        unplanned repeat of an original or of an id or URL.

    Returns
    -------
    pandas.DataFrame
        ``synth_id``, ``kind``, ``based_on``, ``copy_of``, ``title``, ``standfirst``, ``text``,
        ``url``, ``published``, ``source``; ``n`` rows, shuffled.

    Raises
    ------
    ValueError
        When no input article is usable or a share is out of range.
    """
    if not 0 <= duplicate_share + near_duplicate_share < 1:
        raise ValueError("duplicate_share + near_duplicate_share must be in [0, 1)")
    if date_epochs < 1:
        raise ValueError(f"date_epochs must be >= 1, got {date_epochs}")
    rng = np.random.default_rng(seed)
    cols = {c: articles[c] if c in articles.columns else pd.Series([None] * len(articles), index=articles.index)
            for c in ("title", "text", "standfirst", "url", "published", "source")}
    table = pd.DataFrame(cols).reset_index(drop=True)
    title_ok = table["title"].fillna("").astype(str).str.strip().ne("")
    usable = table[title_ok & table["text"].fillna("").astype(str).str.len().ge(min_chars)].copy()
    if usable.empty:
        raise ValueError(f"no usable articles (need a title and at least {min_chars} characters of text)")
    usable["published"] = pd.to_datetime(usable["published"], errors="coerce")
    rows = usable.to_dict("records")
    based = usable.index.to_numpy()
    dated = usable["published"].dropna()
    # the span of the central 98% of dates (a few stray old dates do not stretch the epochs)
    span = (dated.quantile(0.99) - dated.quantile(0.01)).days + 1 if len(dated) else 1
    neighbours = _similar_articles(usable["title"].astype(str) + "\n" + usable["text"].astype(str), n_donors)
    pool = invented_names(n_names, seed)
    zipf = 1.0 / np.arange(1, n_names + 1)
    zipf /= zipf.sum()
    hosts = sorted({u.split("/")[2] for u in usable["url"].dropna().astype(str) if u.count("/") >= 3})

    n_dup = int(round(n * duplicate_share))
    n_near = int(round(n * near_duplicate_share))
    n_story = max(1, n - n_dup - n_near)
    n_dup = min(n_dup, n - n_story)
    n_near = n - n_story - n_dup
    order = rng.permutation(len(rows))
    out: list[dict[str, Any]] = []
    for i in range(n_story):
        j = start + i
        b = int(order[j % len(rows)])
        base = rows[b]
        sid = f"s{j:07d}"
        url = str(base["url"]) if isinstance(base["url"], str) and base["url"] else f"https://example.org/{b}"
        pub = base["published"]
        if j < len(rows):
            rec = {"kind": "original", "title": base["title"], "standfirst": base["standfirst"], "text": base["text"], "url": url}
        else:
            donor = rows[int(neighbours[b, int(rng.integers(neighbours.shape[1]))])]
            sents = _rewrite(base, donor, rng, sentence_drop, sentence_swap)
            title = str(base["title"])
            sf = base["standfirst"] if isinstance(base["standfirst"], str) else None
            texts = _rename([title, sf or "", " ".join(sents)], rng, rename_share, pool, zipf)
            rec = {"kind": "rewrite", "title": texts[0], "standfirst": texts[1] or None,
                   "text": _paragraphs(_sentences(texts[2]), rng), "url": f"{url}{'&' if '?' in url else '?'}v={j}"}
            if pd.notna(pub):
                pub = pub + pd.Timedelta(days=int(rng.integers(-date_jitter_days, date_jitter_days + 1)))
        if pd.notna(pub) and date_epochs > 1:
            pub = pub + pd.Timedelta(days=span * int(rng.integers(date_epochs)))
        rec.update({"synth_id": sid, "based_on": int(based[b]), "copy_of": None, "published": pub, "source": base["source"]})
        out.append(rec)
    for k in range(n_dup + n_near):
        j = start + n_story + k
        src = out[int(rng.integers(n_story))]
        pub = src["published"]
        if pd.notna(pub):
            pub = pub + pd.Timedelta(days=int(rng.integers(0, 2)))
        rec = dict(src, synth_id=f"s{j:07d}", copy_of=src["synth_id"], published=pub)
        if k < n_dup:
            rec["kind"] = "exact_duplicate"
            host = hosts[int(rng.integers(len(hosts)))] if hosts else "example.net"
            rec["url"] = f"https://{host}/syndicated/{j}"
            rec["source"] = None  # from the URL's host
        else:
            rec["kind"] = "near_duplicate"
            sents = _sentences(src["text"])
            if len(sents) > 4:
                del sents[int(rng.integers(1, len(sents)))]
            sents.append(_CLOSERS[int(rng.integers(len(_CLOSERS)))])
            rec["text"] = _paragraphs(sents, rng)
            rec["url"] = f"{src['url']}{'&' if '?' in src['url'] else '?'}update={j}"
        out.append(rec)
    frame = pd.DataFrame(out, columns=["synth_id", "kind", "based_on", "copy_of", "title", "standfirst", "text", "url",
                                       "published", "source"])
    frame["published"] = pd.to_datetime(frame["published"])
    return frame.iloc[rng.permutation(len(frame))].reset_index(drop=True)
