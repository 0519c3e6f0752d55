"""The article table: loaders for every kind of input, and manifests.

One row per article, with the columns of ``ARTICLE_COLUMNS`` (see ``DESIGN.md``). A corpus is
named by a *spec*:

``builtin:newsarticles`` / ``builtin:news100``
    The built-in NewsArticles data set (fetched by ``newsscope fetch-corpus``).
a folder
    Page files (aggregator captures or plain text), searched recursively; see
    :mod:`newsscope.parsing`.
a ``.csv`` / ``.jsonl`` / ``.parquet`` file
    A table of articles; columns are recognised by common names or given by ``columns``.

Pages and tables may come with a *manifest* (CSV ``file,url,published[,source]``) supplying what
the pages lack. :func:`load_corpus` returns the raw table; :func:`newsscope.clean.load_clean` the
cleaned, deduplicated analysis set (cached). The columns and ``doc_id`` are defined in
:mod:`newsscope.schema` (re-exported here).
"""

from __future__ import annotations

import json
import warnings
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlparse

import numpy as np
import pandas as pd

from newsscope import cache, paths
from newsscope.parsing import parse_paths
from newsscope.parsing.decode import decode_bytes
from newsscope.schema import (ARTICLE_COLUMNS, LIST_COLUMNS, _nullable_str, conform_articles,  # noqa: F401 - public here too
                              empty_articles, make_doc_id, to_records_json)

__all__ = [
    "ARTICLE_COLUMNS",
    "LIST_COLUMNS",
    "BUILTIN_CORPORA",
    "OUTLETS",
    "LoadResult",
    "make_doc_id",
    "empty_articles",
    "conform_articles",
    "resolve_spec",
    "fingerprint_corpus",
    "read_corpus",
    "load_corpus",
    "read_manifest",
    "apply_manifest",
    "attach_manifest",
    "reject_missing",
    "map_outlet",
]

#: Built-in corpora: spec name -> CSV file inside ``data/raw/newsarticles``.
BUILTIN_CORPORA: dict[str, str] = {"newsarticles": "NewsArticles.csv", "news100": "News100.csv"}

#: URL host -> outlet name for the built-in corpus (and any table with URLs of these sites).
OUTLETS: dict[str, str] = {
    "aljazeera.com": "Al Jazeera",
    "tass.com": "TASS",
    "abcnews.go.com": "ABC News",
    "rte.ie": "RTE",
    "huffingtonpost.com": "HuffPost",
    "dw.com": "DW",
    "chinadaily.com.cn": "China Daily",
    "bbc.co.uk": "BBC",
    "bbc.com": "BBC",
    "cnn.com": "CNN",
}

#: Recognised column names of user tables, per article-table column (first match wins).
COLUMN_ALIASES: dict[str, tuple[str, ...]] = {
    "text": ("text", "body", "content", "article", "article_text", "full_text"),
    "title": ("title", "headline", "heading"),
    "published": ("published", "publish_date", "date", "published_at", "pub_date", "datetime", "timestamp"),
    "url": ("url", "link", "article_source_link", "source_url", "href"),
    "source": ("source", "outlet", "publisher", "media", "site"),
    "standfirst": ("standfirst", "subtitle", "description", "summary", "dek", "lead"),
    "section": ("section", "category", "desk"),
    "authors": ("authors", "author", "byline"),
    "id": ("article_id", "id", "doc_id"),
}


@dataclass
class LoadResult:
    """A loaded corpus: the article table and the inputs that did not become articles.

    Attributes
    ----------
    articles : pandas.DataFrame
        The article table (``ARTICLE_COLUMNS``).
    rejected : pandas.DataFrame
        One row per rejected input (``origin``, ``reason``, ``detail``).
    accounting : pandas.DataFrame
        One row per input file or row and its outcome (pages only; empty for tables).
    """

    articles: pd.DataFrame
    rejected: pd.DataFrame = field(default_factory=lambda: pd.DataFrame(columns=["origin", "reason", "detail"]))
    accounting: pd.DataFrame = field(default_factory=pd.DataFrame)


