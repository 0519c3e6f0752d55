"""Stages on small and awkward inputs: they return empty results with a reason instead of failing,
and the notebook parameters left at None are chosen from the corpus (``choose_*``)."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from newsscope import config, corpus, progress, trends
from newsscope.actors import choose_ego_actor, choose_outlets
from newsscope.clean import report
from newsscope.vectorize import build_dtm
from newsscope.vectorize.phrases import count_pairs

FILLER = [
    "The council met on Tuesday to discuss the budget for schools and roads in the district.",
    "Farmers said the dry weather had hurt the harvest and prices at the market rose again.",
    "The museum opened a new gallery of paintings lent by collectors from across the region.",
    "Police said the road would stay closed while engineers repaired the damaged bridge nearby.",
]


def _docs(days: int, outlets: tuple[str, ...] = ("Alpha", "Beta"), per_day: int = 6, burst: bool = False,
          dated: bool = True) -> pd.DataFrame:
    rows = []
    day0 = pd.Timestamp("2017-03-01")
    for day in range(days):
        for outlet in outlets:
            for j in range(per_day):
                text = FILLER[(day + j) % len(FILLER)]
                if burst and days // 2 <= day <= days // 2 + 1 and j < 4:
                    text = "The volcano eruption forced thousands to flee as ash covered villages. " + text
                rows.append({"doc_id": f"{day}-{outlet}-{j}", "source": outlet,
                             "published": day0 + pd.Timedelta(days=day) if dated else pd.NaT,
                             "title": "Local news", "text": text})
    return pd.DataFrame(rows)


# --------------------------------------------------------------------------- vectorize


def test_count_pairs_of_one_word_chunks_has_no_pairs():
    # the 7-26 page corpora failed here: chunks of one unit leave no adjacent pair to count
    pc = count_pairs([[["alpha"], ["beta"]], [["alpha"]]], phrase_pairs_only=True)
    assert list(pc.units) == ["alpha", "beta"] and list(pc.unit_counts) == [2, 1]
    assert len(pc.pair_codes) == len(pc.pair_counts) == len(pc.pair_docs) == 0
    assert pc.n == 3


def test_one_article_gives_a_matrix():
    dtm = build_dtm(_docs(1, outlets=("Alpha",), per_day=1), min_df=1)
    assert dtm.n_docs == 1 and len(dtm.terms) > 5
    assert dtm.summarize()["articles"] == 1


# --------------------------------------------------------------------------- bursts


@pytest.mark.parametrize("docs, reason", [
    (_docs(10, dated=False), "no article has a publication date"),
    (_docs(1, per_day=20), "1 day(s) covered well enough"),
    (_docs(12), "no term bursts"),
])
def test_no_burst_is_an_empty_table_with_its_reason(docs: pd.DataFrame, reason: str):
    bursts = trends.detect_bursts(build_dtm(docs, min_df=1), min_count=3)
    assert bursts.empty and list(bursts.columns) == trends.BURST_COLUMNS
    assert reason in bursts.attrs["note"]
    assert list(bursts.attrs["members"].columns) == trends.MEMBER_COLUMNS and bursts.attrs["members"].empty
    assert "skipped_days" in bursts.attrs
    assert trends.burst_contexts(build_dtm(docs, min_df=1), bursts).empty
    table, missing = trends.look_up_bursts(bursts, ["volcano"])
    assert table.empty and missing == ["volcano"]
    assert trends.summarize_bursts(bursts).empty


def test_a_burst_is_found_and_read():
    dtm = build_dtm(_docs(20, per_day=6, burst=True), min_df=1)
    bursts = trends.detect_bursts(dtm, min_count=3)
    assert bursts.attrs["note"] == "" and len(bursts)
    assert "flee" in bursts.iloc[0]["term"].split("; ")
    table, missing = trends.look_up_bursts(bursts, ["flee", "bridge"])
    assert table["term"].tolist() == ["flee"] and table["event rank"].tolist() == [1] and missing == ["bridge"]
    assert trends.summarize_bursts(bursts, n=1).index.tolist() == [1]
    keywords, why = trends.choose_keywords(dtm, bursts)
    assert why == "lead terms of the strongest bursts" and keywords[0] in bursts.iloc[0]["term"].split("; ")


# --------------------------------------------------------------------------- choices


def test_choose_keywords_given_tuned_and_from_frequencies():
    dtm = build_dtm(_docs(3), min_df=1)
    assert trends.choose_keywords(dtm, keywords="bridge") == (["bridge"], "given")
    tuned, why = trends.choose_keywords(dtm, corpus="builtin:newsarticles")
    assert tuned == trends.TUNED["builtin:newsarticles"]["keywords"] and why.startswith("tuned")
    chosen, why = trends.choose_keywords(dtm, pd.DataFrame(columns=trends.BURST_COLUMNS), n=3)
    assert why == "most frequent phrases and words" and len(chosen) == 3
    df = dtm.document_frequency()
    # phrases come first; every chosen term is among the most frequent of its kind
    phrases = [t for t in chosen if " " in t]
    assert all(df[t] == df[[x for x in df.index if " " in x]].max() for t in phrases[:1])


def test_choose_outlet_prefers_given_then_largest():
    docs = pd.DataFrame({"source": ["B"] * 3 + ["A"] * 3 + ["C"]})
    assert trends.choose_outlet(docs, outlet="C") == ("C", "given")
    assert trends.choose_outlet(docs) == ("A", "the largest outlet")  # tie 3-3: by name
    outlet, why = trends.choose_outlet(docs, outlet="TASS")
    assert outlet == "A" and "'TASS' is not in the corpus" in why
    assert trends.choose_outlet(docs.iloc[:0]) == (None, "no outlet in the corpus")


class _Net:
    def __init__(self, actors: pd.DataFrame, nodes: list[str]) -> None:
        self.actors, self.graph = actors, set(nodes)


def test_choose_ego_actor_and_outlets():
    table = pd.DataFrame({"actor": ["Russia", "Syria", "Ann Lee"], "degree": [2, 5, 0], "mentions": [50, 10, 80]})
    net = _Net(table, ["Russia", "Syria"])
    assert choose_ego_actor(net, corpus="builtin:newsarticles") == ("Russia", "tuned for builtin:newsarticles")
    assert choose_ego_actor(net) == ("Syria", "the most central actor")
    actor, why = choose_ego_actor(net, actor="Nobody")
    assert actor == "Syria" and "'Nobody' is not in the network" in why
    lonely = _Net(table.assign(degree=0), [])
    assert choose_ego_actor(lonely)[0] == "Ann Lee"
    assert choose_ego_actor(_Net(table.iloc[:0], []))[0] is None
    articles = pd.DataFrame({"source": ["X", "Y", "Y", "Z", "Z", "Z"]})
    assert choose_outlets(articles, n=2) == (["Z", "Y"], "the 2 largest outlets")
    assert choose_outlets(articles, outlets=["Y", "TASS"]) == (["Y"], "given (TASS not in the corpus)")


# --------------------------------------------------------------------------- series, keyness


def test_summarize_shares_with_every_period_a_gap():
    dtm = build_dtm(_docs(2, outlets=("Alpha",), per_day=1), min_df=1)
    shares = trends.term_share(dtm, ["council", "farmers"], min_docs=5)
    out = trends.summarize_shares(shares)
    assert out.index.tolist() == ["council", "farmers"] and (out["periods"] == 0).all()
    assert out["peak_share"].isna().all() and out["peak_period"].isna().all() and out["peak_period"].dtype == object


def test_keyness_of_a_period_covering_everything_is_empty_with_a_note():
    dtm = build_dtm(_docs(3), min_df=1)
    out = trends.keyness_period(dtm, "2017-03-01", "2017-03-03")
    assert out.empty and "reference part of the corpus is empty" in out.attrs["note"]
    assert trends.top_keyness(out).empty


# --------------------------------------------------------------------------- loading, cleaning notes


def test_a_table_of_titles_only_is_read_with_empty_bodies(tmp_path):
    path = tmp_path / "titles.csv"
    pd.DataFrame({"title": ["Storm hits coast", "Markets rally"], "date": ["2017-03-01", "2017-03-02"]}).to_csv(path, index=False)
    with pytest.warns(UserWarning, match="titles only"):
        df = corpus.load_corpus(str(path))
    assert df["title"].tolist() == ["Storm hits coast", "Markets rally"] and (df["text"] == "").all()
    assert all(any("titles only" in w for w in ws) for ws in df["warnings"])
    pd.DataFrame({"date": ["2017-03-01"]}).to_csv(path, index=False)
    with pytest.raises(ValueError, match="no text column"):
        corpus.load_corpus(str(path))


class _Result:
    def __init__(self, messages: list[str]) -> None:
        self.load_warnings = messages


def test_input_notes_summarise_loader_warnings():
    notes = report.input_notes(_Result([
        "NewsArticles.csv: NewsArticles.csv#article_id=522: field 'publish_date': non-standard value '  2016/12/30 7:11' read as 2016-12-30",
        "titles.csv: row 3: field 'published': cannot parse date 'soon'; left empty",
        "titles.csv: row 4: field 'published': cannot parse date 'later'; left empty",
        "manifest.csv:7: file 'a.txt' is listed again; the first entry is used",
    ]))
    assert notes == ["1 date read from a non-standard value: article 522",
                     "2 dates could not be read (left empty): titles.csv: row 3, titles.csv: row 4",
                     "manifest.csv:7: file 'a.txt' is listed again; the first entry is used"]
    assert report.input_notes(_Result([])) == []


def test_clean_corpus_keeps_loader_warnings_as_notes_without_folders(tmp_path, recwarn):
    path = tmp_path / "t.csv"
    text = " ".join(FILLER)
    pd.DataFrame({"id": [1, 2], "title": ["A", "B"], "text": [text, text + " More."], "date": ["2017-03-01", "whenever"]}).to_csv(path, index=False)
    from newsscope import clean

    result = clean.clean_corpus(str(path))
    assert not [w for w in recwarn if issubclass(w.category, UserWarning)], "loader warnings must not reach stderr"
    assert any("cannot parse date 'whenever'" in m for m in result.load_warnings)
    assert not any(str(tmp_path) in m for m in result.load_warnings)
    assert report.input_notes(result)[0].startswith("1 date could not be read")


# --------------------------------------------------------------------------- progress, corpus label


def test_progress_is_off_in_batch_runs_and_can_be_forced(monkeypatch):
    monkeypatch.delenv("NEWSSCOPE_PROGRESS", raising=False)
    assert progress.progress_wanted() is False  # pytest captures stderr: not a terminal, no kernel
    monkeypatch.setenv("NEWSSCOPE_PROGRESS", "1")
    assert progress.progress_wanted() is True
    bar = progress.progress_bar(total=3, enabled=False)
    assert bar.disable
    bar.close()
    monkeypatch.setenv("NEWSSCOPE_PROGRESS", "0")
    assert progress.progress_bar(total=3).disable


def test_corpus_label_names_no_folder():
    assert config.CorpusChoice("builtin:news100", None, "parameter").label == "builtin:news100"
    assert config.CorpusChoice("/home/someone/data/my-pages", None, "parameter").label == "my-pages"
    assert np.isscalar(config.resolve_corpus("builtin:news100").label)


@pytest.mark.slow
def test_progress_shows_in_a_frontend_kernel_and_not_in_batch_execution():
    """A kernel asked by a frontend that accepts input (JupyterLab) shows bars; nbclient/nbval (allow_stdin off) do not."""
    from jupyter_client.manager import start_new_kernel

    km, kc = start_new_kernel(kernel_name="python3")
    try:
        seen = {}
        for allow in (False, True):
            texts: list[str] = []
            kc.execute_interactive("from newsscope.progress import progress_wanted; print(progress_wanted())", allow_stdin=allow,
                                   output_hook=lambda m: texts.append(m["content"].get("text", "")) if m["msg_type"] == "stream" else None,
                                   timeout=120)
            seen[allow] = "".join(texts).strip()
    finally:
        kc.stop_channels()
        km.shutdown_kernel(now=True)
    assert seen == {False: "False", True: "True"}


def test_choose_period_and_format_keyness():
    docs = _docs(4)
    assert trends.choose_period(docs) == (pd.Timestamp("2017-03-01"), pd.Timestamp("2017-03-04"))
    assert trends.choose_period(docs, start="2017-03-02") == (pd.Timestamp("2017-03-02"), pd.Timestamp("2017-03-04"))
    assert trends.choose_period(_docs(2, dated=False)) == (None, None)
    assert trends.format_keyness(pd.DataFrame(), empty="nothing") == "nothing"
    table = pd.DataFrame({"term": ["a"], "target": [3], "reference": [1], "g2": [12.3456], "log_ratio": [1.234], "direction": ["over"]})
    assert "12.35" in trends.format_keyness(table) and "1.23" in trends.format_keyness(table)
