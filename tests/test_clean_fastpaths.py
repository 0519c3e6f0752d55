"""The cleaning stage's fast paths give exactly what the plain algorithms give.

Each fast path (literal-first regexes with pre-checks, piece-wise regex scans, the batched
language identifier, numpy word counts, hashed boilerplate counting, Arrow pair counting,
chunked MinHash) is compared with the straightforward definition it replaces, on the News100
texts and on generated adversarial strings.
"""

from __future__ import annotations

import re
from collections import Counter, defaultdict

import ftfy
import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from newsscope import corpus
from newsscope.clean import boilerplate as bp
from newsscope.clean import dedup, hyphen_scan, hyphens, language, repair


@pytest.fixture(scope="module")
def news100(news100_path):
    raw = corpus.load_corpus("builtin:news100")
    texts = [t for t in raw["text"] if isinstance(t, str)]
    titles = [t for t in raw["title"] if isinstance(t, str)]
    return raw, texts, titles


def strings(alphabet, max_size=24):
    return st.text(alphabet=st.sampled_from(alphabet), max_size=max_size).map(lambda s: s)


def pieces(parts, max_size=16):
    return st.lists(st.sampled_from(parts), max_size=max_size).map("".join)


# --------------------------------------------------------------------------- repair


@settings(max_examples=400, deadline=None)
@given(pieces([" ", "\t", "-", "a", ".", "\n", "b", "- ", " -"]))
def test_separator_hyphens_match_the_plain_substitution(text):
    assert repair._replace_separators(text) == repair._SEPARATORS.subn(" ", text)


def _plain_normalize_whitespace(text):
    n = 0
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    text, k = repair._ODD_SPACES.subn(" ", text)
    n += k
    text, k = repair._ZERO_WIDTH.subn("", text)
    n += k
    text, k = re.subn(r" {2,}", " ", text)
    n += k
    text, k = repair._SPACE_PUNCT.subn("", text)
    n += k
    text = repair._SPACE_NL.sub("\n", text)
    text, k = repair._MANY_NL.subn("\n\n", text)
    n += k
    stripped = text.strip()
    return stripped, n + int(stripped != text)


@settings(max_examples=400, deadline=None)
@given(pieces([" ", "  ", "\t", "\n", "\r", "\r\n", ",", ".", "a", "\xa0", "\u200b", "?", "\u3000", "\f", "\n\n\n"]))
def test_whitespace_pre_checks_change_nothing(text):
    assert repair.normalize_whitespace(text) == _plain_normalize_whitespace(text)


def test_whitespace_and_hyphen_repairs_on_real_texts(news100):
    _, texts, titles = news100
    for t in texts + titles:
        assert repair.normalize_whitespace(t) == _plain_normalize_whitespace(t)
        assert repair._replace_separators(t) == repair._SEPARATORS.subn(" ", t)


@settings(max_examples=300, deadline=None)
@given(pieces(["a", " ", "\n", "&amp;", "é", "Ã©", "â€™", "\ufffd", "\x1b[0m", "\r", "“", "<b>", "ﬁ", "\x85", "\xa0", "Â", "x"]))
def test_mojibake_fix_skips_only_lines_ftfy_leaves_alone(text):
    assert repair._fix_text(text) == ftfy.fix_text(text, repair._FTFY_CONFIG)


@settings(max_examples=300, deadline=None)
@given(pieces(['"', "t", "O", "D", "N", "\ufffd", "'", "r", "re", "s", " ", "ve", "a", "?", "A", "-", ".", "x"]))
def test_literal_first_patterns_match_their_look_behind_forms(text):
    plain = {
        repair._CONTRACTION: r"(?<=[A-Za-z])\"\ufffd?(?=(?:t|s|ve|re|ll|d|m)\b)",
        repair._NAME_APOSTROPHE: r"(?<=\b[OD])\"\ufffd?(?=[A-Z][a-z])",
        repair._LOST_RE: r"(?<=[A-Za-z])'r\b",
        repair._PUNCT_HYPHEN: r"(?<=[.,!?:;\"'])(?<![A-Z]\.)-(?=[ \t]|[A-Z\"'(\[]|\Z)",
        repair._SPACE_HYPHEN: r"(?<=[ \t])-(?=[A-Za-z])",
        repair._HYPHEN_SPACE: r"(?<=[A-Za-z])-(?=[ \t])(?![ \t]+(?:and|or|to|nor|&)[ \t])",
        repair._LOST_IN_WORD: r"(?<=[A-Za-z])\?(?=[a-z])",
    }
    for fast, slow in plain.items():
        assert [m.span() for m in fast.finditer(text)] == [m.span() for m in re.finditer(slow, text)]


# --------------------------------------------------------------------------- language


