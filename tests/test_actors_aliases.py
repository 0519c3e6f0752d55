"""Alias resolution on realistic mentions, including the people who must stay apart."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from newsscope.actors.aliases import AliasResolver
from newsscope.actors.dictionary import read_dictionary


def mentions_from(docs: dict[str, tuple[str, list[tuple[str, str]]]]) -> tuple[pd.DataFrame, dict[str, str]]:
    """Build a mention table from texts and the entities (surface, label) a tagger found, in order."""
    rows, texts = [], {}
    for doc_id, (text, ents) in docs.items():
        texts[doc_id] = text
        pos = 0
        for surface, label in ents:
            start = text.index(surface, pos)
            rows.append({"doc_id": doc_id, "sent": 0, "start": start, "end": start + len(surface), "text": surface, "label": label})
            pos = start + len(surface)
    return pd.DataFrame(rows), texts


def resolve(docs, **kwargs) -> pd.DataFrame:
    m, texts = mentions_from(docs)
    sources = kwargs.pop("sources", None)
    return AliasResolver(**kwargs).fit_transform(m, texts, sources)


def actors_of(res: pd.DataFrame, doc_id: str, surface: str) -> list[str | None]:
    sub = res[(res["doc_id"] == doc_id) & (res["text"] == surface)]
    return sub["actor"].tolist()


KOREA = {
    "a1": ("Kim Jong-nam, the estranged half-brother of Kim Jong Un, died in Kuala Lumpur. Kim had lived in Macau.",
           [("Kim Jong-nam", "PERSON"), ("Kim Jong Un", "PERSON"), ("Kuala Lumpur", "GPE"), ("Kim", "PERSON"), ("Macau", "GPE")]),
    "a2": ("Police say Kim Jong-nam was poisoned. Kim was carrying a diplomatic passport.",
           [("Kim Jong-nam", "PERSON"), ("Kim", "PERSON")]),
    "a3": ("North Korean leader Kim Jong-un oversaw a missile test. Kim watched from a tower.",
           [("North Korean", "NORP"), ("Kim Jong-un", "PERSON"), ("Kim", "PERSON")]),
}


def test_kim_jong_un_and_kim_jong_nam_stay_distinct() -> None:
    res = resolve(KOREA)
    assert set(res.loc[res["text"].str.startswith("Kim Jong"), "actor"]) == {"Kim Jong-nam", "Kim Jong Un"}
    assert actors_of(res, "a2", "Kim") == ["Kim Jong-nam"]        # the only full name in the article
    assert actors_of(res, "a3", "Kim") == ["Kim Jong Un"]          # spelling variant Kim Jong-un
    # both brothers in a1: the nearest preceding full name is Kim Jong Un, and the rule says so
    row = res[(res["doc_id"] == "a1") & (res["text"] == "Kim")].iloc[0]
    assert row["actor"] == "Kim Jong Un" and "nearest" in row["rule"]
    assert actors_of(res, "a3", "North Korean") == ["North Korea"]


TRUMPS = {
    **{f"t{i}": (f"President Donald Trump signed an order. Trump said it was day {i}.",
                 [("Donald Trump", "PERSON"), ("Trump", "ORG")]) for i in range(20)},
    "jr": ("Donald Trump Jr. spoke in Dubai. Trump Jr. said the family business would go on.",
           [("Donald Trump Jr.", "PERSON"), ("Dubai", "GPE"), ("Trump Jr.", "PERSON")]),
    "both": ("Donald Trump Jr. praised his father, Donald Trump. Trump thanked him.",
             [("Donald Trump Jr.", "PERSON"), ("Donald Trump", "PERSON"), ("Trump", "PERSON")]),
    "bare": ("Trump fired off another tweet on Saturday.", [("Trump", "PERSON")]),
}


def test_donald_trump_and_donald_trump_jr_stay_distinct() -> None:
    res = resolve(TRUMPS)
    assert actors_of(res, "jr", "Donald Trump Jr.") == ["Donald Trump Jr."]
    assert actors_of(res, "jr", "Trump Jr.") == ["Donald Trump Jr."]
    assert actors_of(res, "both", "Donald Trump") == ["Donald Trump"]
    # two fitting full names in the article: Donald Trump dominates the corpus (21 articles vs 2)
    assert actors_of(res, "both", "Trump") == ["Donald Trump"]
    # a lone surname labelled ORG by the tagger is still his, and typed PERSON
    assert actors_of(res, "t3", "Trump") == ["Donald Trump"]
    assert set(res.loc[res["actor"] == "Donald Trump", "actor_type"]) == {"PERSON"}
    # no full name in the article: the corpus-dominant one
    row = res[res["doc_id"] == "bare"].iloc[0]
    assert row["actor"] == "Donald Trump" and row["rule"] == "partial name -> corpus-dominant full name"


LE_PEN = {
    "f1": ("Marine Le Pen launched her campaign in Lyon. Le Pen promised a referendum.",
           [("Marine Le Pen", "PERSON"), ("Lyon", "GPE"), ("Le Pen", "ORG")]),
    "f2": ("Jean-Marie Le Pen, the party's founder, was fined again. Le Pen called it persecution.",
           [("Jean-Marie Le Pen", "PERSON"), ("Le Pen", "PERSON")]),
    "f3": ("Marine Le Pen distanced herself from Jean-Marie Le Pen in 2015.",
           [("Marine Le Pen", "PERSON"), ("Jean-Marie Le Pen", "PERSON")]),
    "f4": ("Ms Le Pen's rally drew thousands.", [("Ms Le Pen's", "PERSON")]),
}


def test_marine_and_jean_marie_le_pen_stay_distinct() -> None:
    res = resolve(LE_PEN)
    assert actors_of(res, "f1", "Le Pen") == ["Marine Le Pen"]
    assert actors_of(res, "f2", "Le Pen") == ["Jean-Marie Le Pen"]
    assert actors_of(res, "f3", "Jean-Marie Le Pen") == ["Jean-Marie Le Pen"]
    # no full name in f4 and two Le Pens in the corpus (2 articles each): left unresolved, and said so
    row = res[res["doc_id"] == "f4"].iloc[0]
    assert row["actor"] == "Le Pen" and row["rule"] == "partial name unresolved: ambiguous in corpus"
    assert "Marine Le Pen (2)" in row["candidates"] and "Jean-Marie Le Pen (2)" in row["candidates"]


def test_surname_resolved_corpus_wide_only_when_unambiguous() -> None:
    docs = {
        **{f"h{i}": ("Hillary Clinton spoke in Ohio.", [("Hillary Clinton", "PERSON"), ("Ohio", "GPE")]) for i in range(5)},
        **{f"b{i}": ("Bill Clinton visited Haiti.", [("Bill Clinton", "PERSON"), ("Haiti", "GPE")]) for i in range(4)},
        **{f"p{i}": ("Vladimir Putin met officials.", [("Vladimir Putin", "PERSON")]) for i in range(3)},
        "x": ("Clinton and Putin were both mentioned.", [("Clinton", "PERSON"), ("Putin", "PERSON")]),
    }
    res = resolve(docs)
    assert actors_of(res, "x", "Putin") == ["Vladimir Putin"]
    assert actors_of(res, "x", "Clinton") == ["Clinton"]
    assert res.loc[(res["doc_id"] == "x") & (res["text"] == "Clinton"), "rule"].iloc[0] == "partial name unresolved: ambiguous in corpus"


def test_abbreviations_long_forms_case_and_titles_merge() -> None:
    docs = {
        "d1": ("The U.S. and the United States of America are the US. MOSCOW replied. Moscow again. Nato met NATO.",
               [("U.S.", "GPE"), ("the United States of America", "GPE"), ("US", "GPE"), ("MOSCOW", "GPE"),
                ("Moscow", "GPE"), ("Nato", "ORG"), ("NATO", "ORG")]),
        "d2": ("Britain and the UK and the United Kingdom. The EU and the European Union and the UN.",
               [("Britain", "GPE"), ("UK", "GPE"), ("the United Kingdom", "GPE"), ("EU", "ORG"), ("the European Union", "ORG"), ("UN", "ORG")]),
        "d3": ("Mr Putin's spokesman spoke. President Vladimir Putin agreed.", [("Mr Putin's", "PERSON"), ("President Vladimir Putin", "PERSON")]),
    }
    res = resolve(docs)
    d1 = res[res["doc_id"] == "d1"]
    assert set(d1.loc[d1["text"].isin(["U.S.", "the United States of America", "US"]), "actor"]) == {"United States"}
    assert set(d1.loc[d1["text"].isin(["MOSCOW", "Moscow"]), "actor"]) == {"Moscow"}  # mixed case wins the display
    assert set(d1.loc[d1["text"].isin(["Nato", "NATO"]), "actor"]) == {"NATO"}
    d2 = res[res["doc_id"] == "d2"]
    assert set(d2.loc[d2["text"].isin(["Britain", "UK", "the United Kingdom"]), "actor"]) == {"United Kingdom"}
    assert set(d2.loc[d2["text"].isin(["EU", "the European Union"]), "actor"]) == {"EU"}
    assert set(res.loc[res["doc_id"] == "d3", "actor"]) == {"Vladimir Putin"}


def test_norp_modes() -> None:
    docs = {"n1": ("Chinese officials and Russian diplomats met Muslim leaders.",
                   [("Chinese", "NORP"), ("Russian", "NORP"), ("Muslim", "NORP")])}
    res = resolve(docs)
    assert res["actor"].tolist() == ["China", "Russia", None]
    assert res["drop"].iloc[2] == "dropped: NORP that is not a nationality"
    assert res["actor_type"].iloc[0] == "GPE"
    kept = resolve(docs, norp="keep")
    assert kept["actor"].tolist() == ["Chinese", "Russian", "Muslim"]
    assert resolve(docs, norp="drop")["actor"].isna().all()


def test_type_errors_corrected_by_majority() -> None:
    docs = {f"l{i}": ("Sergei Lavrov met his counterpart. Lavrov said talks went well.",
                      [("Sergei Lavrov", "PERSON"), ("Lavrov", "ORG" if i % 2 else "PERSON")]) for i in range(6)}
    docs.update({f"h{i}": ("Hezbollah fighters advanced.", [("Hezbollah", "ORG" if i < 4 else "PERSON")]) for i in range(5)})
    res = resolve(docs)
    assert set(res.loc[res["text"] == "Lavrov", "actor"]) == {"Sergei Lavrov"}
    assert set(res.loc[res["actor"] == "Sergei Lavrov", "actor_type"]) == {"PERSON"}
    assert set(res.loc[res["actor"] == "Hezbollah", "actor_type"]) == {"ORG"}


def test_acronym_defined_in_text_joins_long_form() -> None:
    docs = {
        "s1": ("The Syrian Democratic Forces (SDF) advanced on Raqqa. The SDF said.",
               [("The Syrian Democratic Forces", "ORG"), ("SDF", "ORG"), ("Raqqa", "GPE"), ("SDF", "ORG")]),
        "s2": ("SDF fighters entered the town.", [("SDF", "ORG")]),
    }
    res = resolve(docs)
    # one actor, named by its most frequent form
    assert set(res.loc[res["text"].isin(["SDF", "The Syrian Democratic Forces"]), "actor"]) == {"SDF"}
    assert res.loc[res["text"] == "SDF", "rule"].eq("acronym defined in text").all()


def test_shortened_full_name_joins_the_longer_one() -> None:
    docs = {f"e{i}": ("Recep Tayyip Erdogan spoke. Tayyip Erdogan later said Erdogan would win.",
                      [("Recep Tayyip Erdogan", "PERSON"), ("Tayyip Erdogan", "PERSON"), ("Erdogan", "PERSON")]) for i in range(3)}
    res = resolve(docs)
    assert set(res["actor"]) == {"Recep Tayyip Erdogan"}


def test_stray_word_before_a_frequent_full_name_is_dropped() -> None:
    docs = {f"p{i}": ("Andrew Puzder withdrew.", [("Andrew Puzder", "PERSON")]) for i in range(5)}
    docs["x"] = ("Labor Pick Andrew Puzder Withdraws", [("Pick Andrew Puzder", "PERSON")])
    res = resolve(docs)
    assert set(res["actor"]) == {"Andrew Puzder"}
    assert res.loc[res["doc_id"] == "x", "rule"].iloc[0] == "stray word before a full name dropped"


def test_outlet_self_reference_dropped_only_in_own_articles() -> None:
    docs = {"c1": ("CNN reported that the White House barred CNN.", [("CNN", "ORG"), ("the White House", "ORG"), ("CNN", "ORG")]),
            "h1": ("The White House barred CNN from a briefing.", [("The White House", "ORG"), ("CNN", "ORG")])}
    res = resolve(docs, sources={"c1": "CNN", "h1": "HuffPost"})
    assert actors_of(res, "c1", "CNN") == [None, None]
    assert res.loc[res["doc_id"] == "c1", "drop"].iloc[0] == "self-reference of the article's outlet"
    assert actors_of(res, "h1", "CNN") == ["CNN"]


def test_dictionary_overrides_rules(tmp_path: Path) -> None:
    path = tmp_path / "actors.csv"
    path.write_text(
        "actor,type,aliases,wikidata\n"
        "United States,GPE,America; US,Q30\n"
        "George W. Bush,PERSON,George W Bush,\n"
        "George H. W. Bush,PERSON,George H.W. Bush; George HW Bush,\n"
        "Reuters,IGNORE,Thomson Reuters,\n"
        "Kiev,GPE,Kyiv,\n", encoding="utf-8")
    docs = {"g1": ("George W. Bush and his father George H.W. Bush met in America, Reuters said. Kiev watched.",
                   [("George W. Bush", "PERSON"), ("George H.W. Bush", "PERSON"), ("America", "GPE"), ("Reuters", "ORG"), ("Kiev", "PERSON")])}
    res = resolve(docs, dictionary=read_dictionary(path))
    assert res["actor"].tolist() == ["George W. Bush", "George H. W. Bush", "United States", None, "Kiev"]
    assert res["drop"].iloc[3] == "ignored by the actor dictionary"
    assert res["actor_type"].iloc[4] == "GPE"  # the dictionary's type beats the PERSON label


@pytest.mark.parametrize(("content", "message"), [
    ("actor,type\nTrump,PRESIDENT\n", "line 2: field 'type'"),
    ("actor,type,aliases\nA,PERSON,X\nB,PERSON,x\n", "line 3: alias 'x' of 'B' is already claimed by 'A' (line 2)"),
    ("name,kind\nA,PERSON\n", "line 1: the header needs columns"),
    ("actor,type,aliases,wikidata\nA,PERSON,,22686\n", "line 2: field 'wikidata'"),
    ("actor,type\nA,PERSON\nA,ORG\n", "line 3: actor 'A' is listed again"),
])
def test_dictionary_errors_name_file_and_line(tmp_path: Path, content: str, message: str) -> None:
    path = tmp_path / "actors.csv"
    path.write_text(content, encoding="utf-8")
    with pytest.raises(ValueError, match=message.replace("(", r"\(").replace(")", r"\)")):
        read_dictionary(path).index(lambda s: s.lower())


def test_shipped_dictionary_is_valid() -> None:
    d = read_dictionary()
    assert len(d.entries) > 50
    from newsscope.actors.names import name_key
    index = d.index(name_key)
    assert index[name_key("Kim Jong Un")].actor == "Kim Jong-un"
    assert index[name_key("Kim Jong Nam")].actor == "Kim Jong-nam"
    assert index[name_key("Donald Trump Jr.")].actor != index[name_key("Donald Trump")].actor
