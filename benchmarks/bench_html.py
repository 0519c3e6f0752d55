"""Saved web pages and web archives: extraction pages/s per core, quality, WARC reading.

Renders N distinct stories (default 600, :func:`newsscope.synth.vary_articles` over the
built-in sample) as HTML pages with :mod:`newsscope.synth_html` (three site templates, four
charsets, paywalls) and times, in this one process (one core; CPU time, best of ``--repeat``):

``trafilatura``  the library's own: ``trafilatura.bare_extraction(bytes, with_metadata=True)``
                 (its defaults: it detects the charset, extracts comments too);
``default``      newsscope's HTML path: charset decoding, one lxml tree, trafilatura with its
                 defaults on that tree, JSON-LD/figures/paywall, authors, dates, the record;
``fast``         the same with resiliparse's main-content text for the body.

Quality on the known bodies: word precision / recall / F1 of the body against the page's
article text (bags of words; the site promotion a page carries counts against precision),
the share of pages whose every article paragraph is found, and title and date accuracy.

WARC reading: the pages written into one ``.warc.gz`` (with requests, warcinfo, a redirect,
an error, an image, a metadata and a revisit record, one page captured twice) and read by
fastwarc and by warcio (iterate, parse HTTP headers, read every payload), then by
``newsscope.parsing.warc.iter_warc`` (records classified) and by ``parse_paths`` (pages).

The table is printed and written to ``benchmarks/results/html.csv``.
Usage: ``python benchmarks/bench_html.py [--n 600] [--repeat 3] [--seed 0]``
"""

from __future__ import annotations

import argparse
import sys
import tempfile
from collections import Counter
from pathlib import Path

import pandas as pd

sys.path.insert(0, str(Path(__file__).resolve().parent))
from timing import timed  # noqa: E402

from newsscope.corpus import load_corpus  # noqa: E402
from newsscope.parsing import parse_paths  # noqa: E402
from newsscope.parsing.html import decode_html, parse_html  # noqa: E402
from newsscope.parsing.warc import iter_warc  # noqa: E402
from newsscope.synth import vary_articles  # noqa: E402
from newsscope.synth_html import HtmlPage, generate_html_pages, write_warc  # noqa: E402

RESULTS = Path(__file__).resolve().parent / "results" / "html.csv"
GOAL_OVERHEAD = 0.10


def _best(fn, repeat: int) -> tuple[object, float]:
    best, out = float("inf"), None
    for _ in range(repeat):
        out, cpu, _wall = timed(fn)
        best = min(best, cpu)
    return out, best


def _words(text: str) -> Counter:
    return Counter((text or "").lower().split())


