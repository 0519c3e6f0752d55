"""Language identification, word counts and date status."""

from __future__ import annotations

import pandas as pd

from newsscope.clean.dates import coverage_table, date_status, date_summary
from newsscope.clean.language import count_words, identify_languages

EN = "The Senate voted on the nomination this afternoon, and the tally was split evenly, requiring the vice president to break the tie."
DE = "Die Bundesregierung hat am Mittwoch beschlossen, die Grenzkontrollen zu Österreich um weitere sechs Monate zu verlängern."
FR = "Le gouvernement français a annoncé mercredi un plan de relance pour soutenir les entreprises touchées par la crise."


def test_languages_of_real_sentences():
    out = identify_languages([EN, DE, FR, ""])
    assert out["language"].tolist() == ["en", "de", "fr", ""]
    assert (out["language_confidence"].iloc[:3] > 0.9).all()
    assert out["language_confidence"].iloc[3] == 0


def test_word_count_keeps_hyphens_and_apostrophes_together():
    assert count_words("Kim Jong-nam's half-brother didn't go.") == 5
    assert count_words("") == 0


def test_date_status_flags_strays_and_keeps_weekly_issues():
    days = (["2016-04-19", "2016-08-23"]                       # two strays months before the rest
            + ["2016-12-02"] * 12 + ["2016-12-09"] * 10        # weekly issues
            + [str(d.date()) for d in pd.date_range("2017-02-01", "2017-03-30")] * 3 + [None])
    warnings = [[] for _ in days]
    warnings[5] = ["field 'publish_date': non-standard value '          2016/12/30 7:11' read as 2016-12-30"]
    s = date_status(pd.Series(pd.to_datetime(days)), pd.Series(warnings), window_days=30, min_neighbours=5,
                    today=pd.Timestamp("2020-01-01"))
    assert s.iloc[0] == "outlier" and s.iloc[1] == "outlier"
    assert s.iloc[2] == "ok" and s.iloc[20] == "ok"
    assert s.iloc[5] == "repaired"
    assert s.iloc[-1] == "missing"


def test_coverage_table_shows_gaps_as_zero_days():
    df = pd.DataFrame({
        "source": ["TASS", "TASS", "BBC"],
        "published": pd.to_datetime(["2017-02-06", "2017-02-09", "2017-02-06"]),
        "date_status": ["ok", "ok", "ok"],
    })
    t = coverage_table(df)
    assert t.shape == (2, 4)
    assert t.loc["TASS"].tolist() == [1, 0, 0, 1]
    assert t.index.tolist() == ["TASS", "BBC"]
    summary = date_summary(df)
    assert summary["articles"].tolist() == [3]


def test_coverage_without_dates_is_empty():
    df = pd.DataFrame({"source": ["X"], "published": pd.to_datetime([None]), "date_status": ["missing"]})
    assert coverage_table(df).empty
