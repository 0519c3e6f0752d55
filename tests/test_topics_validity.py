"""Agreement of topics with the outlets' URL sections (topics/validity.py)."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from newsscope.topics.validity import section_agreement, url_sections, url_segments


@pytest.mark.parametrize("url, expected", [
    ("http://www.bbc.co.uk/news/world-us-canada-38897507", ["news", "world-us-canada"]),
    ("http://www.bbc.co.uk/news/uk-politics-38895007", ["news", "uk-politics"]),
    ("http://www.cnn.com/2017/02/07/politics/yemen-raid-al-qaeda/index.html", ["politics", "yemen-raid-al-qaeda"]),
    ("http://tass.com/economy/929603", ["economy"]),
    ("http://abcnews.go.com/Politics/wireStory/trump-fears-fraud-45328264", ["politics", "wirestory", "trump-fears-fraud"]),
    ("http://www.dw.com/en/poland-wants-nuclear-weapons-for-europe/a-37449773?maca=en-rss", ["poland-wants-nuclear-weapons-for-europe"]),
    ("http://www.rte.ie/news/2017/0207/850712-waiting-lists-reaction/", ["news", "waiting-lists-reaction"]),
    ("http://www.huffingtonpost.com/2017/02/07/donald-trump-vaccines_n_14636042.html", ["donald-trump-vaccines"]),
    ("http://europe.chinadaily.com.cn/epaper/2017-01/27/content_28064830.htm", ["epaper", "content"]),
    (None, []), ("", []), ("not a url", ["not a url"]),
])
def test_url_segments_skip_dates_ids_and_language_codes(url, expected) -> None:
    assert url_segments(url) == expected


def test_url_sections_per_outlet() -> None:
    bbc = ([f"http://www.bbc.co.uk/news/uk-politics-3889500{i}" for i in range(5)]
           + [f"http://www.bbc.co.uk/news/business-3889600{i}" for i in range(4)]
           + ["http://www.bbc.co.uk/news/one-off-story-38897001"])
    tass = [f"http://tass.com/{s}/{i}" for i, s in enumerate(["politics"] * 4 + ["economy"] * 3 + ["sport"])]
    huff = [f"http://www.huffingtonpost.com/2017/02/07/story-number-{i}_n_1463604{i}.html" for i in range(5)]
    urls = bbc + tass + huff
    sources = ["BBC"] * len(bbc) + ["TASS"] * len(tass) + ["HuffPost"] * len(huff)
    s = url_sections(urls, sources).tolist()
    # BBC: every article is under /news/, so the next level is the section; a one-off slug falls back to "news"
    assert s[:10] == ["news/uk-politics"] * 5 + ["news/business"] * 4 + ["news"]
    # TASS: the first level; "sport" (one article) is below the minimum of 3 and has no parent
    assert s[10:18] == ["politics"] * 4 + ["economy"] * 3 + [None]
    # HuffPost: only article slugs, no section
    assert s[18:] == [None] * 5


def test_section_agreement_nmi() -> None:
    rng = np.random.default_rng(0)
    sec = np.repeat(["politics", "world", "economy"], 30)
    topics_same = np.repeat([2, 0, 1], 30)                         # the same partition, other names
    topics_random = rng.integers(0, 3, size=90)
    sources = ["TASS"] * 90
    t = section_agreement(sec, sources, {"same": topics_same, "random": topics_random})
    assert list(t.columns) == ["source", "docs", "sections", "top_sections", "nmi_same", "nmi_random"]
    row = t.iloc[0]
    assert row["source"] == "TASS" and row["docs"] == 90 and row["sections"] == 3
    assert row["nmi_same"] == 1.0 and row["nmi_random"] < 0.1
    assert t.iloc[-1]["source"] == "all outlets" and t.iloc[-1]["nmi_same"] == 1.0


def test_section_agreement_leaves_out_what_cannot_be_compared() -> None:
    sec = ["politics"] * 30 + ["world", "economy"] * 5 + [None] * 10
    sources = ["One section"] * 30 + ["Too few"] * 10 + ["No sections"] * 10
    topics_ = np.zeros(50, dtype=int)
    t = section_agreement(sec, sources, {"topics": topics_})
    assert t.empty and list(t.columns) == ["source", "docs", "sections", "top_sections", "nmi_topics"]
    # documents without a topic (-1) are not counted
    sec2 = ["a", "b"] * 15
    t2 = section_agreement(sec2, ["X"] * 30, {"topics": [0, 1] * 14 + [-1, -1]})
    assert t2.iloc[0]["docs"] == 28 and t2.iloc[0]["nmi_topics"] == 1.0


def test_topic_section_agreement_on_a_result(tmp_path, monkeypatch: pytest.MonkeyPatch) -> None:
    from types import SimpleNamespace

    from newsscope import topics
    from topics_synth import planted_corpus

    monkeypatch.setenv("NEWSSCOPE_CACHE", str(tmp_path))
    X, terms = planted_corpus(seed=0, docs_per_topic=20)
    names = ["politics", "world", "economy"]
    docs = pd.DataFrame({"doc_id": [f"d{i:02d}" for i in range(60)], "source": ["TASS"] * 60,
                         "url": [f"http://tass.com/{names[i // 20]}/{1000 + i}" for i in range(60)],
                         "published": pd.Timestamp("2017-03-01"), "title": "t"})
    dtm = SimpleNamespace(X=X, terms=terms, docs=docs, vectorizer=SimpleNamespace(outlet_terms_={}))
    r = topics.fit_topics(dtm=dtm, k=3, k_range=(), n_refits=1, progress=False, model_params={"min_df": 1, "max_df": 1.0})
    t = topics.topic_section_agreement(r)
    assert t["source"].tolist() == ["TASS", "all outlets"]
    assert t.iloc[0]["nmi_topics"] == 1.0 and 0 <= t.iloc[0]["nmi_sklearn_NMF"] <= 1
    no_urls = topics.topic_section_agreement(topics.fit_topics(dtm=SimpleNamespace(**{**vars(dtm), "docs": docs.drop(columns="url")}),
                                                               k=3, k_range=(), n_refits=1, progress=False,
                                                               model_params={"min_df": 1, "max_df": 1.0}))
    assert no_urls.empty and no_urls.attrs["reason"] == "the documents have no URLs"