def test_word_counts_in_blocks_equal_the_regex(news100):
    _, texts, titles = news100
    extra = ["", None, "a", "don't stop-gap ’tis", "x - y", "naïve café", "a\ud800b c", "İstanbul-based", "__init__ x_y"]
    all_texts = texts + titles + extra
    assert language.count_words_many(all_texts) == [language.count_words(t) for t in all_texts]


@settings(max_examples=300, deadline=None)
@given(st.lists(pieces(["a", "B", "1", "_", "'", "-", "’", " ", "\n", ".", "é", "²", "—", "\u0301", "𝟘"]), max_size=6))
def test_word_counts_on_adversarial_strings(texts):
    assert language.count_words_many(texts) == [language.count_words(t) for t in texts]


def test_batched_language_identification_equals_classify(news100):
    _, texts, titles = news100
    ident = language._identifier()
    sample = [t.strip()[:1000] for t in texts] + titles + ["x", "ÄÖÜ", "12 34", "МОСКВА, 7 февраля", "SHOUT ONLY"]
    assert language._batch_ok(ident)
    assert language._classify_batch(ident, sample) == [ident.classify(t) for t in sample]


# --------------------------------------------------------------------------- glued hyphens


@settings(max_examples=400, deadline=None)
@given(pieces(["a", "B", "-", " ", "\n", "/", "@", ".", "_", "é", "x", "co", "\t", "http://", "www.", "com"]))
def test_piecewise_chain_and_url_scans_equal_full_scans(text):
    assert [m.span() for m in hyphen_scan._chain_matches(text)] == [m.span() for m in hyphen_scan._CHAIN.finditer(text)]
    assert [m.span() for m in hyphen_scan._url_matches(text)] == [m.span() for m in hyphen_scan._URL.finditer(text)]
    assert hyphen_scan._mask_urls(text) == hyphen_scan._URL.sub(" ", text)


def test_spaced_pairs_arrow_and_numpy_count_the_same(news100):
    _, texts, titles = news100
    block = [t.lower() for t in texts + titles] + ["é b said the x", "said  the", "ﬁ the", "² the", "x\nsaid the", "", "the"]
    model = hyphens.GluedHyphenModel().fit(texts + titles)
    wanted = {tuple(p.split("-", 1)) for p in model.decisions_["pair"]} | {("said", "the"), ("é", "b"), ("²", "the")}
    joined = {f"{a} {b}": (a, b) for a, b in wanted}
    fw = hyphens._NON_COMPOUNDING
    arrow = hyphen_scan._spaced_block_arrow(block, *hyphen_scan._arrow_sets(sorted(joined), sorted(fw)))
    plain = hyphen_scan._spaced_block_numpy(block, wanted, fw, hyphen_scan._wanted_keys(wanted))
    assert arrow is not None and len(arrow[1]) > 100
    assert (arrow[0] == plain[0]).all() and arrow[1] == plain[1]
    # pairs the plain definition finds, one text at a time
    counts = Counter()
    for i, text in enumerate(block):
        words = text.split(" ")
        for a, b in zip(words, words[1:]):
            if a.isalnum() and b.isalnum() and (a, b) in wanted:
                counts[(i, f"{a} {b}")] += 1
    assert Counter(arrow[1]) == counts


def test_repair_cache_follows_a_refit(news100):
    _, texts, _ = news100
    model = hyphens.GluedHyphenModel().fit(texts[:50])
    first = [model.repair(t) for t in texts]
    model.fit(texts[50:])
    fresh = hyphens.GluedHyphenModel().fit(texts[50:])
    refitted = [fresh.repair(t) for t in texts]
    assert [model.repair(t) for t in texts] == refitted
    assert sum(a != b for a, b in zip(first, refitted)) >= 5  # the refit changes repairs: a stale cache would show


# --------------------------------------------------------------------------- boilerplate


def _plain_fit(det, texts, groups, counted):
    n = det.ngram
    df, docs, seen = defaultdict(Counter), Counter(), set()
    for i, (text, g) in enumerate(zip(texts, groups)):
        if not counted[i]:
            continue
        g = g or "(unknown)"
        raw = (text or "").split()
        key = (g, hash(" ".join(raw).lower()))
        if not raw or key in seen:
            continue
        seen.add(key)
        docs[g] += 1
        grams = set()
        for toks in det._edges(raw):
            grams.update(tuple(toks[j:j + n]) for j in range(len(toks) - n + 1))
        df[g].update(grams)
    return {g: {gram for gram, c in cnt.items() if c >= max(det.min_docs, det.min_share * docs[g])} for g, cnt in df.items()}


