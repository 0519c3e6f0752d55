"""String-level alias rules: clean-up, titles, match keys, person-name structure, acronyms."""

from __future__ import annotations

import pytest

from newsscope.actors.names import acronym_matches, clean_surface, is_junk, loose_person_key, name_key, parse_person


@pytest.mark.parametrize(("raw", "label", "expected"), [
    ("President Trump's", "PERSON", "Trump"),
    ("US President Donald Trump", "PERSON", "Donald Trump"),
    ("Mr. Stewart", "PERSON", "Stewart"),
    ("Mr Obama", "PERSON", "Obama"),
    ("former Prime Minister David Cameron", "PERSON", "David Cameron"),
    ("Russian Foreign Minister Sergei Lavrov", "PERSON", "Sergei Lavrov"),
    ("Sen. Elizabeth Warren", "PERSON", "Elizabeth Warren"),
    ("Supreme Leader Ayatollah Ali Khamenei", "PERSON", "Ali Khamenei"),
    ("Taoiseach Enda Kenny", "PERSON", "Enda Kenny"),
    ("Trump\u2019s", "PERSON", "Trump"),
    ("the United States", "GPE", "United States"),
    ("The Hague", "GPE", "The Hague"),
    ("Moscow.", "GPE", "Moscow"),
    ("U.S.", "GPE", "U.S."),
    ("Donald Trump Jr.", "PERSON", "Donald Trump Jr."),
    # royal and religious styles are part of the name
    ("Prince Harry", "PERSON", "Prince Harry"),
    ("Pope Francis", "PERSON", "Pope Francis"),
    # titles are only stripped from people, and never to nothing
    ("General Motors", "ORG", "General Motors"),
    ("President", "PERSON", "President"),
])
def test_clean_surface(raw: str, label: str, expected: str) -> None:
    assert clean_surface(raw, label) == expected


@pytest.mark.parametrize(("a", "b"), [
    ("Kim Jong-un", "Kim Jong Un"),
    ("U.S.", "US"),
    ("NATO", "Nato"),
    ("MOSCOW", "Moscow"),
    ("Bashar al-Assad", "Bashar Assad"),
    ("Erdo\u011fan", "Erdogan"),
    ("Sergei Lavrov", "Sergey Lavrov"),
    ("al-Qaida", "al-Qaeda"),
    ("the United States", "United States"),
])
def test_spelling_variants_share_a_key(a: str, b: str) -> None:
    assert name_key(a) == name_key(b)


@pytest.mark.parametrize(("a", "b"), [
    ("Kim Jong-un", "Kim Jong-nam"),
    ("Donald Trump", "Donald Trump Jr."),
    ("Marine Le Pen", "Jean-Marie Le Pen"),
    ("Al Gore", "Gore"),
])
def test_different_people_keep_different_keys(a: str, b: str) -> None:
    assert name_key(a) != name_key(b)


def test_middle_initials_are_dropped_only_in_the_loose_key() -> None:
    assert name_key("Donald J. Trump") == "donald j trump"
    assert loose_person_key("donald j trump") == "donald trump"
    assert loose_person_key("kim jong un") == "kim jong un"


def test_parse_person_structure() -> None:
    jr = parse_person(name_key("Donald Trump Jr."), "Donald Trump Jr.")
    assert jr.core == ("donald", "trump") and jr.suffix == "jr"
    lepen = parse_person(name_key("Le Pen"), "Le Pen")
    assert lepen.particle_led and lepen.core == ("le", "pen")
    assad = parse_person(name_key("al-Assad"), "al-Assad")
    assert assad.is_single and assad.core == ("assad",)
    gore = parse_person(name_key("Al Gore"), "Al Gore")  # capitalised "Al" is a first name
    assert not gore.particle_led and gore.core == ("al", "gore")


def test_junk_is_recognised() -> None:
    assert is_junk("don't") == "no capital letter"
    assert is_junk("2016") == "no letters"
    assert is_junk("Angela Merkel") is None


@pytest.mark.parametrize(("acr", "long_form", "ok"), [
    ("ISIL", "Islamic State of Iraq and the Levant", True),
    ("SDF", "Syrian Democratic Forces", True),
    ("IOM", "International Organization for Migration", True),
    ("AFP", "Donald Trump", False),
    ("PKK", "Kurdistan Workers' Party", False),
    ("ab", "Alpha Beta", False),
])
def test_acronym_matches(acr: str, long_form: str, ok: bool) -> None:
    assert acronym_matches(acr, long_form) is ok
