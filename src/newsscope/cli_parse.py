"""``newsscope parse PATH... [--manifest FILE] [--out FILE] [--report FILE]``.

Parses page files and folders into the article table and accounts for every input file.

Output
    ``--out`` by extension: ``.jsonl`` (JSON Lines), ``.parquet``/``.pq``, ``.csv`` (list
    columns as JSON arrays); without ``--out`` JSON Lines go to stdout. Dates are ISO 8601.
    Files are written atomically (never half-written).
Accounting
    Files seen, parsed, parsed with warnings, rejected by reason — every file in exactly one
    outcome — printed at the end (to stderr when the articles go to stdout, else to stdout),
    followed by the first rejected files; ``--report`` writes one row per file as CSV.
Manifest
    CSV ``file,url,published[,source]`` filling what pages lack (dates, URLs); ``file`` is the
    page path relative to the input folder. The manifest file itself (and the output and
    report files) are not inputs, even inside an input folder. An entry naming no input file is
    accounted as rejected (``missing file``, with its manifest line), as ``load_corpus`` does.
Engine
    ``--engine dask --scheduler tcp://host:8786`` (or ``NEWSSCOPE_DASK_SCHEDULER``) parses the
    files in partitions on a Dask cluster whose workers see the files at the same path;
    ``--engine dask-local [--workers N]`` on a ``LocalCluster`` on this machine. The output is
    the same as with the default local engine (see :mod:`newsscope.engine`).
Exit status
    0 when the run completed, however bad the inputs (bad files are rejected and accounted);
    2 for usage errors: a path that does not exist, an unreadable or malformed manifest (no
    ``file`` column), an output format that is not known, ``--engine dask`` without a scheduler
    address; 1 when the Dask cluster cannot be reached. Nothing is written on an error.
"""

from __future__ import annotations

import json
import os
import sys
import warnings
from collections.abc import Sequence
from pathlib import Path

import pandas as pd

from newsscope.cache import write_atomic
from newsscope.corpus import LIST_COLUMNS, apply_manifest, conform_articles, read_manifest, reject_missing, to_records_json
from newsscope.parsing.files import ParseResult, parse_paths, summarize_accounting

__all__ = ["OUTPUT_FORMATS", "run_parse", "write_articles", "add_parse_arguments"]

#: Output file endings and their formats.
OUTPUT_FORMATS: dict[str, str] = {".jsonl": "jsonl", ".ndjson": "jsonl", ".json": "jsonl", ".parquet": "parquet",
                                  ".pq": "parquet", ".csv": "csv"}
_SHOW_REJECTED = 20


def _usage_error(message: str) -> int:
    print(f"newsscope parse: error: {message}", file=sys.stderr)
    return 2


def write_articles(articles: pd.DataFrame, out: Path) -> Path:
    """Write the article table to ``out`` in the format of its extension (atomically).

    Parameters
    ----------
    articles : pandas.DataFrame
        The article table.
    out : Path
        ``.jsonl`` (also ``.ndjson``, ``.json``: JSON Lines), ``.parquet``/``.pq`` or ``.csv``.

    Returns
    -------
    Path

    Raises
    ------
    ValueError
        For an unknown extension.
    """
    fmt = OUTPUT_FORMATS.get(out.suffix.lower())
    if fmt is None:
        raise ValueError(f"{out}: unknown output format {out.suffix!r}; use one of {', '.join(sorted(OUTPUT_FORMATS))}")
    if fmt == "jsonl":
        text = to_records_json(articles)
        return write_atomic(out, lambda tmp: tmp.write_text(text, encoding="utf-8"))
    if fmt == "parquet":
        return write_atomic(out, lambda tmp: articles.to_parquet(tmp, index=False))
    flat = articles.copy()
    for col in LIST_COLUMNS:
        flat[col] = [json.dumps(list(v), ensure_ascii=False) for v in flat[col]]
    flat["published"] = [None if pd.isna(p) else pd.Timestamp(p).isoformat() for p in flat["published"]]
    return write_atomic(out, lambda tmp: flat.to_csv(tmp, index=False, encoding="utf-8"))