def _plain_strip(det, text, group):
    """BoilerplateDetector.strip without its shortcuts (the words of every edge located)."""
    frequent = det.frequent_.get(group or "(unknown)")
    if not text or not frequent:
        return text, "", ""
    n, e = det.ngram, det.edge_tokens
    L = len(text.split())
    if L < n:
        return text, "", ""
    spans = bp._edge_spans(text, L, e + 1)
    covered = [False] * L
    for lo, hi in ([(0, L)] if L <= 2 * e else [(0, e), (L - e, L)]):
        toks = [bp._norm(spans[k][2]) for k in range(lo, hi)]
        for j in range(len(toks) - n + 1):
            if tuple(toks[j:j + n]) in frequent:
                for k in range(lo + j, lo + j + n):
                    covered[k] = True
    k = L
    while k > 0 and covered[k - 1]:
        k -= 1
    tail_from = L
    if k < L:
        if k == 0 or bp._ends_sentence(spans[k - 1][2]):
            tail_from = k
        else:
            nxt = next((j for j in range(k + 1, L) if bp._ends_sentence(spans[j - 1][2])), None)
            if nxt is not None and nxt < L:
                tail_from = nxt
            elif nxt is None and L - k >= det.min_span and not bp._ends_sentence(spans[L - 1][2]):
                tail_from = k
    e2 = 0
    while e2 < min(L, tail_from) and covered[e2]:
        e2 += 1
    head_to = 0
    if e2 > 0:
        if e2 == L or bp._ends_sentence(spans[e2 - 1][2]):
            head_to = e2
        else:
            prev = next((j for j in range(e2 - 1, 0, -1) if bp._ends_sentence(spans[j - 1][2])), None)
            if prev is not None:
                head_to = prev
    head = text[: spans[head_to - 1][1]] if head_to else ""
    tail = text[spans[tail_from][0]:] if tail_from < L else ""
    start = spans[head_to][0] if head_to < L else len(text)
    end = spans[tail_from - 1][1] if tail_from > 0 else 0
    body = text[start:end] if end > start else ""
    return body.strip(), head.strip(), tail.strip()


@pytest.mark.parametrize("params", [dict(min_docs=2, min_share=0.0), dict(ngram=3, edge_tokens=6, min_docs=2, min_share=0.0),
                                    dict(ngram=4, edge_tokens=3, min_docs=2, min_share=0.0, min_span=2)])
def test_hashed_boilerplate_counting_and_strip_equal_the_plain_ones(news100, params):
    raw, _, _ = news100
    texts = raw["text"].tolist() * 2  # every story twice: plenty of repeated edges
    texts = [t + "\n\nShare this story on Facebook Twitter Email" if k % 3 == 0 else t for k, t in enumerate(texts)]
    groups = [s if isinstance(s, str) else None for s in raw["source"]] * 2
    # short items (a promo alone, or with a line): single-region edges
    texts += [f"Share this story on Facebook{' now.' if k % 2 else ''}" for k in range(8)]
    groups += ["BBC News"] * 8
    counted = [k % 5 != 0 for k in range(len(texts))]
    det = bp.BoilerplateDetector(**params, max_line_words=0)  # the edge rule alone (repeated paragraphs: test_clean_boilerplate)
    old_block = bp._GRAM_BLOCK
    bp._GRAM_BLOCK = 500  # many blocks
    try:
        det.fit(texts, groups, counted=counted)
    finally:
        bp._GRAM_BLOCK = old_block
    assert det.frequent_ == _plain_fit(det, texts, groups, counted)
    assert sum(len(v) for v in det.frequent_.values()) > 0
    stripped = 0
    for t, g in zip(texts, groups):
        got = det.strip(t, g)
        assert got == _plain_strip(det, t, g)
        stripped += bool(got[1] or got[2])
    assert stripped > 0


# --------------------------------------------------------------------------- duplicates


def test_fingerprints_equal_separate_shingles_and_keys(news100):
    _, texts, titles = news100
    allt = texts + titles + ["", "   ", "a"]
    v, o, keys = dedup.fingerprint_texts(allt, 3, chunk=37)
    v2, o2 = dedup.shingle_sets(allt, 3)
    assert np.array_equal(v, v2) and np.array_equal(o, o2)
    assert keys == dedup.exact_keys(allt)
    assert np.array_equal(dedup.groups_from_keys(keys), dedup.exact_duplicate_groups(allt))
    sig = dedup.minhash_signatures(v, o, 64, chunk=11)
    assert np.array_equal(sig, dedup.minhash_signatures(v, o, 64, chunk=10**9))
    changed = [3, 4, 40]
    new_texts = [allt[3][:200], "", allt[0]]
    replaced = dedup.update_shingles(v, o, changed, new_texts, 3)
    expected = dedup.shingle_sets([new_texts[changed.index(i)] if i in changed else t for i, t in enumerate(allt)], 3)
    assert np.array_equal(replaced[0], expected[0]) and np.array_equal(replaced[1], expected[1])