def map_outlet(url: str | None) -> str | None:
    """Return the outlet name for a URL (known hosts mapped, others the bare host) or None."""
    if not url or not isinstance(url, str):
        return None
    host = urlparse(url if "//" in url else "//" + url).netloc.lower().split(":")[0]
    if not host:
        return None
    for known, name in OUTLETS.items():
        if host == known or host.endswith("." + known):
            return name
    return host[4:] if host.startswith("www.") else host


def resolve_spec(spec: str | Path) -> tuple[str, Path]:
    """Return ``(kind, path)`` for a corpus spec; kind is builtin, pages or table.

    Raises
    ------
    FileNotFoundError
        When the spec names no built-in corpus and no existing file or folder; for a built-in
        corpus that was not fetched yet, the message says how to fetch it.
    """
    s = str(spec)
    if s.startswith("builtin:"):
        name = s.split(":", 1)[1]
        if name not in BUILTIN_CORPORA:
            raise ValueError(f"unknown built-in corpus {name!r}; choose one of {sorted(BUILTIN_CORPORA)}")
        path = paths.raw_dir() / "newsarticles" / BUILTIN_CORPORA[name]
        if not path.is_file():
            raise FileNotFoundError(f"{path} is missing: run `newsscope fetch-corpus` (or `make fetch`) first")
        return "builtin", path
    p = Path(s).expanduser()
    candidates = [p] if p.is_absolute() else [Path.cwd() / p, paths.project_root() / p]
    for c in candidates:
        if c.is_dir():
            return "pages", c.resolve()
        if c.is_file():
            if c.suffix.lower() in {".csv", ".jsonl", ".json", ".parquet", ".pq", ".tsv"}:
                return "table", c.resolve()
            return "pages", c.resolve()
    raise FileNotFoundError(f"corpus {s!r}: no such file or folder (looked in {', '.join(str(c) for c in candidates)})")


def fingerprint_corpus(spec: str | Path, manifest: str | Path | None = None, columns: dict[str, str] | None = None) -> str:
    """Return a SHA-256 over the corpus's input content (and manifest and column mapping)."""
    kind, path = resolve_spec(spec)
    files = sorted(f for f in path.rglob("*") if f.is_file() and not any(part.startswith(".") for part in f.relative_to(path).parts)) if path.is_dir() else [path]
    root = path if path.is_dir() else path.parent
    parts = {"kind": kind, "files": cache.hash_files(files, root=root), "columns": columns or {}}
    if manifest is not None:
        parts["manifest"] = cache.hash_files([Path(manifest)], root=Path(manifest).parent)
    return cache.hash_object(parts)


# --------------------------------------------------------------------------- manifests

def read_manifest(path: str | Path) -> pd.DataFrame:
    """Read a manifest CSV (``file,url,published[,source]``).

    Returns a table with columns file, url, published (datetime or NaT), source, line. Bad dates
    become NaT with a warning naming the line; a missing required column is an error.

    Raises
    ------
    ValueError
        If ``file`` or both of ``url`` and ``published`` are missing.
    """
    path = Path(path)
    try:
        m = pd.read_csv(path, dtype=str, keep_default_na=False, encoding="utf-8-sig")
    except pd.errors.EmptyDataError as exc:
        raise ValueError(f"{path}: the manifest is empty (expected a header file,url,published[,source])") from exc
    m.columns = [c.strip().lower() for c in m.columns]
    if "file" not in m.columns:
        raise ValueError(f"{path}: manifest has no 'file' column (columns: {', '.join(m.columns)}; expected file,url,published[,source])")
    if "url" not in m.columns and "published" not in m.columns:
        raise ValueError(f"{path}: manifest needs a 'url' or a 'published' column besides 'file' (columns: {', '.join(m.columns)})")
    for col in ("url", "published", "source"):
        if col not in m.columns:
            m[col] = ""
    m["line"] = range(2, len(m) + 2)
    raw_dates = m["published"].str.strip()
    parsed = pd.to_datetime(raw_dates.replace("", None), errors="coerce", utc=True, format="mixed")
    bad = raw_dates.ne("") & parsed.isna()
    for line, value in zip(m.loc[bad, "line"], raw_dates[bad]):
        warnings.warn(f"{path}:{line}: field 'published': cannot parse date {value!r}; left empty", stacklevel=2)
    m["published"] = parsed.dt.tz_localize(None)
    m["date_warning"] = [f"manifest line {ln}: bad date {v!r}" if b else "" for ln, v, b in zip(m["line"], raw_dates, bad)]
    m["file"] = m["file"].str.strip().str.replace("\\", "/", regex=False)
    dup = m["file"].duplicated(keep="first")
    for line, f in zip(m.loc[dup, "line"], m.loc[dup, "file"]):
        warnings.warn(f"{path}:{line}: file {f!r} is listed again; the first entry is used", stacklevel=2)
    return m.loc[~dup].reset_index(drop=True)


