"""Tokenizer, phrases, stop words, outlet self-mentions and the scikit-learn contract of NewsVectorizer."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
import scipy.sparse as sp
from sklearn.base import clone
from sklearn.feature_extraction.text import TfidfTransformer
from sklearn.pipeline import make_pipeline

from newsscope import cache
from newsscope.vectorize import NewsVectorizer, build_dtm, document_texts, load_dtm, tfidf, tokenize, tokenize_chunks
from newsscope.vectorize.outlets import dateline_agencies, host_stem
from newsscope.vectorize.phrases import count_pairs, merge_chunk, pair_allowed, score_pairs
from newsscope.vectorize.tokens import FUNCTION_WORDS, news_stop_words

# --------------------------------------------------------------------------- tokenizer


def test_tokenize_possessives_acronyms_contractions():
    toks = tokenize("Trump’s travel ban: DeVos' vote in the U.S. and the US; we're sure it's the U.K.'s call.")
    assert toks[:3] == ["trump", "travel", "ban"]
    assert "devos" in toks
    assert toks.count("u.s.") == 2  # U.S. and US are the same token, distinct from the pronoun "us"
    assert "uk" in toks and "it" in toks
    assert "we're" not in toks and "'" in toks  # contractions become the stop token


def test_tokenize_numbers_urls_and_hyphens():
    toks = tokenize("Kim Jong-nam died; 14,000 calls, 3.5% on 01/27/2017 – see http://p.dw.com/p/2X or mail a.b@cnn.com. F-35s")
    assert "jong-nam" in toks
    assert "14000" in toks and "3.5" in toks and "01/27/2017" in toks
    assert not any("dw" in t or "cnn" in t or "http" in t for t in toks)


def test_chunks_break_at_punctuation_and_keep_name_case():
    chunks = tokenize_chunks('North Korea, White House said. "Prime Minister Theresa May" may go.')
    assert chunks[0] == ["north", "korea"]
    assert chunks[1] == ["white", "house", "said"]
    assert ["prime", "minister", "theresa", "May"] in chunks  # capitalised May inside a name
    assert chunks[-1] == ["may", "go"]  # the modal at a chunk start stays a stop word
    assert tokenize("Theresa May") == ["theresa", "may"]


def test_stop_word_lists():
    stops = news_stop_words()
    for w in ("said", "told", "mr", "the", "monday", "february", "percent", "year"):
        assert w in stops
    for w in ("bill", "fire", "interest", "un", "first"):  # content words scikit-learn lists as stop words
        assert w not in FUNCTION_WORDS


# --------------------------------------------------------------------------- phrases


def test_pair_allowed_rules():
    stops = frozenset({"the", "of"})
    assert pair_allowed("north", "korea", stops)
    assert pair_allowed("article", "50", stops)
    assert not pair_allowed("50", "article", stops)  # a number never opens a phrase
    assert not pair_allowed("march", "8", stops)  # a date
    assert not pair_allowed("last", "monday", stops)  # weekdays never
    assert not pair_allowed("year", "percent", frozenset())  # generic words only
    assert not pair_allowed("the", "house", stops)
    assert not pair_allowed("north korea", "nuclear test", stops)  # four words > max_len 3


def test_npmi_scores_and_merging():
    docs = [[["north", "korea", "fired", "missile"]], [["north", "korea", "tested"]], [["south", "korea", "north", "wind"]]] * 3
    pc = count_pairs(docs)
    scored = score_pairs(pc, min_count=3, min_df=3, threshold=0.3, stops=frozenset())
    assert ("north", "korea") in scored and 0.3 <= scored[("north", "korea")] <= 1.0
    # hand check: N = 33 tokens, c(north korea) = 6, c(north) = 9, c(korea) = 9
    n = 33
    expected = np.log((6 / n) / ((9 / n) * (9 / n))) / -np.log(6 / n)
    assert scored[("north", "korea")] == pytest.approx(expected)
    index = {("north", "korea"): "north korea", ("korea", "fired"): "korea fired"}
    scores = {("north", "korea"): 0.9, ("korea", "fired"): 0.5}
    assert merge_chunk(["north", "korea", "fired"], index, 3, scores) == ["north korea", "fired"]


CORPUS = [
    ("North Korea fired a missile, the White House said on Monday.", "TASS"),
    ("The White House condemned North Korea. TASS reported the launch.", "TASS"),
    ("North Korea and the White House: a stand-off, according to TASS.", "CNN"),
    ("Theresa May will trigger Article 50 on March 29, Theresa May said.", "BBC"),
    ("Article 50 talks: Theresa May meets EU leaders in Brussels.", "BBC"),
    ("EU leaders discuss Article 50 as Theresa May arrives, BBC News reported.", "BBC"),
    ("The travel ban was blocked. Critics of the travel ban protested.", "CNN"),
    ("A judge froze the travel ban in Hawaii. CNN's reporter asked.", "CNN"),
    ("The travel ban returns to court, CNN said. North Korea watched.", "CNN"),
    ("Kim Jong-nam was killed; Kim Jong-nam's body stays in Kuala Lumpur.", "TASS"),
    ("Police say Kim Jong Nam was poisoned in Kuala Lumpur.", "CNN"),
    ("Kim Jong-nam: Malaysia expels the envoy from Kuala Lumpur.", "BBC"),
    ("The tie-breaking vote came after a tie-breaking call and a Trump-scientific row.", "CNN"),
    ("A tie-breaking vote on the travel ban.", "CNN"),
    ("Another tie-breaking vote, said Deutsche Welle. Deutsche Welle asked.", "DW"),
    ("Deutsche Welle reports on the White House.", "DW"),
]


@pytest.fixture(scope="module")
def fitted() -> tuple[NewsVectorizer, sp.csr_matrix]:
    texts = [t for t, _ in CORPUS]
    sources = [s for _, s in CORPUS]
    vec = NewsVectorizer(min_df=1, phrase_min_count=3, phrase_min_df=2, phrase_threshold=0.3, hyphen_min_df=2)
    X = vec.fit_transform(texts, sources=sources)
    return vec, X


def test_phrases_found_from_the_corpus(fitted):
    vec, _ = fitted
    terms = set(vec.get_feature_names_out())
    for phrase in ("north korea", "white house", "travel ban", "article 50", "theresa may", "kuala lumpur", "kim jong-nam"):
        assert phrase in terms, phrase
    assert "korea white" not in terms  # no phrase across punctuation
    assert "50" not in terms and "march" not in terms and "monday" not in terms
    assert not terms & {"said", "the", "mr", "may"}


def test_hyphen_compounds_and_spaced_variants(fitted):
    vec, _ = fitted
    assert "tie-breaking" in vec.hyphen_compounds_
    assert "trump-scientific" not in vec.get_feature_names_out()  # a lost space: split into its parts
    analyse = vec.build_analyzer()
    assert analyse("Police found Kim Jong Nam.") == ["police", "found", "kim jong-nam"]
    assert "trump" in analyse("a Trump-scientific row")


def test_outlet_self_mentions_dropped_only_in_own_articles(fitted):
    vec, X = fitted
    col = vec.vocabulary_
    assert "tass" in vec.outlet_terms_ and vec.outlet_terms_["tass"] == ("TASS",)
    assert "deutsche welle" in vec.outlet_terms_  # acronym expansion of DW found from the corpus
    assert vec.outlet_terms_["cnn"] == ("CNN",)
    analyse_bbc = vec.analyse_texts(["BBC News reported. BBC Radio 4 too."], sources=["BBC"])[0]
    analyse_cnn = vec.analyse_texts(["BBC News reported. BBC Radio 4 too."], sources=["CNN"])[0]
    assert "bbc" not in analyse_bbc and "bbc" in analyse_cnn
    tass_rows = [i for i, (_, s) in enumerate(CORPUS) if s == "TASS"]
    # TASS named by CNN (row 2) stays; TASS naming itself does not
    assert X[2, col["tass"]] == 1
    assert X[tass_rows, col["tass"]].sum() == 0
    # CNN is named only in CNN's own articles here: the term never enters the vocabulary; another outlet's "CNN" stays
    assert "cnn" not in col
    assert vec.analyse_texts(["CNN reported a launch."], sources=["BBC"])[0] == ["cnn", "launch"]
    assert vec.analyse_texts(["CNN reported a launch."], sources=["CNN"])[0] == ["launch"]
    # without sources, outlet names are dropped everywhere
    Y = vec.transform(["TASS reported a launch."])
    assert Y.sum() == Y[0, col["launch"]] == 1


def test_sklearn_contract(fitted):
    vec, X = fitted
    params = vec.get_params()
    assert params["stop_words"] == "news" and "vocabulary_" not in params
    assert clone(vec).get_params() == params
    assert list(vec.get_feature_names_out()) == sorted(vec.get_feature_names_out())
    texts = [t for t, _ in CORPUS]
    sources = [s for _, s in CORPUS]
    assert (vec.transform(texts, sources=sources) != X).nnz == 0
    assert X.dtype == np.int64 and X.shape == (len(CORPUS), len(vec.vocabulary_))
    fresh = NewsVectorizer(min_df=1)
    assert fresh.fit(texts) is fresh
    pipe = make_pipeline(NewsVectorizer(min_df=1), TfidfTransformer())
    W = pipe.fit_transform(texts)
    assert W.shape[0] == len(texts) and np.allclose(sp.linalg.norm(W, axis=1)[np.asarray(W.sum(axis=1)).ravel() > 0], 1.0)
    with pytest.raises(ValueError, match="single string"):
        NewsVectorizer().fit("one text")
    with pytest.raises(ValueError, match="sources has 1 entries"):
        NewsVectorizer().fit(texts, sources=["x"])


def test_dateline_agencies_and_hosts():
    assert host_stem("https://edition.cnn.com/x") == "cnn"
    assert host_stem("http://abcnews.go.com/Politics/x") == "abcnews"
    assert host_stem("http://www.bbc.co.uk/news") == "bbc"
    texts = ["MOSCOW, February 7. /TASS/. Russia said", "MOSCOW, March 1. /TASS/. More", "BEIJING (Xinhua) -- China", "Plain text"]
    assert dateline_agencies([None] * 4, texts) == ["tass"]
    assert dateline_agencies(["BEIJING (Xinhua)", "SHANGHAI (Xinhua)", "(AP)"]) == ["xinhua"]


# --------------------------------------------------------------------------- real data


@pytest.fixture(scope="module")
def news100_dtm(news100_path):
    raw = pd.read_csv(news100_path, dtype=str, keep_default_na=False)
    from newsscope.corpus import load_corpus

    docs = load_corpus("builtin:news100")
    assert len(docs) == len(raw)
    return build_dtm(docs)


def test_news100_vocabulary_is_clean(news100_dtm):
    d = news100_dtm
    terms = set(d.terms)
    assert "white house" in terms and "donald trump" in terms
    assert not any(t.isdigit() for t in terms)
    assert not terms & news_stop_words()
    assert d.X.shape == (len(d.docs), len(d.terms)) and d.X.dtype.kind == "i" and d.X.tocsr().data.min() >= 1  # counts, no stored zeros
    # no outlet names its own articles
    for term, owners in d.vectorizer.outlet_terms_.items():
        if term in d._col:
            own = d.docs["source"].isin(owners).to_numpy()
            assert d.X[own, d.column(term)].sum() == 0, term
    assert set(d.matching_terms("trump")) >= {"trump", "donald trump"}
    assert d.presence("trump").sum() >= d.presence("trump", exact=True).sum()
    T = tfidf(d)
    assert T.shape == d.X.shape and np.allclose(sp.linalg.norm(T[np.asarray(T.sum(axis=1)).ravel() > 0], axis=1), 1.0)
    with pytest.raises(KeyError, match="matching_terms"):
        d.column("no such term")


def test_document_texts_join_title_and_body():
    df = pd.DataFrame({"title": ["Head", None], "standfirst": [None, "Sub"], "text": ["Body.", "More."]})
    assert document_texts(df) == ["Head\n\nBody.", "Sub\n\nMore."]
    with pytest.raises(ValueError, match="no 'text' column"):
        document_texts(pd.DataFrame({"title": ["x"]}))


def test_load_dtm_is_cached(monkeypatch):
    d1 = load_dtm("builtin:news100", min_df=2)
    files = list((cache.cache_file("dtm", "x", "pkl")).parent.glob("*.pkl"))
    assert len(files) == 1
    calls = []
    monkeypatch.setattr("newsscope.vectorize.dtm.build_dtm", lambda *a, **k: calls.append(1))
    d2 = load_dtm("builtin:news100", min_df=2)
    assert not calls and (d1.X != d2.X).nnz == 0 and list(d1.terms) == list(d2.terms)
    assert list(d2.docs["doc_id"]) == list(d1.docs["doc_id"])


def test_fitted_vectorizer_survives_pickling(fitted):
    import pickle

    vec, X = fitted
    back = pickle.loads(pickle.dumps(vec))
    texts = [t for t, _ in CORPUS]
    sources = [s for _, s in CORPUS]
    assert (back.transform(texts, sources=sources) != X).nnz == 0
    assert back.phrases_.keys() == vec.phrases_.keys() and back.outlet_terms_ == vec.outlet_terms_
