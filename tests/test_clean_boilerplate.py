"""Boilerplate found from repetition at the edges of an outlet's articles."""

from __future__ import annotations

from newsscope.clean.boilerplate import BoilerplateDetector, split_sentences, summarize_removed

import pandas as pd

HUFF_TAIL = ("Do you have information you want to share with the Huffington Post? Here's how. "
             "How will Trump's first 100 days impact you? Learn more")
DW_TAIL = "Send Facebook Twitter Google+ Whatsapp Tumblr linkedin stumble Digg reddit Newsvine Permalink http://dw.com/p/2Y0Wo"
RTE_TAIL = ("Gardai appealed for witnesses to contact {st} Garda Station on 01 666 {n}, "
            "the Garda Confidential Line on 1800 666 111 or any garda station.")

# opening sentences of real articles (built-in corpus), one per story
LEADS = [
    "Michigan billionaire education activist Betsy DeVos was confirmed today to serve as the secretary of education.",
    "First lady Melania Trump says the White House could mean millions for her brand.",
    "A senior U.S. general on Wednesday accused Russia of deploying a land-based cruise missile.",
    "House Republicans have rejected a Democratic effort to require the Justice Department to provide information.",
    "The government says more than 12 million people have signed up for coverage this year.",
    "Facing a conservative revolt within his party, House Speaker Paul Ryan predicted the bill would pass.",
    "After not seeing a tweet from President Donald Trump all night long, Oscars host Jimmy Kimmel took action.",
    "Sen. Tim Kaine is joining with most of his Democratic colleagues against the nominee.",
    "The chairman of the House Intelligence Committee said Monday that he had not seen any evidence.",
    "For several years a group of Russian hackers have been posting letters stolen from officials.",
]


def _corpus():
    texts, groups = [], []
    for i, lead in enumerate(LEADS):
        texts.append(f"{lead} {LEADS[(i + 3) % 10]} {HUFF_TAIL}")
        groups.append("HuffPost")
        texts.append(f"{lead} Read: {LEADS[(i + 3) % 10][:-1]} {DW_TAIL[:-5]}{i:05d}")
        groups.append("DW")
        texts.append(f"{lead} {RTE_TAIL.format(st=['Trim', 'Bray', 'Navan', 'Gorey', 'Naas'][i % 5], n=1000 + i)}")
        groups.append("RTE")
    return texts, groups


def test_repeated_promo_tail_is_removed_whole_sentences():
    texts, groups = _corpus()
    det = BoilerplateDetector(min_docs=5, min_share=0.0).fit(texts, groups)
    body, head, tail = det.strip(texts[0], "HuffPost")
    assert body == LEADS[0] + " " + LEADS[3]
    assert tail == HUFF_TAIL and head == ""


def test_share_menu_without_sentence_end_is_removed():
    texts, groups = _corpus()
    det = BoilerplateDetector(min_docs=5, min_share=0.0).fit(texts, groups)
    body, _, tail = det.strip(texts[1], "DW")
    assert tail.startswith("Send Facebook Twitter") and "Permalink" in tail
    assert body == LEADS[0] + " Read: " + LEADS[3][:-1]


def test_repeated_phrase_inside_a_sentence_is_kept():
    # the police appeal repeats at the end of many RTE items but starts mid-sentence: keep it
    texts, groups = _corpus()
    det = BoilerplateDetector(min_docs=5, min_share=0.0).fit(texts, groups)
    assert det.strip(texts[2], "RTE") == (texts[2], "", "")


def test_counted_mask_keeps_copies_of_one_story_from_looking_like_boilerplate():
    story = "The minister resigned on Friday after a week of protests over the pension reform bill."
    texts = [f"{story} {lead}" for lead in LEADS[:6]]
    det = BoilerplateDetector(min_docs=5, min_share=0.0).fit(texts, ["X"] * 6, counted=[True] + [False] * 5)
    assert det.strip(texts[3], "X")[0] == texts[3]
    det2 = BoilerplateDetector(min_docs=5, min_share=0.0).fit(texts, ["X"] * 6)
    assert det2.strip(texts[3], "X")[1] == story


def test_split_sentences_respects_abbreviations():
    assert split_sentences("Sen. Elizabeth Warren, D-Mass., spoke. The U.S. Senate voted. Learn more") == [
        "Sen. Elizabeth Warren, D-Mass., spoke.", "The U.S. Senate voted.", "Learn more"]


def test_summary_counts_articles_per_sentence():
    removed = pd.DataFrame({"source": ["HuffPost", "HuffPost", "DW"], "doc_id": ["a", "b", "c"],
                            "removed": [HUFF_TAIL, "Here's how. Learn more", DW_TAIL]})
    s = summarize_removed(removed)
    assert s.iloc[0].tolist() == ["HuffPost", "Here's how.", 2]
    assert "<link>" in s.loc[s["source"] == "DW", "passage"].iloc[0]


def test_a_paragraph_repeated_across_an_outlets_pages_is_removed_wherever_it_stands():
    from newsscope.clean.boilerplate import BoilerplateDetector

    promo = "Get the Herald briefing in your inbox: the stories that matter, every evening."
    quote = "The ministry said it would publish the figures on Monday."
    texts, groups = [], []
    towns = "Ashby Bexley Carlow Dunmore Elgin Fenwick Garstang Hexham Ilkley Jarrow Keswick Ludlow".split()
    for k, town in enumerate(towns):  # digits count as one (0): the stories differ by their words
        paras = [f"The story from {town} opens with what happened there on the day of the vote, said officials.",
                 f"A second paragraph explains why the {town} council met again after the summer.",
                 promo,
                 f"The last paragraph says what comes next for the members of the {town} council."]
        if k < 2:
            paras.insert(1, quote)  # in two articles only: below min_docs, stays
        texts.append("\n\n".join(paras))
        groups.append("Herald")
    texts.append(texts[0].replace("\n\n", " "))  # the same story without paragraphs: the rule does not apply
    groups.append("Herald")
    det = BoilerplateDetector(min_docs=5).fit(texts, groups)
    assert det.lines_ == {"Herald": {promo.lower()}}
    body, head, tail = det.strip(texts[0], "Herald")
    assert promo not in body and quote in body and body.count("\n\n") == 3 and tail == promo and head == ""
    assert det.strip(texts[-1], "Herald")[0] == texts[-1]  # no blank lines: untouched
    assert det.strip(texts[0], "Other outlet") == (texts[0], "", "")
    off = BoilerplateDetector(min_docs=5, max_line_words=0).fit(texts, groups)
    assert off.lines_ == {} and promo in off.strip(texts[0], "Herald")[0]