def _match_manifest_keys(keys: list[str], files: pd.Index) -> list[str | None]:
    """Match article keys to manifest files: exactly, else by a unique path suffix.

    A manifest written relative to another folder (``pages/000/a.txt`` for the origin
    ``000/a.txt``, or just ``a.txt``) still matches when exactly one entry fits component-wise.
    """
    exact = set(files)
    out: list[str | None] = [k if k in exact else None for k in keys]
    if all(o is not None for o in out):
        return out
    by_base: dict[str, list[str]] = {}
    for f in files:
        by_base.setdefault(f.rsplit("/", 1)[-1], []).append(f)
    taken = {o for o in out if o is not None}
    for i, k in enumerate(keys):
        if out[i] is not None:
            continue
        fits = [f for f in by_base.get(k.rsplit("/", 1)[-1], [])
                if f not in taken and (f.endswith("/" + k) or k.endswith("/" + f) or f == k)]
        if len(fits) == 1:
            out[i] = fits[0]
            taken.add(fits[0])
    return out


def apply_manifest(articles: pd.DataFrame, manifest: pd.DataFrame, key: str = "origin",
                   override_dates: bool = False) -> pd.DataFrame:
    """Fill url, published and source of ``articles`` from ``manifest`` (matched on ``key``).

    Matching is exact on the forward-slash path, else by a unique path suffix (a manifest
    relative to a parent folder, or listing bare file names). Values already present in
    ``articles`` are kept unless empty (a page's own source line wins over the manifest);
    articles without an entry get a warning ``no manifest entry``. Entries matching no article
    are reported in ``result.attrs['manifest_unmatched']``. With ``override_dates`` (corpora of
    pages: a saved HTML page carries its own date) a date in the manifest replaces the article's.
    """
    out = articles.reset_index(drop=True).copy()
    by_file = manifest.set_index("file")
    by_file = by_file[~by_file.index.duplicated(keep="first")]
    keys = out[key].astype(str).str.replace("\\", "/", regex=False).tolist()
    matches = _match_manifest_keys(keys, by_file.index)
    # vectorised (a row-by-row .at/.loc loop took ~0.7 ms per article: 70 s for 100k pages)
    idx = np.array([i for i, m in enumerate(matches) if m is not None], dtype=np.int64)
    rows = by_file.loc[[matches[i] for i in idx]] if len(idx) else by_file.iloc[:0]
    n = len(out)
    for col in ("url", "source"):
        current = out[col].to_numpy(dtype=object) if col in out.columns else np.full(n, None, dtype=object)
        values = np.array([_nullable_str(v) for v in rows[col]] if col in rows.columns else [None] * len(idx), dtype=object)
        empty = np.array([_nullable_str(v) is None for v in current[idx]], dtype=bool)
        take = empty & np.array([v is not None for v in values], dtype=bool)
        if take.any() or col not in out.columns:
            current = current.copy()
            current[idx[take]] = values[take]
            out[col] = pd.Series(current, index=out.index, dtype=object)
    if "published" not in out.columns:
        out["published"] = pd.Series(pd.NaT, index=out.index, dtype="datetime64[ns]")
    if len(idx):
        given = pd.to_datetime(rows["published"], errors="coerce").to_numpy()
        take = ~pd.isna(given) if override_dates else out["published"].isna().to_numpy()[idx] & ~pd.isna(given)
        if take.any():
            out.loc[idx[take], "published"] = given[take]
    old = out["warnings"].tolist() if "warnings" in out.columns else [[] for _ in range(n)]
    date_warning = dict(zip(idx.tolist(), rows["date_warning"].tolist() if "date_warning" in rows.columns else [""] * len(idx)))
    out["warnings"] = [
        list(w) + ([date_warning[i]] if date_warning.get(i) else []) if m is not None else list(w) + ["no manifest entry"]
        for i, (w, m) in enumerate(zip(old, matches))
    ]
    out.attrs["manifest_unmatched"] = sorted(set(by_file.index) - {m for m in matches if m is not None})
    return out


