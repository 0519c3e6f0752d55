"""Glued hyphens: tell a lost space (``law that-retroactively``) from a real compound (``al-Assad``).

In several outlets of the built-in corpus no-break spaces became hyphens, so ``that-retroactively``
and ``President-Higgins`` sit beside genuine compounds such as ``co-author``, ``al-Assad`` or
``Kim Jong-nam``. No word list decides this for names and transliterations, but the corpus does:

1. The **glue rate** ``r`` of each outlet is estimated from word pairs involving a function word
   other than a compounding particle (``said-the``, ``and-Minister``, but not ``in-house``):
   such pairs are almost never compounds, so
   ``r = hyphenated / (hyphenated + spaced)`` over them estimates how often a space of that outlet
   became a hyphen (0.05 % at the BBC, 0.85 % at DW in the built-in corpus).
2. Every hyphenated word pair ``a-b`` is seen ``h_o`` times hyphenated and ``s_o`` times as
   ``a b`` in outlet ``o``. Two explanations compete:

   - *glued space*: each of the ``h_o + s_o`` uses was hyphenated by accident with
     probability ``r_o``: likelihood ``prod_o r_o^h_o (1 - r_o)^s_o``;
   - *compound*: writers hyphenate it with some unknown probability ``q`` (uniform prior):
     likelihood ``B(h + 1, s + 1)``.

   With a prior probability that the pair is a compound, the posterior odds decide. The prior
   depends on the kind of pair: low for two capitalised words (names are written spaced:
   ``President-Higgins``), very low with a function word (``said-the``), higher for other
   words, which are often compound modifiers (``first-floor apartment``). A pair whose spaced
   form never occurs is always kept (no evidence of a lost space).
3. Multi-part chains that recur (``face-to-face``, ``Mar-a-Lago``, ``two-and-a-half``) and
   word-linker-word chains (``ground-to-ground``, ``father-of-one``) are kept whole; their
   junctions do not count as evidence for two-part pairs. Other chains seen once are judged at
   their outer junctions (``then-candidate-Hillary`` -> ``then-candidate Hillary``).

So ``President-Higgins`` (once hyphenated, ten times spaced, in a gluing outlet) is unglued,
``long-term`` (158 hyphenated, 32 spaced) stays, and a pair written ``a-b`` once and ``a b`` once
is unglued in an outlet that glues often but kept in one that almost never does.
"""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence

import numpy as np
import pandas as pd
from scipy.special import betaln

# the scans over the texts (chains, URLs, spaced pairs) live in their own module
from newsscope.clean.hyphen_scan import _CHAIN, _URL, _chain_matches, _count_spaced, _mask_urls, _sub_chains, _url_matches  # noqa: F401
from newsscope.clean.hyphen_scan import _prepare_spaced, scan_chains
from newsscope.clean.parallel import map_blocks

__all__ = ["GluedHyphenModel", "FUNCTION_WORDS"]

#: Words that (almost) never form a two-part hyphenated compound; used to estimate glue rates.
FUNCTION_WORDS: frozenset[str] = frozenset(
    "the a an and or but nor of to in on at for with from by as that which who whom whose is was are were "
    "be been being has have had do does did it its this these those his her their our my your he she they "
    "we you i him them us said says will would shall should can could may might must not than then there "
    "here when where while if because about into over after before".split()
)
#: Particles that do form compounds (``in-house``, ``built-in``, ``by-election``, ``all-time``).
COMPOUNDING_PARTICLES: frozenset[str] = frozenset("in on off up out by down over all after before back".split())
_NON_COMPOUNDING = FUNCTION_WORDS - COMPOUNDING_PARTICLES
#: Factor on the compound prior for pairs with a (non-particle) function word (``said-the``).
FUNCTION_WORD_PRIOR = 0.01
_LINKERS = frozenset("to of on in and or a the for by per".split())


def _is_linked_compound(parts: list[str]) -> bool:
    """``ground-to-ground``, ``father-of-one``, ``video-on-demand``: word-linker-word chains."""
    return (len(parts) == 3 and parts[1].lower() in _LINKERS
            and parts[0].lower() not in FUNCTION_WORDS and parts[2].lower() not in FUNCTION_WORDS)


