"""Datelines, outlet tags, bylines and credits, on real strings from the built-in corpus."""

from __future__ import annotations

import pytest

from newsscope.clean.fields import extract_bylines, extract_credits, extract_dateline, extract_fields, split_names


@pytest.mark.parametrize("text, place, rest, kind", [
    ("MOSCOW, February 7. /TASS/. Moscow is confident that the results", "MOSCOW", "Moscow is confident that the results", "tass"),
    ("INCHEON /Republic of Korea/, February 9. /TASS/. A traditional ceremony", "INCHEON", "A traditional ceremony", "tass"),
    ("ADMIRAL KUZNETSOV AIRCRAFT CARRIER (Severomorsk), February 9. /TASS/. Russia will", "ADMIRAL KUZNETSOV AIRCRAFT CARRIER", "Russia will", "tass"),
    ("WASHINGTON, Feb 9 (Reuters) - U.S. President Donald Trump used", "WASHINGTON", "U.S. President Donald Trump used", "wire"),
    ("SHANGHAI/WASHINGTON, March 9 (Reuters) - China has granted", "SHANGHAI/WASHINGTON", "China has granted", "wire"),
    ("LASHKAR GAH, Afghanistan, Feb 28 (Reuters) - Taliban fighters", "LASHKAR GAH", "Taliban fighters", "wire"),
    ("Washington (CNN)Vice President Mike Pence cast a historic vote", "Washington", "Vice President Mike Pence cast a historic vote", "cnn"),
    ("WASHINGTON — Hundreds of state and national medical groups", "WASHINGTON", "Hundreds of state and national medical groups", "dash"),
    ("WASHINGTON -House lawmakers on Thursday advanced a measure", "WASHINGTON", "House lawmakers on Thursday advanced a measure", "dash"),
])
def test_datelines(text, place, rest, kind):
    assert extract_dateline(text) == (rest, place, kind)


@pytest.mark.parametrize("text", [
    "(CNN)A federal judge in Hawaii blocked President Donald Trump's new travel ban",
    "March 3 (Reuters) - Two inmates have been killed during a disturbance",
])
def test_bare_outlet_tags_are_removed_without_place(text):
    out, place, kind = extract_dateline(text)
    assert place is None and kind in ("cnn", "wire")
    assert out[0].isupper() and "(" not in out[:2]


@pytest.mark.parametrize("text", [
    "NATO said on Monday that it would act.",
    "UPDATE - The story continues",
    "Michigan billionaire education activist Betsy DeVos was confirmed today",
])
def test_no_false_datelines(text):
    assert extract_dateline(text)[1] is None


def test_byline_with_universities():
    # HuffPost (The Conversation): the body opens with the byline
    text = "By Ivan Oransky, New York University and Adam Marcus, Johns Hopkins University Have you heard that scientists are"
    out, authors, removed = extract_bylines(text)
    assert authors == ["Ivan Oransky", "Adam Marcus"]
    assert out.strip().startswith("Have you heard")


@pytest.mark.parametrize("text, name, left", [
    ("of the year. By Frank Gardner, BBC security correspondent: It's a bad day for", "Frank Gardner", "It's a bad day for"),
    ("the hours to come. By BBC Scotland political editor Brian Taylor Brexit may be the trigger", "Brian Taylor", "Brexit may be the trigger"),
    ("increase By Laura Koran, CNN Trump asserted his administration's support", "Laura Koran", "Trump asserted"),
    ("make my first film. FILMMAKER'S VIEW By Ed Owles  For some time I had been looking", "Ed Owles", "For some time"),
])
def test_bylines_inside_the_body(text, name, left):
    out, authors, _ = extract_bylines(text)
    assert authors == [name]
    assert left in out and "By " not in out


@pytest.mark.parametrize("text", [
    "trade talks. By September 2016, Germany had also introduced checks.",
    "the documentary debuted at the South By Southwest festival in Austin.",
    "the second-biggest deal. By Savills' calculation, it was the biggest.",
])
def test_not_bylines(text):
    assert extract_bylines(text) == (text, [], [])


def test_contributed_credit_gives_names_and_leaves_the_body():
    text = ('before the full Senate. ABC News"?Morgan Winsor contributed to this report.').replace('"?', "' ")
    out, names, credits, counts = extract_credits(text)
    assert out == "before the full Senate."
    assert names == ["Morgan Winsor"]
    assert credits == ["ABC News' Morgan Winsor contributed to this report."]
    assert counts["contributed"] == 1


def test_several_contributors_and_organisations():
    out, names, _, _ = extract_credits("said. ABC News' James Hill, Arlette Saenz, Kate Shaw, and Jack Date contributed to this report.")
    assert names == ["James Hill", "Arlette Saenz", "Kate Shaw", "Jack Date"]
    assert extract_credits("it said. The Associated Press contributed to this report.")[1] == []
    assert split_names("Associated Press writer Barbara Rodriguez in Des Moines, Iowa") == ["Barbara Rodriguez"]


@pytest.mark.parametrize("text, credit, left", [
    ("to clean up the blood.- Source:-Al Jazeera and news agencies", "Source: Al Jazeera and news agencies", "to clean up the blood."),
    ("called for the president to resign. cmb/rc (AFP, AP)", "cmb/rc (AFP, AP)", "called for the president to resign."),
    ("with 10 or more beds and in tourist campsites isi/at/ec (dpa)", "isi/at/ec (dpa)", "with 10 or more beds and in tourist campsites"),
    ('helping to fund them," says Yu. cecily.liu@mail.chinadailyuk.com (China Daily European Weekly 01/06/2017 page30)',
     "cecily.liu@mail.chinadailyuk.com", 'helping to fund them," says Yu.'),
])
def test_trailing_credits(text, credit, left):
    out, _, credits, _ = extract_credits(text)
    assert credit in credits
    assert out == left


def test_extract_fields_combines_everything():
    r = extract_fields("MOSCOW, March 19. /TASS/. The Day of Crimea is special, he said. (Reporting by Kate Kelland; Editing by Kevin Liffey)")
    assert r.dateline == "MOSCOW"
    assert r.text == "The Day of Crimea is special, he said."
    assert r.credits == ["(Reporting by Kate Kelland; Editing by Kevin Liffey)"]