# --------------------------------------------------------------------------- loaders

def _read_builtin(path: Path) -> LoadResult:
    raw = pd.read_csv(path, dtype=str, keep_default_na=False, encoding="utf-8")
    expected = ["article_id", "publish_date", "article_source_link", "title", "subtitle", "text"]
    missing = [c for c in expected if c not in raw.columns]
    if missing:
        raise ValueError(f"{path}: not the NewsArticles table (missing columns {missing})")
    origin = [f"{path.name}#article_id={a}" for a in raw["article_id"]]
    dates = raw["publish_date"].str.strip()
    published = pd.to_datetime(dates, format="%Y/%m/%d", errors="coerce")
    warn: list[list[str]] = [[] for _ in range(len(raw))]
    for i in range(len(raw)):
        if pd.isna(published.iat[i]):
            # A non-standard value: take the date if a lenient parse finds one, else leave NaT.
            lenient = pd.to_datetime(dates.iat[i], errors="coerce")
            line = i + 2  # header is line 1 (fields carry no newlines before this column)
            if pd.notna(lenient):
                published.iat[i] = lenient.normalize()
                msg = f"field 'publish_date': non-standard value {raw['publish_date'].iat[i]!r} read as {lenient.date()}"
            else:
                msg = f"field 'publish_date': cannot parse {raw['publish_date'].iat[i]!r}; published left empty"
            warn[i].append(msg)
            warnings.warn(f"{path}: {origin[i]}: {msg}", stacklevel=3)
    df = pd.DataFrame({
        "origin": origin,
        "source": [map_outlet(u) for u in raw["article_source_link"]],
        "url": raw["article_source_link"],
        "published": published,
        "title": raw["title"],
        "standfirst": raw["subtitle"],
        "text": raw["text"],
        "warnings": warn,
    })
    df["doc_id"] = [make_doc_id(o, t, x) for o, t, x in zip(df["origin"], df["title"], df["text"])]
    return LoadResult(conform_articles(df))


_REJECTED_COLUMNS = ["origin", "reason", "detail"]


def _decode_table(path: Path) -> tuple[str, str, list[str]]:
    """Decode a text table that is not UTF-8 (UTF-16, Latin-1/Windows-1252, ...) like a page file."""
    page = decode_bytes(path.read_bytes())
    if page.rejected:
        raise ValueError(f"{path}: cannot read the table: {page.reason} ({page.detail})")
    return page.text, page.encoding or "", list(page.warnings)  # type: ignore[return-value]


def _read_csv_text(source: Any, path: Path, sep: str, encoding: str | None) -> tuple[pd.DataFrame, list[tuple[str, str, str]]]:
    """Read CSV; rows with too many fields are skipped and returned as rejections (line numbers)."""
    import io

    kw: dict[str, Any] = {"dtype": str, "keep_default_na": False, "sep": sep}
    if encoding:
        kw["encoding"] = encoding
    try:
        return pd.read_csv(io.StringIO(source) if isinstance(source, str) else source, **kw), []
    except pd.errors.ParserError as exc:
        if "Expected" not in str(exc):
            raise
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always", pd.errors.ParserWarning)
        frame = pd.read_csv(io.StringIO(source) if isinstance(source, str) else source, on_bad_lines="warn", **kw)
    bad = []
    for w in caught:
        for line in str(w.message).splitlines():
            if line.startswith("Skipping line "):
                number, _, what = line[len("Skipping line "):].partition(":")
                bad.append((f"{path.name}#line={number.strip()}", "malformed row", f"line {number.strip()}: {what.strip()}"))
    return frame, bad