def _input_root(paths: Sequence[str | Path]) -> Path:
    """The folder origins are relative to: the common folder of ``paths`` (as ``parse_paths`` chooses it)."""
    bases = [os.path.abspath(p if Path(p).is_dir() else Path(p).parent) for p in paths]
    return Path(os.path.commonpath(bases))


def _apply_manifest(result: ParseResult, manifest: pd.DataFrame, manifest_path: Path, root: Path) -> list[str]:
    """Apply the manifest to the parsed articles; update the accounting; return notes.

    Entries that match no input file are recorded as rejected (``missing file``, with their
    manifest line) in ``result.rejected`` and the accounting, as :func:`newsscope.corpus.read_corpus`
    records them. A page's own date yields to the manifest's.
    """
    arts = apply_manifest(result.articles, manifest, override_dates=True)
    unmatched = arts.attrs.get("manifest_unmatched", [])
    result.articles = conform_articles(arts)
    acc = result.accounting
    warned = dict(zip(result.articles["origin"], result.articles["warnings"]))
    for i in acc.index[acc["outcome"] != "rejected"]:
        w = warned.get(acc.at[i, "origin"], [])
        acc.at[i, "outcome"] = "parsed_with_warnings" if w else "parsed"
        acc.at[i, "detail"] = " | ".join(w)
    notes = []
    not_input = reject_missing(result, manifest, unmatched, "pages", root, manifest_path, warn=False)
    if not_input:
        shown = ", ".join(not_input[:5]) + (", ..." if len(not_input) > 5 else "")
        notes.append(f"manifest: {len(not_input)} {'entry matches' if len(not_input) == 1 else 'entries match'} no input file "
                     f"({shown}): recorded as rejected, missing file")
    n_missing = sum("no manifest entry" in w for w in result.articles["warnings"])
    if n_missing:
        notes.append(f"manifest: {n_missing} parsed page(s) have no manifest entry (no date/URL)")
    return notes


def _report_text(result: ParseResult, notes: list[str]) -> str:
    lines = [summarize_accounting(result.accounting)]
    rej = result.accounting[result.accounting["outcome"] == "rejected"]
    if len(rej):
        lines.append("rejected files:")
        for origin, reason, detail in rej[["origin", "reason", "detail"]].head(_SHOW_REJECTED).itertuples(index=False):
            lines.append(f"  {origin}: {reason} ({detail})")
        if len(rej) > _SHOW_REJECTED:
            lines.append(f"  ... and {len(rej) - _SHOW_REJECTED} more (write them all with --report FILE.csv)")
    lines.extend(notes)
    return "\n".join(lines)


