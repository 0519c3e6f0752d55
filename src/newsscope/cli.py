"""The command line: ``newsscope <command>`` or ``python -m newsscope <command>``.

Commands
--------
fetch-corpus   download, verify and extract the built-in corpus
parse          parse page files into an article table, with an accounting of every file
run            execute the numbered notebooks (in place, or on another corpus into an output root)
report         render executed notebooks to HTML pages and a front page (index.html) for readers without Jupyter
stream         the partitioned pipeline (parse, clean, vectorize, bursts, topics) for corpora bigger than memory
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from pathlib import Path

__all__ = ["build_parser", "main"]


def _cmd_fetch(args: argparse.Namespace) -> int:
    from newsscope.fetch import FetchError, fetch_corpus

    try:
        written = fetch_corpus(args.name, force=args.force)
    except FetchError as exc:
        print(f"newsscope fetch-corpus: {exc}", file=sys.stderr)
        return 1
    for name, path in written.items():
        print(f"{name}: {path}")
    return 0


def _cmd_parse(args: argparse.Namespace) -> int:
    from newsscope.cli_parse import run_parse

    return run_parse(args.paths, manifest=args.manifest, out=args.out, report=args.report, progress=not args.no_progress,
                     engine=args.engine, scheduler=args.scheduler, workers=args.workers,
                     extractor=args.extractor)


def _cmd_run(args: argparse.Namespace) -> int:
    from newsscope.runner import run_notebooks

    only = args.only.split(",") if args.only else None
    try:
        result = run_notebooks(only, corpus=args.corpus, manifest=args.manifest, out=args.out, timeout=args.timeout)
    except (FileNotFoundError, ValueError) as exc:  # no notebooks, a bad corpus setting or parameters cell
        print(f"newsscope run: {exc}", file=sys.stderr)
        return 2
    print(f"newsscope run: {result.summary()}", file=sys.stderr)
    return 1 if result.failed else 0


def _cmd_report(args: argparse.Namespace) -> int:
    from newsscope.runner import choose_output_root, write_report

    if args.notebooks:
        nb_dir = Path(args.notebooks)
    else:  # the notebooks `newsscope run` wrote for the current corpus setting
        try:
            out_root, _ = choose_output_root(args.corpus)
        except ValueError as exc:
            print(f"newsscope report: {exc}", file=sys.stderr)
            return 2
        nb_dir = out_root / "notebooks" if out_root is not None else None
    if nb_dir is not None and not nb_dir.is_dir():
        print(f"newsscope report: no folder of executed notebooks at {nb_dir}", file=sys.stderr)
        return 2
    report = write_report(nb_dir, Path(args.out) if args.out else None, hide_inputs=not args.show_inputs)
    for page in report.pages:
        print(page)
    print(report.index)
    for st in report.notebooks:
        if st.status != "ok":
            print(f"newsscope report: {st.stem}: {st.status}" + (f" ({st.error})" if st.error else ""), file=sys.stderr)
    return 0


def _cmd_stream(args: argparse.Namespace) -> int:
    from newsscope.cli_stream import run_stream

    return run_stream(args)


def build_parser() -> argparse.ArgumentParser:
    """Return the argument parser of the ``newsscope`` command."""
    p = argparse.ArgumentParser(prog="newsscope", description="Analyse corpora of news articles.")
    sub = p.add_subparsers(dest="command", required=True, metavar="COMMAND")

    f = sub.add_parser("fetch-corpus", help="download, verify and extract the built-in corpus")
    f.add_argument("--name", choices=["newsarticles", "news100"], default=None, help="only this file (default: both)")
    f.add_argument("--force", action="store_true", help="download again even if verified files exist")
    f.set_defaults(func=_cmd_fetch)

    from newsscope.cli_parse import add_parse_arguments

    pp = sub.add_parser("parse", help="parse page files into an article table, with an accounting of every file")
    add_parse_arguments(pp)
    pp.set_defaults(func=_cmd_parse)

    r = sub.add_parser("run", help="execute the numbered notebooks in order")
    r.add_argument("--corpus", help="corpus spec: builtin:NAME, a folder of pages or a table (default: NEWSSCOPE_CORPUS, "
                   "data/corpus.toml, else the built-in corpus in place)")
    r.add_argument("--manifest", help="manifest CSV file,url,published[,source]")
    r.add_argument("--out", help="output root for executed notebooks, results and figures "
                   "(default: in place for the built-in corpus, else out/<corpus name>)")
    r.add_argument("--only", help="comma-separated notebook numbers, e.g. 01,02")
    r.add_argument("--timeout", type=int, default=3600, help="per-cell timeout in seconds")
    r.set_defaults(func=_cmd_run)

    h = sub.add_parser("report", help="render executed notebooks as HTML pages with a front page (index.html)")
    h.add_argument("--notebooks", help="folder of executed notebooks (default: where `newsscope run` writes for the "
                   "current corpus setting: notebooks/ or out/<corpus name>/notebooks)")
    h.add_argument("--corpus", help="find the notebooks `newsscope run --corpus CORPUS` wrote (out/<corpus name>)")
    h.add_argument("--out", help="report folder (default: report/ beside the notebooks' folder)")
    h.add_argument("--show-inputs", action="store_true", help="keep code cells in the pages")
    h.set_defaults(func=_cmd_report)

    from newsscope.cli_stream import add_stream_arguments

    st = sub.add_parser("stream", help="the partitioned pipeline for corpora bigger than memory: result tables, bounded memory")
    add_stream_arguments(st)
    st.set_defaults(func=_cmd_stream)
    return p


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line and return the exit status."""
    parser = build_parser()
    args = parser.parse_args(argv)
    return int(args.func(args))


if __name__ == "__main__":
    raise SystemExit(main())