def _read_jsonl_lines(text: str, path: Path) -> tuple[pd.DataFrame, list[tuple[str, str, str]]]:
    """Read JSON Lines one line at a time; lines that are not a JSON object are rejections."""
    records, bad = [], []
    for number, line in enumerate(text.splitlines(), start=1):
        if not line.strip():
            continue
        try:
            value = json.loads(line)
        except json.JSONDecodeError as exc:
            bad.append((f"{path.name}#line={number}", "malformed row", f"line {number}: invalid JSON ({exc.msg} at column {exc.colno})"))
            continue
        if not isinstance(value, dict):
            bad.append((f"{path.name}#line={number}", "malformed row", f"line {number}: a JSON {type(value).__name__}, not an object"))
            continue
        records.append(value)
    return pd.DataFrame.from_records(records), bad


def _read_table_file(path: Path) -> tuple[pd.DataFrame, list[tuple[str, str, str]], list[str]]:
    """Return (table, rejected rows, decoding warnings) of a table file.

    CSV/TSV in UTF-8 (with or without BOM) is read directly; other encodings (UTF-16,
    Windows-1252/Latin-1, ...) are detected as for pages, with a warning. CSV rows with too many
    fields and JSON Lines that are not objects are rejected with their line number; anything
    that leaves no table at all is a ValueError naming the file.
    """
    suffix = path.suffix.lower()
    try:
        if suffix in {".csv", ".tsv"}:
            sep = "\t" if suffix == ".tsv" else ","
            try:
                frame, bad = _read_csv_text(path, path, sep, "utf-8-sig")
                return frame, bad, []
            except UnicodeDecodeError:
                text, encoding, notes = _decode_table(path)
                frame, bad = _read_csv_text(text, path, sep, None)
                return frame, bad, notes or [f"table decoded as {encoding}"]
        if suffix in {".jsonl", ".json"}:
            try:
                return pd.read_json(path, lines=suffix == ".jsonl", dtype=False), [], []
            except (ValueError, UnicodeDecodeError):
                if suffix != ".jsonl":
                    raise
            try:
                text, notes = path.read_text(encoding="utf-8-sig"), []
            except UnicodeDecodeError:
                text, _, notes = _decode_table(path)
            frame, bad = _read_jsonl_lines(text, path)
            return frame, bad, notes
        if suffix in {".parquet", ".pq"}:
            return pd.read_parquet(path), [], []
    except (ValueError, pd.errors.ParserError, UnicodeDecodeError, OSError) as exc:
        if str(exc).startswith(f"{path}:"):
            raise
        raise ValueError(f"{path}: cannot read the table: {exc}") from exc
    raise ValueError(f"{path}: unknown table format {suffix!r} (use .csv, .jsonl or .parquet)")


def _long_text_columns(raw: pd.DataFrame, mapped: set[str], min_median: int = 100) -> list[str]:
    """Columns not recognised whose values look like article text (median length >= ``min_median``)."""
    out = []
    for c in raw.columns:
        if c in mapped or not (raw[c].dtype == object or pd.api.types.is_string_dtype(raw[c])):
            continue
        lengths = raw[c].dropna().astype(str).str.len()
        if len(lengths) and float(lengths.median()) >= min_median:
            out.append(str(c))
    return out


