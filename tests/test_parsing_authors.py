"""Author lines: people only, every byline form; section versus author."""

from __future__ import annotations

import pytest

from newsscope.parsing.authors import classify_meta_line, is_person_name, split_authors


@pytest.mark.parametrize(("line", "people"), [
    ("Amy Hawkins", ["Amy Hawkins"]),
    ("Nadia Farouk, Owen Pritchard and Dana Okoro", ["Nadia Farouk", "Owen Pritchard", "Dana Okoro"]),
    ("Helen Sutton (now) and Martin Bellamy (earlier)", ["Helen Sutton", "Martin Bellamy"]),
    ("Tom Ambler (now); Nadim Badsha, Léonie Château-Fort and Yohannes Lowell (earlier)",
     ["Tom Ambler", "Nadim Badsha", "Léonie Château-Fort", "Yohannes Lowell"]),
    ("(earlier) Tom Ambler, Nadim Badsha", ["Tom Ambler", "Nadim Badsha"]),
    ("Andrew Swallow (first) and Rachel Hale (second)", ["Andrew Swallow", "Rachel Hale"]),
    ("Julian Berger in Washington", ["Julian Berger"]),
    ("Dana Sobel in Kyiv, Julian Berger in Washington and Luke Hardy", ["Dana Sobel", "Julian Berger", "Luke Hardy"]),
    ("Ben Quinlan with Guardian writers", ["Ben Quinlan"]),
    ("Jane Doe, PhD Candidate in Anthropology, UCL", ["Jane Doe"]),
    ("Jane Doe, Professor of Politics and International Relations, University of Leeds", ["Jane Doe"]),
    ("Jane Doe, Senior Lecturer, University of Sydney and John Roe, Associate Professor, Monash University", ["Jane Doe", "John Roe"]),
    ("Siobhán Ní Bhriain ,José María Álvarez and  Chloé Gélinas-Côté", ["Siobhán Ní Bhriain", "José María Álvarez", "Chloé Gélinas-Côté"]),
    ("Martin Fairley,Helen Livesey", ["Martin Fairley", "Helen Livesey"]),
    ("Dr Jane Doe and Prof. John Roe", ["Jane Doe", "John Roe"]),
    ("By Amira Okafor", ["Amira Okafor"]),
    ("Ana de Armas-Vidal in Madrid", ["Ana de Armas-Vidal"]),
    ("Mohammed bin Rashid Khalil", ["Mohammed bin Rashid Khalil"]),
    ("Hannah Ellison-Peters South Asia correspondent", ["Hannah Ellison-Peters"]),
    ("Amy Hawkins and agencies", ["Amy Hawkins"]),
    ("Guardian staff and agencies", []),
    ("Reuters", []),
    ("JK Rowlands", ["JK Rowlands"]),
    ("Amy Hawkins (now) and Amy Hawkins (earlier)", ["Amy Hawkins"]),
])
def test_split_authors(line: str, people: list[str]) -> None:
    assert split_authors(line)[0] == people


def test_unknown_parts_are_reported_not_guessed() -> None:
    people, unknown = split_authors("Amira Okafor and Pelé")
    assert people == ["Amira Okafor"] and unknown == ["Pelé"]


@pytest.mark.parametrize(("line", "kind"), [
    ("World", "section"), ("National", "section"), ("Sport", "section"), ("US news", "section"),
    ("Life and style", "section"), ("Television & radio", "section"), ("Northern Ireland", "section"),
    ("Hong Kong", "section"), ("Global development", "section"), ("Rugby union", "section"),
    ("Amy Hawkins", "author"), ("Léonie Château-Fort", "author"), ("Guardian staff and agencies", "author"),
    ("Reuters", "author"), ("Julian Berger in Washington", "author"), ("(earlier) Tom Ambler, Nadim Badsha", "author"),
    ("Okafor", None), ("This is a long sentence that is neither a section nor a byline at all.", None),
])
def test_classify_meta_line(line: str, kind: str | None) -> None:
    assert classify_meta_line(line) == kind


def test_is_person_name() -> None:
    assert is_person_name("Léonie Château-Fort")
    assert not is_person_name("US news")
    assert not is_person_name("Okafor")
    assert not is_person_name("PhD Candidate")
