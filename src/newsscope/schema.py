"""The article table's schema: columns, ``doc_id``, conforming a table, JSON Lines.

One row per article with the columns of :data:`ARTICLE_COLUMNS` (see ``DESIGN.md``, "The article
table"). Every layer above uses this module: the parsers build rows, :mod:`newsscope.corpus`
loads them from every kind of input, the stages add their columns after these.
"""

from __future__ import annotations

import hashlib
import json
from typing import Any

import pandas as pd

__all__ = ["ARTICLE_COLUMNS", "LIST_COLUMNS", "make_doc_id", "empty_articles", "conform_articles", "to_records_json"]

ARTICLE_COLUMNS: list[str] = [
    "doc_id", "origin", "source", "url", "published", "section", "authors", "title",
    "standfirst", "captions", "image_credits", "dateline", "text", "paywalled", "warnings",
]
LIST_COLUMNS: tuple[str, ...] = ("authors", "captions", "image_credits", "warnings")


def make_doc_id(origin: str, title: str | None, text: str | None) -> str:
    """Return a stable 16-hex-digit id from an article's origin and content."""
    h = hashlib.sha256()
    for part in (origin, title or "", text or ""):
        h.update(part.encode("utf-8", "surrogatepass"))
        h.update(b"\x1f")
    return h.hexdigest()[:16]


def empty_articles() -> pd.DataFrame:
    """Return an article table with no rows and the right dtypes."""
    return conform_articles(pd.DataFrame({c: [] for c in ARTICLE_COLUMNS}))


def _as_list(value: Any) -> list[str]:
    if value is None:
        return []
    if isinstance(value, float) and pd.isna(value):
        return []
    if isinstance(value, str):
        return [value] if value else []
    try:
        return [str(v) for v in value if v is not None and str(v) != ""]
    except TypeError:
        return [str(value)]


def _nullable_str(value: Any) -> str | None:
    if value is None or (isinstance(value, float) and pd.isna(value)) or value is pd.NA:
        return None
    s = str(value).strip()
    return s or None


def conform_articles(df: pd.DataFrame) -> pd.DataFrame:
    """Return ``df`` with exactly ``ARTICLE_COLUMNS`` (plus any extra columns after them), typed.

    Missing columns are added empty; list columns become lists of str; ``published`` becomes
    ``datetime64[ns]`` (naive, UTC-normalised) with ``NaT`` for missing; ``doc_id`` is filled
    from origin and content where missing.
    """
    out = df.copy()
    n = len(out)
    for col in ARTICLE_COLUMNS:
        if col not in out.columns:
            out[col] = [[] for _ in range(n)] if col in LIST_COLUMNS else None
    for col in LIST_COLUMNS:
        out[col] = [_as_list(v) for v in out[col]]
    for col in ("source", "url", "section", "standfirst", "dateline"):
        out[col] = pd.Series([_nullable_str(v) for v in out[col]], index=out.index, dtype="object")
    for col in ("origin", "title", "text"):
        out[col] = pd.Series(["" if _nullable_str(v) is None else str(v) for v in out[col]], index=out.index, dtype="object")
    out["paywalled"] = out["paywalled"].fillna(False).astype(bool)
    pub = out["published"]
    if not pd.api.types.is_datetime64_any_dtype(pub):
        pub = pd.to_datetime(pub, errors="coerce", utc=True, format="mixed")
    if getattr(pub.dt, "tz", None) is not None:
        pub = pub.dt.tz_convert("UTC").dt.tz_localize(None)
    out["published"] = pub.astype("datetime64[ns]")
    missing = [not isinstance(v, str) or not v for v in out["doc_id"]]
    if any(missing):
        out.loc[missing, "doc_id"] = [
            make_doc_id(o, t, x) for o, t, x in zip(out.loc[missing, "origin"], out.loc[missing, "title"], out.loc[missing, "text"])
        ]
    extra = [c for c in out.columns if c not in ARTICLE_COLUMNS]
    return out[ARTICLE_COLUMNS + extra].reset_index(drop=True)


def to_records_json(df: pd.DataFrame) -> str:
    """Return ``df`` as JSON Lines with ISO 8601 dates (the ``newsscope parse`` output format)."""
    lines = []
    for rec in df.to_dict("records"):
        pub = rec.get("published")
        rec["published"] = None if pub is None or pd.isna(pub) else pd.Timestamp(pub).isoformat()
        lines.append(json.dumps(rec, ensure_ascii=False, default=str))
    return "\n".join(lines) + ("\n" if lines else "")