def _read_table(path: Path, columns: dict[str, str] | None) -> LoadResult:
    raw, bad_rows, notes = _read_table_file(path)
    for note in notes:
        warnings.warn(f"{path}: {note}", stacklevel=3)
    for origin, _, detail in bad_rows:
        warnings.warn(f"{path}: {detail}: row skipped (recorded as rejected: {origin})", stacklevel=3)
    lower = {c.lower(): c for c in raw.columns}
    mapping: dict[str, str] = {}
    for target, names in COLUMN_ALIASES.items():
        if columns and target in columns:
            if columns[target] not in raw.columns:
                raise ValueError(f"{path}: column {columns[target]!r} (given for {target!r}) is not in the table; columns: {list(raw.columns)}")
            mapping[target] = columns[target]
            continue
        for n in names:
            if n in lower:
                mapping[target] = lower[n]
                break
    if "text" not in mapping and "title" in mapping and not _long_text_columns(raw, set(mapping.values())):
        # headlines only (no other column holds long text): every row is kept with an empty body,
        # which cleaning then reports as empty; a body under an unknown name is still an error below
        notes = [*notes, "no text column: the table holds titles only, bodies left empty"]
        warnings.warn(f"{path}: {notes[-1]}", stacklevel=3)
        raw = raw.assign(_text="")
        mapping["text"] = "_text"
    if "text" not in mapping:
        raise ValueError(f"{path}: the table has no text column (looked for {', '.join(COLUMN_ALIASES['text'])}); "
                         f"pass columns={{'text': '<column>'}}; columns present: {list(raw.columns)}")
    ids = raw[mapping["id"]].astype(str).reset_index(drop=True) if "id" in mapping else pd.Series([str(i + 1) for i in range(len(raw))])
    id_name = mapping.get("id", "row")
    origins = [f"{path.name}#{id_name}={i}" for i in ids]
    warn: list[list[str]] = [[] for _ in range(len(raw))]
    repeated = ids.duplicated(keep="first").to_numpy()
    if repeated.any():
        # an id used twice would give two rows one origin (and identical rows one doc_id): keep both, told apart by row
        first_row = {v: k for k, v in reversed(list(enumerate(ids)))}
        for k in map(int, repeated.nonzero()[0]):
            origins[k] = f"{origins[k]}#row={k + 1}"
            msg = f"field {mapping['id']!r}: id {ids[k]!r} of row {k + 1} repeats row {first_row[ids[k]] + 1}"
            warn[k].append(msg)
            warnings.warn(f"{path}: {msg}", stacklevel=3)
    df = pd.DataFrame({"origin": origins})
    for target in ("text", "title", "url", "source", "standfirst", "section", "authors"):
        if target in mapping:
            df[target] = raw[mapping[target]].to_numpy()
    for w in warn:
        w.extend(notes)
    if "published" in mapping:
        values = raw[mapping["published"]]
        parsed = pd.to_datetime(values.astype(str).str.strip().replace({"": None, "None": None, "nan": None, "NaT": None}),
                                errors="coerce", utc=True, format="mixed")
        for i, (v, p) in enumerate(zip(values, parsed)):
            if pd.isna(p) and str(v).strip() not in {"", "None", "nan", "NaT"}:
                warn[i].append(f"field 'published': cannot parse {v!r}")
                warnings.warn(f"{path}: row {i + 1}: field 'published': cannot parse date {v!r}; left empty", stacklevel=3)
        df["published"] = parsed
    if "source" not in df.columns or df["source"].isna().all():
        df["source"] = [map_outlet(u) for u in df["url"]] if "url" in df.columns else None
    else:
        df["source"] = [s if _nullable_str(s) else map_outlet(u) for s, u in zip(df["source"], df.get("url", [None] * len(df)))]
    if "authors" in df.columns:
        df["authors"] = [v if isinstance(v, list) else [a.strip() for a in str(v).split(";") if a.strip()] if _nullable_str(v) else [] for v in df["authors"]]
    df["warnings"] = warn
    rejected = pd.DataFrame(bad_rows, columns=_REJECTED_COLUMNS) if bad_rows else pd.DataFrame(columns=_REJECTED_COLUMNS)
    return LoadResult(conform_articles(df), rejected=rejected)


def _read_pages(path: Path, exclude: list[Path] | None = None) -> LoadResult:
    # a manifest kept inside the page folder is not a page (excluded, as in `newsscope parse`)
    result = parse_paths([path], root=path if path.is_dir() else path.parent, exclude=exclude or [])
    return LoadResult(result.articles, rejected=result.rejected, accounting=result.accounting)  # parse_paths conforms