class GluedHyphenModel:
    """Decide, from corpus evidence, which hyphens between two words were spaces.

    Parameters
    ----------
    compound_prior : float
        Prior probability that a pair of capitalised words (``President-Higgins``,
        ``Kara-Murza``) is a compound; pairs with a function word get 1/100 of it.
    content_prior : float
        Prior probability that a pair of other words is a compound: lower-case content words
        joined by a hyphen are usually compound modifiers (``first-floor apartment``,
        ``third-level students``), so only strong evidence unglues them.
    rate_prior : float
        Pseudo-count added to the hyphenated and spaced function-word counts of each outlet, so
        an outlet with little text gets a small positive glue rate instead of zero.
    n_jobs : int, optional
        Processes for the two counting passes over the texts (forked workers, blocks of texts,
        counts summed: see :func:`newsscope.clean.parallel.map_blocks`); None or 1: this
        process. It never changes the fitted model.

    Attributes
    ----------
    glue_rates_ : pandas.DataFrame
        Per group (outlet): ``hyphenated``, ``spaced`` function-word pairs and ``rate``.
    decisions_ : pandas.DataFrame
        One row per hyphenated word pair (lower case): ``pair``, ``hyphenated``, ``spaced``,
        ``log_odds`` (compound versus glued space, natural log), ``keep`` (True: a compound).
    chains_ : pandas.DataFrame
        Multi-part chains seen more than once (kept whole): ``chain``, ``count``.
    """

    def __init__(self, compound_prior: float = 0.01, content_prior: float = 0.2, rate_prior: float = 0.5,
                 n_jobs: int | None = None) -> None:
        self.compound_prior = compound_prior
        self.content_prior = content_prior
        self.rate_prior = rate_prior
        self.n_jobs = n_jobs

    def fit(self, texts: Iterable[str], groups: Sequence[str] | None = None) -> "GluedHyphenModel":
        """Count hyphenated and spaced word pairs per group and decide every hyphenated pair.

        Parameters
        ----------
        texts : iterable of str
        groups : sequence of str, optional
            The outlet of each text (glue rates are per outlet); one group if omitted.

        Returns
        -------
        GluedHyphenModel
            self
        """
        texts = [t if isinstance(t, str) else "" for t in texts]
        groups = list(groups) if groups is not None else ["all"] * len(texts)
        if len(groups) != len(texts):
            raise ValueError(f"groups has {len(groups)} entries for {len(texts)} texts")
        groups = [g if isinstance(g, str) and g else "(unknown)" for g in groups]
        n_jobs = self.n_jobs or 1
        # pass 1 (blocks of texts): the chains of each text; counts of the 3+ part chains
        chains: Counter = Counter()  # chains of 3+ parts, lower case
        found: list[list[str]] = []  # the chains of each text as written
        for block_found, block_chains in map_blocks(lambda lo, hi: scan_chains(texts[lo:hi]), len(texts), n_jobs):
            found.extend(block_found)
            chains.update(block_chains)
        repeated = {c for c, n in chains.items() if n >= 2}
        hyph2: dict[tuple[str, str], Counter] = defaultdict(Counter)  # two-part hyphenations
        hyph_all: dict[tuple[str, str], Counter] = defaultdict(Counter)  # plus junctions of one-off chains
        fw_hyph: Counter = Counter()
        self._names: Counter = Counter()  # hyphenated pairs written with both parts capitalised
        for text_chains, g in zip(found, groups):
            for written in text_chains:
                chain = written.lower()
                if chain in repeated:
                    continue
                parts = chain.split("-")
                orig = written.split("-")
                for k, (a, b) in enumerate(zip(parts, parts[1:])):
                    if orig[k][:1].isupper() and orig[k + 1][:1].isupper():
                        self._names[(a, b)] += 1
                    hyph_all[(a, b)][g] += 1
                    if len(parts) == 2:
                        hyph2[(a, b)][g] += 1
                        if a in _NON_COMPOUNDING or b in _NON_COMPOUNDING:
                            fw_hyph[g] += 1
        # adjacent words separated by one space, no punctuation between (``said the``)
        # pass 2 (blocks of texts, counts summed)
        wanted = set(hyph_all)
        prepared = _prepare_spaced(wanted, _NON_COMPOUNDING)
        spaced: dict[tuple[str, str], Counter] = defaultdict(Counter)
        fw_spaced: Counter = Counter()
        for block_spaced, block_fw in map_blocks(
                lambda lo, hi: _count_spaced([_mask_urls(t) for t in texts[lo:hi]], groups[lo:hi], wanted, _NON_COMPOUNDING, prepared),
                len(texts), n_jobs):
            for pair, c in block_spaced.items():
                spaced[pair].update(c)
            fw_spaced.update(block_fw)
        all_groups = sorted(set(groups))
        rates = {g: (fw_hyph[g] + self.rate_prior) / (fw_hyph[g] + fw_spaced[g] + 2 * self.rate_prior) for g in all_groups}
        self.glue_rates_ = pd.DataFrame({
            "group": all_groups,
            "hyphenated": [fw_hyph[g] for g in all_groups],
            "spaced": [fw_spaced[g] for g in all_groups],
            "rate": [rates[g] for g in all_groups],
        })
        self.decisions_ = self._decide(hyph2, spaced, rates)
        chain_decisions = self._decide(hyph_all, spaced, rates)
        self.chains_ = pd.DataFrame(sorted(((c, n) for c, n in chains.items() if n >= 2), key=lambda x: (-x[1], x[0])), columns=["chain", "count"])
        self._unglue = {tuple(p.split("-", 1)) for p in self.decisions_.loc[~self.decisions_["keep"], "pair"]}
        self._unglue_chain = {tuple(p.split("-", 1)) for p in chain_decisions.loc[~chain_decisions["keep"], "pair"]}
        self._repeated = repeated
        return self

    def _decide(self, hyph: dict, spaced: dict, rates: dict[str, float]) -> pd.DataFrame:
        """Posterior log-odds (compound versus glued space) for every hyphenated pair."""
        def logit(p: float) -> float:
            return float(np.log(p) - np.log1p(-p))

        prior_names = logit(self.compound_prior)
        prior_content = logit(self.content_prior)
        prior_fw = logit(self.compound_prior * FUNCTION_WORD_PRIOR)
        log_r = {g: np.log(r) for g, r in rates.items()}
        log_1r = {g: np.log1p(-r) for g, r in rates.items()}
        empty: Counter = Counter()
        pairs = sorted(hyph)
        hs, ss, priors, log_glues = [], [], [], []
        for pair in pairs:
            h_by = hyph[pair]
            s_by = spaced.get(pair, empty)
            h = sum(h_by.values())
            s = sum(s_by.values())
            # outlets in sorted order: a set's order changes with the hash seed, and so would the
            # last bits of the float sum
            log_glue = 0
            for g in (sorted(h_by.keys() | s_by.keys()) if s_by else sorted(h_by)):
                log_glue = log_glue + (h_by[g] * log_r[g] + s_by[g] * log_1r[g])
            log_glues.append(float(log_glue))
            a, b = pair
            if a in _NON_COMPOUNDING or b in _NON_COMPOUNDING:
                priors.append(prior_fw)
            elif self._names.get(pair, 0) * 2 > h:  # mostly written as two capitalised names
                priors.append(prior_names)
            else:
                priors.append(prior_content)
            hs.append(h)
            ss.append(s)
        h_arr = np.array(hs, dtype=np.int64)
        s_arr = np.array(ss, dtype=np.int64)
        beta = betaln(h_arr + 1, s_arr + 1).tolist() if pairs else []
        log_odds = [p0 + bl - lg for p0, bl, lg in zip(priors, beta, log_glues)]
        return pd.DataFrame({
            "pair": [f"{a}-{b}" for a, b in pairs],
            "hyphenated": hs,
            "spaced": ss,
            "log_odds": log_odds,
            "keep": [bool(s == 0 or lo >= 0) for s, lo in zip(ss, log_odds)],
        }, columns=["pair", "hyphenated", "spaced", "log_odds", "keep"])

    def repair(self, text: str) -> tuple[str, int]:
        """Replace glued hyphens in ``text`` by spaces; return the text and the number replaced."""
        if not text or "-" not in text or not getattr(self, "_unglue", None):
            return text, 0
        n = 0
        cache = self._chain_cache()
        fix_chain = self._fix_chain

        def fix(m: re.Match) -> str:
            nonlocal n
            chain = m.group(0)
            hit = cache.get(chain)
            if hit is None:
                hit = cache[chain] = fix_chain(chain)
            n += hit[1]
            return hit[0]

        urls = _url_matches(text)
        if not urls:
            return _sub_chains(text, fix), n
        pieces = []
        last = 0
        for u in urls:
            pieces.append(_sub_chains(text[last:u.start()], fix))
            pieces.append(u.group(0))
            last = u.end()
        pieces.append(_sub_chains(text[last:], fix))
        return "".join(pieces), n

    def _fix_chain(self, chain: str) -> tuple[str, int]:
        """A hyphenated chain as repaired, and the number of hyphens that became spaces."""
        if chain.lower() in self._repeated:
            return chain, 0
        parts = chain.split("-")
        if _is_linked_compound(parts):
            return chain, 0
        out = [parts[0]]
        last = len(parts) - 2
        n = 0
        for i, (a, b) in enumerate(zip(parts, parts[1:])):
            key = (a.lower(), b.lower())
            if len(parts) == 2:
                glued = key in self._unglue
            else:  # a one-off chain: only its outer junctions can be glued spaces
                glued = i in (0, last) and key in self._unglue_chain
            out.append(" " if glued else "-")
            n += glued
            out.append(b)
        return "".join(out), n

    def _chain_cache(self) -> dict[str, tuple[str, int]]:
        """Repairs of the chains seen so far (a chain is always repaired the same way).

        The cache belongs to the decision sets it was filled with; assigning new ``_unglue``,
        ``_unglue_chain`` or ``_repeated`` sets (as a refit does) starts a new one.
        """
        owner = (self._unglue, self._unglue_chain, self._repeated)
        cached = self.__dict__.get("_fix_cache")
        if cached is None or any(a is not b for a, b in zip(cached[0], owner)):
            cached = self._fix_cache = (owner, {})
        return cached[1]

    def __getstate__(self) -> dict:
        state = dict(self.__dict__)
        state.pop("_fix_cache", None)  # rebuilt on demand; not worth shipping to workers
        return state

    def is_compound(self, a: str, b: str) -> bool:
        """Return True unless the two-part hyphenation ``a-b`` was judged a glued space."""
        return (a.lower(), b.lower()) not in getattr(self, "_unglue", set())

    def decision_table(self, examples: int = 0) -> pd.DataFrame:
        """Return ``decisions_`` sorted by hyphenated count (most frequent first), for display."""
        return self.decisions_.sort_values(["hyphenated", "pair"], ascending=[False, True], kind="mergesort").reset_index(drop=True)