def _quality(bodies: list[str], titles: list[str], dates: list[str], truth: pd.DataFrame) -> dict[str, float]:
    tp = fp = fn = 0
    complete = 0
    for body, ref in zip(bodies, truth["text"]):
        got, want = _words(body), _words(ref)
        common = sum((got & want).values())
        tp += common
        fp += sum(got.values()) - common
        fn += sum(want.values()) - common
        paras = set((body or "").split("\n\n"))
        complete += all(p in paras for p in ref.split("\n\n"))
    p, r = tp / max(tp + fp, 1), tp / max(tp + fn, 1)
    return {"precision": round(p, 4), "recall": round(r, 4), "f1": round(2 * p * r / max(p + r, 1e-9), 4),
            "all_paragraphs": round(complete / len(truth), 4),
            "title_ok": round(sum(a == b for a, b in zip(titles, truth["title"])) / len(truth), 4),
            "date_ok": round(sum(str(a)[:10] == b for a, b in zip(dates, truth["published"])) / len(truth), 4)}


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--n", type=int, default=600)
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--seed", type=int, default=0)
    args = ap.parse_args(argv)

    import trafilatura

    stories = vary_articles(load_corpus("builtin:news100"), args.n, seed=args.seed, duplicate_share=0.0)
    rows: list[dict] = []
    with tempfile.TemporaryDirectory() as tmp:
        truth = generate_html_pages(stories, tmp, args.n, seed=args.seed, days=60)
        files = [Path(tmp) / "pages" / f for f in truth["file"]]
        blobs = [f.read_bytes() for f in files]
        mb = sum(map(len, blobs)) / 1e6

        def own() -> list:
            return [trafilatura.bare_extraction(b, with_metadata=True) for b in blobs]

        def ours(extractor: str) -> list:
            out = []
            for b in blobs:
                page = decode_html(b)
                out.append(parse_html(page.text, "p.html", warnings=page.warnings, extractor=extractor))
            return out

        own_docs, t_own = _best(own, args.repeat)
        q_own = _quality([(d.text or "").replace("\n", "\n\n") if d else "" for d in own_docs], [d.title if d else "" for d in own_docs],
                         [d.date if d else "" for d in own_docs], truth)
        rows.append({"stage": "trafilatura (library's own)", "items": args.n, "cpu_s": round(t_own, 3),
                     "items_per_cpu_s": round(args.n / t_own, 1), "mb_per_cpu_s": round(mb / t_own, 2), **q_own})
        for extractor in ("default", "fast"):
            parsed, t = _best(lambda e=extractor: ours(e), args.repeat)
            recs = [p.record for p in parsed]
            q = _quality([r["text"] for r in recs], [r["title"] for r in recs], [r["published"] for r in recs], truth)
            rows.append({"stage": f"newsscope {extractor}", "items": args.n, "cpu_s": round(t, 3),
                         "items_per_cpu_s": round(args.n / t, 1), "mb_per_cpu_s": round(mb / t, 2),
                         "overhead_vs_library": round(t / t_own - 1, 4), **q})
            if extractor == "default":
                same = sum(r["text"].replace("\n\n", "\n") == (d.text or "").replace("\n\n", "\n") if d else False
                           for r, d in zip(recs, own_docs))
                rows[-1]["same_body_as_library"] = round(same / args.n, 4)

        # web archives: the same pages in one gzip-per-record WARC
        pages = [HtmlPage(b, u, {"charset": c}) for b, u, c in zip(blobs, truth["url"], truth["charset"])]
        warc = Path(tmp) / "crawl.warc.gz"
        write_warc(warc, pages, recapture=0)
        wmb = warc.stat().st_size / 1e6

        def read_fastwarc() -> int:
            from fastwarc import ArchiveIterator

            n = 0
            with open(warc, "rb") as fh:
                for rec in ArchiveIterator(fh, parse_http=True, auto_decode="all"):
                    rec.reader.read()
                    n += 1
            return n

        def read_warcio() -> int:
            from warcio.archiveiterator import ArchiveIterator

            n = 0
            with open(warc, "rb") as fh:
                for rec in ArchiveIterator(fh):
                    rec.content_stream().read()
                    n += 1
            return n

        for name, fn in (("WARC read: fastwarc", read_fastwarc), ("WARC read: warcio", read_warcio),
                         ("WARC records: iter_warc (fastwarc, classified)", lambda: sum(1 for _ in iter_warc(str(warc), "w")))):
            n, t = _best(fn, args.repeat)
            rows.append({"stage": name, "items": n, "cpu_s": round(t, 3), "items_per_cpu_s": round(n / t, 1),
                         "mb_per_cpu_s": round(wmb / t, 2)})
        res, t = _best(lambda: parse_paths([warc]), 1)
        n_pages = int(res.accounting["kind"].eq("html").sum())
        rows.append({"stage": "WARC to articles: parse_paths (default)", "items": n_pages, "cpu_s": round(t, 3),
                     "items_per_cpu_s": round(n_pages / t, 1), "mb_per_cpu_s": round(wmb / t, 2)})
    table = pd.DataFrame(rows)
    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    table.to_csv(RESULTS, index=False)
    with pd.option_context("display.width", 200, "display.max_columns", 20):
        print(table.to_string(index=False))
    over = table.loc[table["stage"] == "newsscope default", "overhead_vs_library"].iloc[0]
    print(f"\ndefault extraction overhead vs trafilatura's own: {over:+.1%} (goal <= {GOAL_OVERHEAD:.0%})")
    print(f"wrote {RESULTS}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
