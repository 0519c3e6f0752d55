"""spaCy NER on a few sentences, and the per-document mention store."""

from __future__ import annotations

import pandas as pd
import pytest

from newsscope.actors import ner

ARTICLES = pd.DataFrame({
    "doc_id": ["a", "b"],
    "title": ["Merkel and Putin meet in Berlin", "Storm hits coast"],
    "text": ["German Chancellor Angela Merkel met Russian President Vladimir Putin in Berlin on Monday. "
             "The talks, held at the Chancellery, focused on Ukraine.\n\nNATO officials were not present.",
             "Heavy rain fell overnight. Nobody was hurt."],
})


@pytest.fixture(scope="module")
def extracted(tmp_path_factory: pytest.TempPathFactory):
    mp = pytest.MonkeyPatch()
    mp.setenv("NEWSSCOPE_CACHE", str(tmp_path_factory.mktemp("ner-cache")))
    try:
        yield ner.extract_mentions(ARTICLES, n_process=1, progress=False)
    finally:
        mp.undo()


def test_pipeline_has_only_what_ner_needs() -> None:
    nlp = ner.load_pipeline()
    assert "ner" in nlp.pipe_names and "senter" in nlp.pipe_names
    assert not {"tagger", "parser", "lemmatizer", "attribute_ruler", "tok2vec"} & set(nlp.pipe_names)
    rb = ner.load_pipeline(sentences="sentencizer")
    assert "sentencizer" in rb.pipe_names and "senter" not in rb.pipe_names


def test_entities_and_sentences(extracted) -> None:
    mentions, sentences = extracted
    a = mentions[mentions["doc_id"] == "a"]
    found = set(zip(a["text"], a["label"]))
    assert ("Angela Merkel", "PERSON") in found
    assert ("Vladimir Putin", "PERSON") in found
    assert ("Berlin", "GPE") in found
    text = ner.document_texts(ARTICLES)[0]
    # offsets point into the text NER saw (title + blank line + body)
    assert all(text[s:e] == t for s, e, t in zip(a["start"], a["end"], a["text"]))
    sa = sentences[sentences["doc_id"] == "a"]
    # the headline is its own sentence, and the paragraph break ends one
    assert text[sa["start"].iloc[0]:sa["end"].iloc[0]] == "Merkel and Putin meet in Berlin"
    assert any(text[s:e].startswith("NATO officials") for s, e in zip(sa["start"], sa["end"]))
    # each mention's sentence contains it
    spans = sa.set_index("sent")
    assert all(spans.loc[s, "start"] <= st and en <= spans.loc[s, "end"] for s, st, en in zip(a["sent"], a["start"], a["end"]))
    assert set(sentences["doc_id"]) == {"a", "b"}      # a document without entities still has its sentences
    assert sentences.attrs["ner_new"] == 2


def test_store_shares_documents_across_corpora(tmp_path, monkeypatch) -> None:
    monkeypatch.setenv("NEWSSCOPE_CACHE", str(tmp_path))
    first = ARTICLES.iloc[:1]
    m1, s1 = ner.extract_mentions(first, n_process=1, progress=False)
    assert s1.attrs == {"ner_new": 1, "ner_cached": 0}
    # a second corpus sharing document "a" (under another id) only processes the new one
    other = pd.concat([ARTICLES.iloc[:1].assign(doc_id="a-copy"), ARTICLES.iloc[1:]], ignore_index=True)
    m2, s2 = ner.extract_mentions(other, n_process=1, progress=False)
    assert s2.attrs == {"ner_new": 1, "ner_cached": 1}
    assert m2.loc[m2["doc_id"] == "a-copy", ["start", "text"]].values.tolist() == m1[["start", "text"]].values.tolist()
    # a rerun processes nothing
    _, s3 = ner.extract_mentions(other, n_process=1, progress=False)
    assert s3.attrs == {"ner_new": 0, "ner_cached": 2}
    # other settings (sentence splitter) are another store
    _, s4 = ner.extract_mentions(first, ner.NerSettings(sentences="sentencizer"), n_process=1, progress=False)
    assert s4.attrs["ner_new"] == 1


def test_store_compaction_keeps_every_document(tmp_path) -> None:
    store = ner.MentionStore(tmp_path / "s")
    for i in range(5):
        store.add([{"text_hash": f"h{i}", "sent_start": [0], "sent_end": [3], "ent_start": [], "ent_end": [], "ent_sent": [],
                    "ent_label": [], "ent_text": []}])
    store.compact(max_parts=2)
    assert len(list(store.folder.glob("part-*.parquet"))) == 1
    assert store.known() == {f"h{i}" for i in range(5)}


def test_missing_fields_and_bad_settings_are_reported() -> None:
    with pytest.raises(KeyError, match="no column"):
        ner.document_texts(ARTICLES, ("title", "body"))
    with pytest.raises(ValueError, match="sentences="):
        ner.NerSettings(sentences="parser")
    with pytest.raises(ModuleNotFoundError, match="no spaCy pipeline"):
        ner.resolve_model("xx_no_such_model")
