"""Duplicate detection at scale: exact + MinHash/LSH near-duplicates over N synthetic articles.

Builds N articles (default 100,000) from the built-in corpus: each is a real article whose words
are shuffled between sentences of two random articles (so unrelated texts have realistic
vocabulary and length), and a known share of them are planted copies of another synthetic
article: exact copies, and near copies with a fraction of the words replaced (Jaccard of
word 3-grams about 0.75-0.85, like wire copy edited by a second outlet). Times, in this single
process:

``exact``   normalisation and grouping of equal texts;
``near``    shingling, one-permutation MinHash, LSH candidates, exact Jaccard of the candidates;
``cluster`` greedy canonical assignment.

CPU time of this process is reported (other load on the shared machine does not distort it) and
wall time beside it; recall of the planted near copies is checked (further pairs found are real: their exact Jaccard is above the threshold). Writes ``benchmarks/results/dedup.csv``. Goal: 100,000 articles in well under a minute.

Usage: ``python benchmarks/bench_dedup.py [--n 100000] [--seed 0] [--dup-share 0.05]``
"""

from __future__ import annotations

import argparse
import platform
import warnings
from pathlib import Path

import numpy as np
import pandas as pd

from newsscope.clean import dedup
from newsscope.corpus import load_corpus
from timing import timed  # benchmarks/timing.py (this folder is on sys.path when a script runs)

RESULTS = Path(__file__).resolve().parent / "results" / "dedup.csv"
GOAL_SECONDS = 60.0


def make_corpus(n: int, seed: int, dup_share: float, edit: float) -> tuple[list[str], np.ndarray, np.ndarray]:
    """Return texts, the planted exact pairs and the planted near pairs (as index arrays)."""
    rng = np.random.default_rng(seed)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        base = [t for t in load_corpus("builtin:newsarticles")["text"] if len(t.split()) >= 80]
    sents = [t.split(". ") for t in base]
    n_dup = int(n * dup_share)
    n_orig = n - 2 * n_dup
    texts: list[str] = []
    for _ in range(n_orig):
        a, b = rng.integers(len(base), size=2)
        sa, sb = sents[a], sents[b]
        mix = [sa[i] if i % 2 == 0 or i >= len(sb) else sb[i] for i in range(len(sa))]
        rng.shuffle(mix)
        texts.append(". ".join(mix))
    exact_src = rng.choice(n_orig, n_dup, replace=False)
    near_src = rng.choice(n_orig, n_dup, replace=False)
    exact_pairs, near_pairs = [], []
    for s in exact_src:
        exact_pairs.append((s, len(texts)))
        texts.append(texts[s].upper())
    for s in near_src:
        words = texts[s].split()
        for k in rng.choice(len(words), max(1, int(edit * len(words))), replace=False):
            words[k] = "z" + words[k]
        near_pairs.append((s, len(texts)))
        texts.append(" ".join(words))
    return texts, np.array(exact_pairs), np.array(near_pairs)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--n", type=int, default=100_000)
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--dup-share", type=float, default=0.05)
    ap.add_argument("--edit", type=float, default=0.03, help="share of words replaced in a near copy")
    ap.add_argument("--threshold", type=float, default=0.65)
    args = ap.parse_args()

    texts, exact_pairs, near_pairs = make_corpus(args.n, args.seed, args.dup_share, args.edit)
    n_words = sum(len(t.split()) for t in texts)
    print(f"{len(texts):,} articles, {n_words / len(texts):.0f} words on average, "
          f"{len(exact_pairs):,} planted exact copies, {len(near_pairs):,} planted near copies")

    groups, c_exact, w_exact = timed(lambda: dedup.exact_duplicate_groups(texts))
    exact_found = int((groups[exact_pairs[:, 0]] == groups[exact_pairs[:, 1]]).sum())
    first = pd.Series(np.arange(len(texts))).groupby(groups).transform("min").to_numpy()
    active = first == np.arange(len(texts))

    pairs, c_near, w_near = timed(lambda: dedup.near_duplicate_pairs(texts, threshold=args.threshold, active=active))
    found = set(map(tuple, pairs[["i", "j"]].to_numpy()))
    planted = set(map(tuple, near_pairs))
    v, off = dedup.shingle_sets([texts[i] for p in near_pairs for i in p])
    true_j = dedup.jaccard_pairs(v, off, np.arange(2 * len(near_pairs)).reshape(-1, 2))
    eligible = {p for p, j in zip(map(tuple, near_pairs), true_j) if j >= args.threshold}
    recall = len(found & eligible) / max(1, len(eligible))

    priority = np.arange(len(texts))
    canon, c_clu, w_clu = timed(lambda: dedup.cluster_greedy(len(texts), pairs, priority))

    total_cpu = c_exact + c_near + c_clu
    rows = [
        ("exact", len(texts), round(c_exact, 2), round(w_exact, 2), f"{exact_found}/{len(exact_pairs)} planted exact copies grouped"),
        ("near", len(texts), round(c_near, 2), round(w_near, 2),
         f"recall {recall:.4f} of {len(eligible)} planted copies with J>={args.threshold} "
         f"(median J {np.median(true_j):.2f}); {len(found - planted):,} further pairs with exact J>={args.threshold} "
         f"(the generator reuses sentences); {pairs.attrs.get('candidates', 0):,} LSH candidates"),
        ("cluster", len(texts), round(c_clu, 2), round(w_clu, 2), f"{int((canon != priority).sum()):,} articles assigned to a canonical one"),
        ("total", len(texts), round(total_cpu, 2), round(w_exact + w_near + w_clu, 2),
         f"goal < {GOAL_SECONDS:.0f} s: {'met' if total_cpu < GOAL_SECONDS else 'NOT met'}"),
    ]
    out = pd.DataFrame(rows, columns=["stage", "articles", "cpu_s", "wall_s", "check"])
    out["machine"] = f"{platform.machine()} / Python {platform.python_version()} / numpy {np.__version__}"
    pd.set_option("display.width", 200)
    pd.set_option("display.max_colwidth", 120)
    print(out.drop(columns="machine").to_string(index=False))
    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    out.to_csv(RESULTS, index=False, lineterminator="\n")
    print(f"written {RESULTS.relative_to(RESULTS.parents[2])}")


if __name__ == "__main__":
    main()