def reject_missing(result: Any, manifest: pd.DataFrame, unmatched: list[str], kind: str, path: Path,
                   manifest_path: Path, *, warn: bool = True) -> list[str]:
    """Record manifest entries that match no input (no file on disk, no row of the table) as rejected.

    Entries naming a file the parser rejected are not missing (that file is already accounted).
    ``result`` is a :class:`LoadResult` or a :class:`~newsscope.parsing.ParseResult` (its
    ``rejected`` and ``accounting`` grow by one row per missing entry). Returns the missing
    entries; with ``warn`` a warning names them too.
    """
    if not unmatched:
        return []
    if kind == "pages":
        rejected_origins = result.rejected["origin"].astype(str).tolist()
        hit = set(m for m in _match_manifest_keys(rejected_origins, pd.Index(unmatched)) if m is not None)
    else:
        hit = set()
    lines = dict(zip(manifest["file"], manifest["line"]))
    missing = [f for f in unmatched if f not in hit]
    if not missing:
        return []
    reason = "missing file" if kind == "pages" else "missing row"
    where = "no such file under " + str(path) if kind == "pages" else f"no row of {path.name} has this id"
    rows = pd.DataFrame({"origin": missing, "reason": reason,
                         "detail": [f"listed in {manifest_path.name} line {lines.get(f, '?')}, but {where}" for f in missing]})
    result.rejected = pd.concat([result.rejected, rows], ignore_index=True) if len(result.rejected) else rows
    if kind == "pages" and len(result.accounting):
        acc = pd.DataFrame({"origin": missing, "outcome": "rejected", "reason": reason, "detail": rows["detail"],
                            "bytes": 0, "encoding": "", "kind": ""})
        result.accounting = pd.concat([result.accounting, acc], ignore_index=True)
    if warn:
        warnings.warn(f"{manifest_path}: {len(missing)} {'entry matches' if len(missing) == 1 else 'entries match'} no input "
                      f"({', '.join(missing[:5])}{', ...' if len(missing) > 5 else ''}); recorded as rejected: {reason}",
                      stacklevel=3)
    return missing


def read_corpus(spec: str | Path, manifest: str | Path | None = None, columns: dict[str, str] | None = None) -> LoadResult:
    """Load a corpus and return the articles together with the rejected inputs.

    Parameters
    ----------
    spec : str or Path
        ``builtin:newsarticles``, ``builtin:news100``, a folder of pages or a table file.
    manifest : str or Path, optional
        CSV ``file,url,published[,source]``; ``file`` is matched against the article's origin
        (page path relative to the corpus folder, or the table's id).
    columns : dict, optional
        For tables: article-table column -> table column, overriding the recognised names.

    Returns
    -------
    LoadResult
    """
    kind, path = resolve_spec(spec)
    if kind == "builtin":
        result = _read_builtin(path)
    elif kind == "table":
        result = _read_table(path, columns)
    else:
        result = _read_pages(path, exclude=[Path(manifest)] if manifest is not None else None)
    if manifest is not None:
        attach_manifest(result, manifest, kind, path)
    result.articles.attrs["spec"] = str(spec)
    return result


def attach_manifest(result: LoadResult, manifest: str | Path, kind: str, path: Path) -> LoadResult:
    """Apply a manifest to a loaded corpus in place, as :func:`read_corpus` does, and return it.

    Fills url, published and source (:func:`apply_manifest`); for tables the manifest's
    ``file`` is the row id. Entries that match no input are added to ``result.rejected`` (and,
    for pages, to ``result.accounting``) as ``missing file`` / ``missing row``, with their line.
    Engines that parse pages elsewhere call this on their :class:`LoadResult` to stay identical.

    Parameters
    ----------
    result : LoadResult
    manifest : str or Path
        The manifest CSV.
    kind : {"pages", "table", "builtin"}
        As returned by :func:`resolve_spec`.
    path : Path
        The corpus folder or table file.
    """
    m = read_manifest(manifest)
    key = "origin"
    arts = result.articles
    if kind != "pages":
        arts = arts.assign(_key=arts["origin"].str.split("=", n=1).str[1].str.replace(r"#row=\d+$", "", regex=True))
        key = "_key"
    arts = apply_manifest(arts, m, key=key, override_dates=kind == "pages")  # a page's own date yields to the manifest
    unmatched = arts.attrs.get("manifest_unmatched", [])
    result.articles = conform_articles(arts.drop(columns=["_key"], errors="ignore"))
    result.articles.attrs["manifest_unmatched"] = unmatched
    reject_missing(result, m, unmatched, kind, path, Path(manifest))
    return result


def load_corpus(spec: str | Path = "builtin:newsarticles", manifest: str | Path | None = None, columns: dict[str, str] | None = None) -> pd.DataFrame:
    """Return the raw article table of a corpus (see :func:`read_corpus`).

    The rejected inputs are in ``df.attrs['rejected']`` (a list of dicts).
    """
    result = read_corpus(spec, manifest=manifest, columns=columns)
    df = result.articles
    df.attrs["rejected"] = result.rejected.to_dict("records")
    return df
