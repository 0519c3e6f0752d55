"""The cleaning pipeline on News100 and on page folders: statuses, funnel reconciliation, caching."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from newsscope import corpus
from newsscope.clean import (EXTRA_COLUMNS, CleanSettings, build_funnel, check_funnel, clean_articles, clean_corpus,
                             load_clean, pipeline, write_funnel)

FIXTURE_PAGES = Path(__file__).resolve().parent / "fixtures" / "pages"


@pytest.fixture(scope="module")
def news100(news100_path):
    raw = corpus.load_corpus("builtin:news100")
    return raw, clean_articles(raw)


def test_every_raw_row_has_one_status_and_the_funnel_reconciles(news100):
    raw, res = news100
    a = res.articles
    assert len(a) == len(raw)
    assert a["doc_id"].tolist() == raw["doc_id"].tolist()
    allowed = {"kept", "empty", "too_short", "other_language", "exact_duplicate", "near_duplicate"}
    assert set(a["status"]) <= allowed
    check_funnel(res.funnel, a["status"])
    f = res.funnel
    assert f["articles_in"].iloc[0] == len(raw)
    assert f["articles_out"].iloc[-1] == (a["status"] == "kept").sum()
    for step in f.itertuples():
        assert step.removed == step.articles_in - step.articles_out


def test_funnel_check_catches_a_broken_funnel(news100):
    _, res = news100
    broken = res.funnel.copy()
    broken.loc[1, "removed"] += 1
    with pytest.raises(AssertionError):
        check_funnel(broken, res.articles["status"])


def test_copies_and_duplicate_links(news100):
    _, res = news100
    a = res.articles
    kept = a[a["status"] == "kept"]
    assert kept["copies"].sum() == a["status"].isin(["kept", "exact_duplicate", "near_duplicate"]).sum()
    dups = a[a["duplicate_of"].notna()]
    assert set(dups["duplicate_of"]) <= set(kept["doc_id"])
    assert (a.loc[a["status"] != "kept", "copies"] == 0).all()


def test_columns_and_types(news100):
    _, res = news100
    a = res.analysis_set
    assert list(a.columns[: len(corpus.ARTICLE_COLUMNS)]) == corpus.ARTICLE_COLUMNS
    for col in EXTRA_COLUMNS:
        assert col in a.columns
    assert "text_raw" not in a.columns
    assert (a["n_words"] >= CleanSettings().min_words).all()
    assert (a["language"] == "en").all()
    assert all(isinstance(x, list) for x in a["repairs"])
    assert a["text"].str.contains('"?', regex=False).sum() == 0


def test_repairs_counted_on_news100(news100):
    # News100 holds HuffPost articles with the '"?' damage, e.g. 'Warning: Spoilers for "This Is Us"?Season 1'
    _, res = news100
    r = res.repairs.set_index("rule")
    assert r.at["lost_closing_quote", "occurrences"] > 0
    assert r.at["contraction_quote", "occurrences"] > 0
    a = res.articles.set_index("doc_id")
    spoiler = a[a["text_raw"].str.startswith('Warning: Spoilers for "This Is Us"?Season 1')]
    assert spoiler["text"].iloc[0].startswith('Warning: Spoilers for "This Is Us" Season 1 ahead.')


def test_statuses_in_funnel_order():
    raw = corpus.conform_articles(pd.DataFrame({
        "origin": [f"t#{i}" for i in range(6)],
        "source": ["A"] * 6,
        "title": ["t"] * 6,
        "text": [
            "",                                                            # empty
            "Too short to analyse.",                                       # too short
            " ".join(["Die Bundesregierung hat am Mittwoch beschlossen, die Kontrollen zu verlängern."] * 6),  # German
            " ".join([f"Sentence {k} of the story about the budget vote in the Senate today." for k in range(8)]),
            " ".join([f"sentence {k} of the story about the budget vote in the senate today" for k in range(8)]),  # exact dup
            " ".join([f"Sentence {k} of the story about the budget vote in the Senate today." for k in range(7)]) + " An extra closing line was added.",
        ],
        "published": pd.to_datetime(["2017-03-01"] * 6),
    }))
    res = clean_articles(raw, CleanSettings(min_words=20, boilerplate=False))
    assert res.articles["status"].tolist() == ["empty", "too_short", "other_language", "kept", "exact_duplicate", "near_duplicate"]
    a = res.articles
    assert a.at[4, "duplicate_of"] == a.at[3, "doc_id"] == a.at[5, "duplicate_of"]
    assert a.at[3, "copies"] == 3
    assert res.funnel["removed"].tolist() == [0, 1, 1, 1, 1, 1]


def test_rejected_inputs_enter_the_funnel():
    raw = corpus.conform_articles(pd.DataFrame({"origin": ["a.txt"], "source": ["X"], "title": ["t"],
                                                "text": [" ".join(["word"] * 50)]}))
    rej = pd.DataFrame({"origin": ["b.bin", "c.txt"], "reason": ["binary", "empty"], "detail": ["", ""]})
    res = clean_articles(raw, rejected=rej)
    assert res.articles["status"].tolist() == ["kept", "rejected: binary", "rejected: empty"]
    assert res.funnel.iloc[0][["articles_in", "articles_out", "removed"]].tolist() == [3, 1, 2]
    check_funnel(res.funnel, res.articles["status"])


def test_unknown_status_is_an_error():
    with pytest.raises(ValueError, match="unknown article status"):
        build_funnel(pd.Series(["kept", "lost"]))


def test_unknown_setting_is_an_error():
    with pytest.raises(TypeError, match="unknown cleaning setting"):
        CleanSettings.from_kwargs(min_word=3)


def test_load_clean_is_cached_and_second_call_does_not_recompute(news100_path, monkeypatch):
    first = load_clean("builtin:news100")
    calls = []
    monkeypatch.setattr(pipeline, "clean_articles", lambda *a, **k: calls.append(1) or pytest.fail("recomputed"))
    second = load_clean("builtin:news100")
    assert not calls
    pd.testing.assert_frame_equal(first, second)
    assert (first["status"] == "kept").all()
    everything = load_clean("builtin:news100", include_removed=True)
    assert len(everything) == 100 and "text_raw" in everything.columns
    # a different setting is a different cache entry
    monkeypatch.undo()
    stricter = load_clean("builtin:news100", min_words=300)
    assert len(stricter) < len(first)


def test_page_folder_with_rejected_file(tmp_path):
    # the parser's fixture pages plus an empty file: every file accounted for
    import shutil
    shutil.copytree(FIXTURE_PAGES, tmp_path / "pages")
    (tmp_path / "pages" / "zz_empty.txt").write_bytes(b"")
    res = clean_corpus(tmp_path / "pages", min_words=20)
    a = res.articles
    n_files = len(list((tmp_path / "pages").glob("*")))
    assert len(a) == n_files
    assert a["status"].str.startswith("rejected").sum() >= 1
    check_funnel(res.funnel, a["status"])
    assert (a["date_status"] == "missing").all()


def test_write_funnel(news100):
    _, res = news100
    path = write_funnel(res)
    back = pd.read_csv(path)
    assert back.columns.tolist() == ["step", "articles_in", "articles_out", "removed", "reason"]
    assert back["removed"].sum() + back["articles_out"].iloc[-1] == back["articles_in"].iloc[0]
