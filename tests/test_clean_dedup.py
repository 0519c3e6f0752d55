"""Exact and near-duplicate detection (MinHash + LSH + exact Jaccard) and greedy clustering."""

from __future__ import annotations

import numpy as np
import pandas as pd

from newsscope.clean import dedup

# Wire copy carried by Al Jazeera and RTE on 2 March 2017 (built-in corpus, lightly shortened):
AJ = ("Philippine President Rodrigo Duterte's campaign to bring back the death penalty for drug-related crimes has cleared "
      "a major hurdle, with supporters backing it in congress but critics denouncing the plan as \"inhumane\". The death "
      "penalty bill - along with a proposed measure to punish children as young as nine as adult criminals - are key planks "
      "of Duterte's controversial drug war that has already claimed more than 7,000 lives. A majority of politicians in the "
      "lower house of congress passed a second reading of the bill on Wednesday night, clearing one of the biggest obstacles "
      "in proponents' plans to make the death penalty legal by May. A third and final reading still needs to be held next week.")
RTE = ("Philippine President Rodrigo Duterte's campaign to bring back the death penalty for drug-related crimes has cleared "
       "a major hurdle, with supporters backing it in congress but critics denouncing the plans as \"inhumane\". The death "
       "penalty bill, along with a proposed measure to punish children as young as nine as adult criminals, are key planks "
       "of Mr Duterte's controversial drug war that has already claimed more than 6,500 lives. A majority of politicians in the "
       "lower house of congress passed a second reading of the bill last night, clearing one of the biggest obstacles "
       "in proponents' plans to make the death penalty legal by May. A third and final reading still needs to be held next week.")
OTHER = ("The Court of Arbitration for Sport set to hold expedited hearings into cases of four Russian cross-country skiers, "
         "who appealed against their recently imposed provisional suspensions, the president of the Russian Cross Country "
         "Ski Federation told TASS on Thursday. She hoped that chances for the banned skiers' participation in the upcoming "
         "global tournaments still remained.")


def test_exact_groups_ignore_case_and_punctuation():
    g = dedup.exact_duplicate_groups(["Hello, World!", "hello world", "Hello there", ""])
    assert g[0] == g[1] != g[2] and g[3] == -1


def test_wire_copy_across_outlets_is_a_near_duplicate():
    pairs = dedup.near_duplicate_pairs([AJ, OTHER, RTE], threshold=0.65)
    assert pairs[["i", "j"]].values.tolist() == [[0, 2]]
    assert 0.65 <= pairs["jaccard"].iloc[0] < 0.9


def test_jaccard_is_exact():
    v, off = dedup.shingle_sets(["a b c d e", "a b c d f"], k=3)
    j = dedup.jaccard_pairs(v, off, np.array([[0, 1]]))
    assert j[0] == 2 / 4  # {abc, bcd, cde} vs {abc, bcd, cdf}


def test_signatures_of_equal_sets_are_equal_and_short_texts_are_densified():
    v, off = dedup.shingle_sets([AJ, AJ.upper(), "one two three four five"], k=3)
    sig = dedup.minhash_signatures(v, off, 64)
    assert (sig[0] == sig[1]).all()
    assert (sig[2] != np.uint32(0xFFFFFFFF)).all()


def test_lsh_finds_high_similarity_pairs_reliably():
    rng = np.random.default_rng(0)
    vocab = np.array([f"w{i}" for i in range(5000)])
    base = [" ".join(rng.choice(vocab, 300)) for _ in range(50)]
    edited = []
    for t in base:
        w = t.split()
        for k in rng.choice(len(w), 15, replace=False):  # 5 % of words replaced: Jaccard about 0.75
            w[k] = "x" + w[k]
        edited.append(" ".join(w))
    pairs = dedup.near_duplicate_pairs(base + edited, threshold=0.6)
    found = {(i, j) for i, j in pairs[["i", "j"]].itertuples(index=False)}
    assert len(found & {(k, k + 50) for k in range(50)}) >= 48
    assert all(j == i + 50 for i, j in found)


def test_greedy_clusters_are_stars_around_the_best_item():
    pairs = pd.DataFrame({"i": [0, 1], "j": [1, 2]})
    # 1 is best: both 0 and 2 join it; no chaining 0 -> 1 -> 2 through a non-canonical item
    assert dedup.cluster_greedy(3, pairs, np.array([1, 0, 2])).tolist() == [1, 1, 1]
    # 0 is best: 1 joins 0; 2 is similar only to 1 (already taken) and stays canonical
    assert dedup.cluster_greedy(3, pairs, np.array([0, 1, 2])).tolist() == [0, 0, 2]
