"""Glued hyphens decided on corpus evidence (sentences modelled on the built-in corpus)."""

from __future__ import annotations

import pytest

from newsscope.clean.hyphens import GluedHyphenModel


@pytest.fixture(scope="module")
def model() -> GluedHyphenModel:
    # A gluing outlet (Al Jazeera-like): spaces sometimes became hyphens, next to real compounds.
    glue = [
        "Israel's land grab law that-retroactively legalises thousands of settlement homes, he said.",
        "The law that retroactively legalises settler homes was condemned, said the minister.",
        "President-Higgins, Taoiseach Enda Kenny and the minister were in attendance.",
        "President Higgins said the talks would continue.",
        "President Higgins met the delegation on Monday.",
        "He said-the last communication with Rescue 116 was at 12.45am.",
        "Syrian President Bashar al-Assad met the co-author of the report.",
        "Kim Jong-nam was killed at Kuala Lumpur airport, the long-term investigation found.",
        "The long-term plan and the long term are different, he said.",
        "Mr Kenny said the face-to-face meeting went well; a second face-to-face meeting is planned.",
    ] + ["He said the talks were over and the minister said the plan would work." for _ in range(40)]
    # An outlet that never glues, with one hyphenated pair whose spaced form also exists.
    clean = (["The on-board crew said the plane was safe."] * 3 + ["The minister said the crew were on board the plane."] * 10
             + ["The minister said that the crew of the plane had been told of the delay by the airline." for _ in range(80)])
    texts = glue + clean
    groups = ["gluer"] * len(glue) + ["careful"] * len(clean)
    return GluedHyphenModel().fit(texts, groups)


def test_glue_rates_differ_by_outlet(model):
    rates = model.glue_rates_.set_index("group")["rate"]
    assert rates["gluer"] > 5 * rates["careful"]


def test_glued_spaces_are_repaired(model):
    out, n = model.repair("Israel's land grab law that-retroactively legalises homes. He said-the call came. President-Higgins spoke.")
    assert out == "Israel's land grab law that retroactively legalises homes. He said the call came. President Higgins spoke."
    assert n == 3


def test_real_compounds_stay(model):
    text = "Bashar al-Assad, the co-author, Kim Jong-nam, a long-term plan and a face-to-face meeting."
    assert model.repair(text) == (text, 0)


def test_hyphen_in_outlet_that_never_glues_is_kept(model):
    assert model.is_compound("on", "board")
    d = model.decisions_.set_index("pair")
    assert bool(d.at["on-board", "keep"])
    assert not bool(d.at["that-retroactively", "keep"])


def test_urls_untouched(model):
    url = "http://www.example.com/president-higgins-said-the-talks"
    assert model.repair(f"See {url} now")[0] == f"See {url} now"


def test_unfitted_model_changes_nothing():
    assert GluedHyphenModel().repair("law that-retroactively") == ("law that-retroactively", 0)