def run_parse(paths: Sequence[str | Path], manifest: str | Path | None = None, out: str | Path | None = None,
              report: str | Path | None = None, progress: bool = True, engine: str | None = None,
              scheduler: str | None = None, workers: int | None = None, extractor: str = "default") -> int:
    """Run ``newsscope parse``: parse, apply the manifest, write the table, print the accounting.

    Parameters
    ----------
    paths : sequence of path-like
        Page files and folders.
    manifest : path-like, optional
        Manifest CSV ``file,url,published[,source]``.
    out : path-like, optional
        Output table (format by extension); JSON Lines on stdout when None.
    report : path-like, optional
        CSV with one accounting row per input file.
    progress : bool
        Progress bar on stderr (only when stderr is a terminal).
    engine : {"local", "dask", "dask-local"}, optional
        Where to parse (default: ``NEWSSCOPE_ENGINE`` or local; see :mod:`newsscope.engine`).
    scheduler : str, optional
        Dask scheduler address for ``engine="dask"`` (default: ``NEWSSCOPE_DASK_SCHEDULER``).
    workers : int, optional
        Worker processes for ``engine="dask-local"`` (default: one per core).

    Returns
    -------
    int
        Exit status: 0 on completion (bad inputs are accounted), 2 on a usage error.
    """
    if not paths:
        return _usage_error("give at least one file or folder of pages")
    missing = [str(p) for p in paths if not Path(p).exists()]
    if missing:
        return _usage_error(f"no such file or folder: {', '.join(missing)}")
    out_path = Path(out) if out is not None else None
    if out_path is not None and out_path.suffix.lower() not in OUTPUT_FORMATS:
        return _usage_error(f"--out {out_path}: unknown format {out_path.suffix!r}; use .jsonl, .parquet or .csv")
    if report is not None and Path(report).suffix.lower() != ".csv":
        return _usage_error(f"--report {report}: the report is a CSV file (name it *.csv)")
    table = None
    if manifest is not None:
        if not Path(manifest).is_file():
            return _usage_error(f"--manifest {manifest}: no such file")
        try:
            with warnings.catch_warnings(record=True) as caught:
                warnings.simplefilter("always")
                table = read_manifest(manifest)
        except (ValueError, UnicodeDecodeError, pd.errors.ParserError) as exc:
            return _usage_error(f"--manifest {manifest}: {exc}")
        for w in caught:
            print(f"newsscope parse: warning: {w.message}", file=sys.stderr)
    exclude = [p for p in (manifest, out, report) if p is not None]
    show = progress and sys.stderr.isatty()
    if engine in (None, "local") and scheduler is None and not os.environ.get("NEWSSCOPE_ENGINE", "").strip():
        result = parse_paths([Path(p) for p in paths], progress=show, exclude=exclude, extractor=extractor)
    else:
        from newsscope.engine import parse as engine_parse

        try:
            result = engine_parse.parse_paths([Path(p) for p in paths], engine=engine, exclude=exclude, progress=show,
                                              scheduler=scheduler, n_workers=workers, extractor=extractor)
        except ValueError as exc:  # no scheduler address, unknown engine name
            return _usage_error(str(exc))
        except (ConnectionError, RuntimeError) as exc:  # cluster unreachable, no workers, version mismatch
            print(f"newsscope parse: error: {exc}", file=sys.stderr)
            return 1
    notes = _apply_manifest(result, table, Path(manifest), _input_root(paths)) if table is not None else []
    if out_path is None:
        sys.stdout.write(to_records_json(result.articles))
        sys.stdout.flush()
    else:
        write_articles(result.articles, out_path)
        notes.append(f"wrote {len(result.articles)} article(s) to {out_path}")
    if report is not None:
        write_atomic(Path(report), lambda tmp: result.accounting.to_csv(tmp, index=False, encoding="utf-8"))
        notes.append(f"wrote the accounting of {len(result.accounting)} file(s) to {report}")
    print(_report_text(result, notes), file=sys.stderr if out_path is None else sys.stdout)
    return 0


def add_parse_arguments(parser) -> None:  # noqa: ANN001 - an argparse parser
    """Add the arguments of ``newsscope parse`` to an argparse (sub)parser."""
    parser.description = ("Parse aggregator pages (and plain-text files) into the article table and account for "
                          "every input file: parsed, parsed with warnings, or rejected with a reason (empty, binary, "
                          "undecodable, too large, not a page, unreadable).")
    parser.epilog = ("Exit status: 0 when the run completed, however bad the inputs; 1 when the Dask cluster cannot be "
                     "reached; 2 on a usage error "
                     "(a path that does not exist, a manifest without a 'file' column, an unknown output format).")
    parser.add_argument("paths", nargs="+", metavar="PATH", help="page files or folders (searched recursively; hidden files skipped)")
    parser.add_argument("--manifest", metavar="FILE", help="CSV file,url,published[,source] supplying dates and URLs")
    parser.add_argument("--out", metavar="FILE", help="output .jsonl, .parquet or .csv (default: JSON Lines on stdout)")
    parser.add_argument("--report", metavar="FILE", help="write the accounting (one row per input file) as CSV")
    parser.add_argument("--no-progress", action="store_true", help="no progress bar")
    parser.add_argument("--extractor", choices=["default", "fast"], default="default",
                        help="HTML body extractor: default (trafilatura) or fast (resiliparse, about 2x faster; "
                             "see benchmarks/README.md for its quality)")
    parser.add_argument("--engine", choices=["local", "dask", "dask-local"], default=None,
                        help="where to parse: here (local, default), on a Dask cluster (dask) or on a local Dask cluster")
    parser.add_argument("--scheduler", metavar="ADDRESS",
                        help="Dask scheduler, e.g. tcp://10.0.0.5:8786 (default: $NEWSSCOPE_DASK_SCHEDULER)")
    parser.add_argument("--workers", type=int, metavar="N", help="worker processes for --engine dask-local (default: one per core)")
