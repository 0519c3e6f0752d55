"""An outlet's core name is a self-mention in its own pages: not an actor, not a term (for every corpus)."""

from __future__ import annotations

import pandas as pd
import pytest

from newsscope.actors.aliases import AliasResolver, outlet_keys
from newsscope.vectorize import NewsVectorizer
from newsscope.vectorize.outlets import core_name, source_names

SOURCES = {
    "The Guardian - UK": "Guardian",
    "The New York Times": "New York Times",
    "BBC News": "BBC News",
    "Al Jazeera English": "Al Jazeera",
    "CNN": "CNN",
    "TASS": "TASS",
    "ABC News (AU)": "ABC News",
    "CNN International | World": "CNN",
    "Politico.com": "Politico",
    "www.theguardian.com": "theguardian",
    "The Irish Times: Ireland": "Irish Times",
}


@pytest.mark.parametrize("source, core", SOURCES.items())
def test_core_name_of_realistic_sources(source, core):
    assert core_name(source) == core


def test_outlet_keys_and_term_names_include_the_core_name():
    assert "guardian" in outlet_keys("The Guardian - UK")
    assert {"abc news", "abc"} <= set(outlet_keys("ABC News (AU)"))
    assert {"bbc news", "bbc"} <= set(outlet_keys("BBC News"))
    assert "al jazeera" in outlet_keys("Al Jazeera English")
    assert "new york times" in outlet_keys("The New York Times")
    assert ("guardian",) in source_names("The Guardian - UK")
    assert ("al", "jazeera") in source_names("Al Jazeera English")
    assert ("politico",) in source_names("Politico.com")  # a host name alone still gives its core


def _mentions(docs: dict[str, tuple[str, list[tuple[str, str]]]]) -> tuple[pd.DataFrame, dict[str, str]]:
    rows, texts = [], {}
    for doc_id, (text, ents) in docs.items():
        texts[doc_id] = text
        pos = 0
        for surface, label in ents:
            start = text.index(surface, pos)
            rows.append({"doc_id": doc_id, "sent": 0, "start": start, "end": start + len(surface), "text": surface,
                         "label": label})
            pos = start + len(surface)
    return pd.DataFrame(rows), texts


def test_guardian_is_no_actor_in_its_own_pages_but_stays_elsewhere():
    docs = {
        "g1": ("Theresa May told the Guardian that Brexit talks would start. The Guardian understands that Labour "
               "will oppose the bill.", [("Theresa May", "PERSON"), ("Guardian", "ORG"), ("Brexit", "ORG"),
                                          ("Guardian", "ORG"), ("Labour", "ORG")]),
        "j1": ("Donald Trump spoke to Al Jazeera in Doha.", [("Donald Trump", "PERSON"), ("Al Jazeera", "ORG"),
                                                             ("Doha", "GPE")]),
        "b1": ("Theresa May's remarks were first reported by the Guardian, and Al Jazeera asked about them.",
               [("Theresa May", "PERSON"), ("Guardian", "ORG"), ("Al Jazeera", "ORG")]),
    }
    m, texts = _mentions(docs)
    sources = {"g1": "The Guardian - UK", "j1": "Al Jazeera English", "b1": "BBC News"}
    res = AliasResolver().fit_transform(m, texts, sources)

    def actors(doc, surface):
        return res[(res["doc_id"] == doc) & (res["text"] == surface)]["actor"].tolist()

    assert actors("g1", "Guardian") == [None, None]
    assert set(res.loc[(res["doc_id"] == "g1") & (res["text"] == "Guardian"), "drop"]) == {"self-reference of the article's outlet"}
    assert actors("j1", "Al Jazeera") == [None]
    assert actors("b1", "Guardian") == ["Guardian"] and actors("b1", "Al Jazeera") == ["Al Jazeera"]
    assert actors("g1", "Theresa May") == ["Theresa May"]


def test_the_vectorizer_drops_the_core_name_in_own_pages_only():
    texts = ["The Guardian understands that the health bill will pass. Labour told the Guardian it would oppose "
             "the health bill in the House of Commons.",
             "The Guardian reported on the health bill; the BBC followed the Guardian story on the health bill in "
             "the House of Commons.",
             "Ministers said the health bill would pass the House of Commons after the Guardian report."]
    sources = ["The Guardian - UK", "BBC News", "The New York Times"]
    vec = NewsVectorizer(min_df=1, phrase_min_count=2, phrase_min_df=2)
    X = vec.fit_transform(texts, sources=sources)
    col = vec.vocabulary_["guardian"]
    assert X[0, col] == 0 and X[1, col] == 2 and X[2, col] == 1
    assert vec.outlet_terms_["guardian"] == ("The Guardian - UK",)
    assert "bbc" not in vec.vocabulary_ or X[1, vec.vocabulary_["bbc"]] == 0
