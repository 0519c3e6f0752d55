"""The aggregator-page parser on the seed (golden) and on one invented fixture page per variant."""

from __future__ import annotations

from pathlib import Path

import pytest

from newsscope.parsing import explain_page, parse_page, parse_text

ROOT = Path(__file__).resolve().parents[1]
PAGES = Path(__file__).resolve().parent / "fixtures" / "pages"
SEED = ROOT / "data" / "raw" / "inkl" / "000_10d6f3262a74e780.txt"

BOILERPLATE = {
    "Get all your news in one place.", "100’s of premium titles.", "One app.", "Start reading",
    "Sign up to read this article", "Read news from 100’s of titles, curated specifically for you.",
    "Already a member? Sign in here", "Related Stories", "Top stories on inkl right now", "Our Picks",
    "Fourteen days free", "Download the app", "One app. One membership.", "100+ trusted global sources.",
}


def read(name: str) -> str:
    return (PAGES / f"{name}.txt").read_text(encoding="utf-8")


# --------------------------------------------------------------------------- the seed


def test_seed_golden() -> None:
    text = SEED.read_text(encoding="utf-8")
    rec = parse_page(text, "000_10d6f3262a74e780.txt")
    assert rec["source"] == "The Guardian - UK"
    assert rec["section"] == "World"
    assert rec["authors"] == ["Amy Hawkins"]
    assert rec["title"] == "Nato appears to shelve plans to open Japan liaison office in Tokyo"
    assert rec["image_credits"] == ["Ludovic Marin/AFP/Getty"]
    assert rec["captions"] == [
        "Japan's prime minister, Fumio Kishida, at the start of a meeting with Nato’s Indo-Pacific partners "
        "during the summit in Vilnius."
    ]
    assert rec["text"].startswith("Nato appears to have shelved plans")
    assert rec["text"].endswith("reach a settlement in Ukraine.")
    assert rec["paywalled"] is True
    assert rec["warnings"] == []
    assert rec["url"] is None and rec["published"] is None
    paragraphs = rec["text"].split("\n\n")
    assert len(paragraphs) == 11
    body = rec["text"]
    for line in BOILERPLATE | {"The Guardian - UK", "World", "Amy Hawkins", rec["title"]}:
        assert line not in paragraphs, line
    assert "Photograph" not in body and "Kishida, at Nato summit" not in body


def test_seed_line_roles() -> None:
    roles = explain_page(SEED.read_text(encoding="utf-8"))
    nonblank = roles[roles["role"] != "blank"]
    assert nonblank["role"].tolist()[:10] == ["header"] * 4 + ["source", "source", "section", "authors", "title", "alt"]
    assert nonblank["role"].tolist()[10] == "caption+credit"
    assert (nonblank["role"] == "footer").sum() == 10
    assert (nonblank["role"] == "body").sum() == 11


def test_seed_doc_id_is_stable() -> None:
    text = SEED.read_text(encoding="utf-8")
    assert parse_page(text, "a.txt")["doc_id"] == parse_page(text, "a.txt")["doc_id"]
    assert parse_page(text, "a.txt")["doc_id"] != parse_page(text, "b.txt")["doc_id"]


# --------------------------------------------------------------------------- one fixture per variant

EXPECTED = {
    "standard": dict(source="The Guardian - AU", section="Environment", authors=["Mara Lindgren"],
                     title="Drought-hit farmers in Riverina turn to solar pumps as water costs soar",
                     captions=["A solar array beside an irrigation channel near Griffith, New South Wales, where growers are cutting diesel use."],
                     image_credits=["Jane Mitchell/The Guardian"], paywalled=True, n_paragraphs=4, warnings=[]),
    "no_section": dict(source="Texas Observer", section=None, authors=["María Delgado"],
                       captions=["Traffic queues at the Bridge of the Americas before dawn on a weekday."],
                       image_credits=["Ruben Ortega/Texas Observer"], n_paragraphs=2, warnings=[]),
    "no_author": dict(section="Politics", authors=[], captions=[], image_credits=[], n_paragraphs=2, warnings=[]),
    "no_meta": dict(source="The Conversation", section=None, authors=[],
                    title="Why do cats knead blankets? What scientists know so far", warnings=[]),
    "live_blog": dict(section="World", authors=["Tom Ashby", "Priya Raman", "Léonie Château-Fort", "Yusuf Adeyemi"],
                      n_paragraphs=6, warnings=[]),
    "multi_author": dict(section="US news", authors=["Nadia Farouk", "Owen Pritchard", "Dana Okoro"], warnings=[]),
    "descriptor_author": dict(source="The Conversation", section="Science", authors=["Hana Kowalski"], warnings=[]),
    "author_in_place": dict(authors=["Daniel Brandt", "Sean Whitaker"], warnings=[]),
    "with_writers": dict(section="Sport", authors=["Rafael Okonkwo"], warnings=[]),
    "alt_differs": dict(captions=["The Bank of England building on Threadneedle Street",
                                  "The governor speaks at a press conference in London on Thursday."],
                        image_credits=["Yu Mori/PA"], n_paragraphs=2, warnings=[]),
    "credit_own_line": dict(captions=["Customers browse the racks at the shop in Leeds on its anniversary weekend."],
                            image_credits=["Chris Thornton/The Guardian"], n_paragraphs=2, warnings=[]),
    "no_image": dict(captions=[], image_credits=[], n_paragraphs=2, warnings=[]),
    "body_gallery": dict(captions=["A beaver dam on the river Otter holds back a new pond.",
                                   "A kingfisher on a branch above the pond at dawn.",
                                   "Volunteers survey the wetland created by the dams in early spring."],
                         image_credits=["Nick Upshaw/Alamy", "Ann Sharp/Getty Images", "Mark Passfield/Apex"],
                         n_paragraphs=3, warnings=[]),
    "newsletter": dict(section="Australia news", n_paragraphs=2, warnings=[]),
    "full_text": dict(section="Opinion", paywalled=False, n_paragraphs=2, warnings=[]),
    "agency_byline": dict(section="World", authors=[], warnings=["line 8: byline names no person: 'Guardian staff and agencies'"]),
    "accents_spacing": dict(authors=["Siobhán Ní Bhriain", "José María Álvarez", "Chloé Gélinas-Côté"], warnings=[]),
    "first_second": dict(authors=["Andrew Swallow", "Rachel Hale"], warnings=[]),
    "earlier_first": dict(source="The Guardian - US", authors=["Martin Fairley", "Helen Livesey"], warnings=[]),
    "author_only_place_section": dict(section="Northern Ireland", authors=[], warnings=[]),
    "cut_mid_sentence": dict(paywalled=False, n_paragraphs=2,
                             warnings=["body ends mid-sentence and no sign-up wall follows (capture may be cut)"]),
    "cut_in_footer": dict(paywalled=True, n_paragraphs=1, warnings=["line 15: capture ends inside the footer"]),
    "headerless": dict(source=None, section=None, authors=[], title="", paywalled=True, n_paragraphs=3,
                       warnings=["no header (header-less capture): title, source, section and authors unknown"]),
    "plain": dict(source=None, title="Minutes of the parish council meeting", paywalled=False, n_paragraphs=2,
                  warnings=["not an aggregator page (no header or footer): parsed as plain text, first line taken as title"]),
}


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_fixture_page(name: str) -> None:
    rec = parse_page(read(name), f"{name}.txt")
    expected = dict(EXPECTED[name])
    n_paragraphs = expected.pop("n_paragraphs", None)
    for field, value in expected.items():
        assert rec[field] == value, field
    if n_paragraphs is not None:
        assert len(rec["text"].split("\n\n")) == n_paragraphs
    for para in rec["text"].split("\n\n"):
        for line in para.split("\n"):
            assert line not in BOILERPLATE
            assert "Photograph:" not in line and "Photo:" not in line


def test_every_fixture_has_expectations() -> None:
    names = {p.stem for p in PAGES.glob("*.txt")}
    assert names - {"cut_in_header"} == set(EXPECTED)


def test_live_blog_keeps_headings_and_bullets_drops_updated() -> None:
    text = parse_page(read("live_blog"), "x")["text"]
    paras = text.split("\n\n")
    assert paras[0] == "Summary"
    assert paras[1].split("\n") == [
        "• Dock workers walked out at six ports after overnight talks ended without agreement.",
        "• The transport minister said the government would not intervene.",
        "• Shipping firms warned of delays to fresh food deliveries.",
    ]
    assert "Closing summary" in paras
    assert not any(p.startswith("Updated") for p in paras)


def test_newsletter_promotion_is_not_body() -> None:
    text = parse_page(read("newsletter"), "x")["text"]
    assert "newsletter promotion" not in text and "Privacy Notice" not in text


def test_gallery_lines_leave_body_in_order() -> None:
    paras = parse_page(read("body_gallery"), "x")["text"].split("\n\n")
    assert paras[0].startswith("Beavers have changed")
    assert paras[1].startswith("Ecologists counted")
    assert paras[2].startswith("Landowners downstream")


def test_headerless_paragraphs_are_single_lines() -> None:
    rec = parse_page(read("headerless"), "x")
    assert rec["text"].split("\n\n")[0] == "A court in The Hague has ordered the release of documents about the sale of military parts abroad."


def test_capture_cut_in_header_is_rejected_as_empty() -> None:
    parsed = parse_text(read("cut_in_header"), "x")
    assert parsed.kind == "rejected" and parsed.reason == "empty"
    assert "no title or body" in parsed.detail


def test_section_line_that_is_a_name_is_never_a_section() -> None:
    page = read("no_meta").replace("The Conversation\nThe Conversation\n", "The Conversation\nThe Conversation\nBen Okafor\n")
    rec = parse_page(page, "x")
    assert rec["section"] is None and rec["authors"] == ["Ben Okafor"]


def test_unclear_single_header_line_is_null_with_warning() -> None:
    page = read("no_meta").replace("The Conversation\nThe Conversation\n", "The Conversation\nThe Conversation\nOkafor\n")
    rec = parse_page(page, "x")
    assert rec["section"] is None and rec["authors"] == []
    assert rec["warnings"] == ["line 7: not recognised as a section or author line; left out: 'Okafor'"]


def test_unknown_section_word_before_author_line_is_the_section() -> None:
    page = read("standard").replace("Environment\n", "Inequality\n")
    rec = parse_page(page, "x")
    assert rec["section"] == "Inequality" and rec["authors"] == ["Mara Lindgren"]


def test_source_not_repeated_is_null_with_warning() -> None:
    page = read("standard").replace("The Guardian - AU\nThe Guardian - AU\n", "The Guardian - AU\n")
    rec = parse_page(page, "x")
    assert rec["source"] is None
    assert any("expected the source line twice" in w for w in rec["warnings"])
    assert rec["title"].startswith("Drought-hit farmers")


def test_lead_lines_without_credit_or_repetition_stay_in_body_with_warning() -> None:
    page = read("no_image").replace(
        "An employment tribunal", "Riders gather outside the hearing\nA protest before the ruling was read out\n\nAn employment tribunal")
    rec = parse_page(page, "x")
    assert rec["captions"] == []
    assert rec["text"].startswith("Riders gather outside the hearing\nA protest before")
    assert any("may be a photo's alt text and caption" in w for w in rec["warnings"])


def test_lead_photo_without_credit_when_caption_repeats_alt() -> None:
    page = read("no_image").replace(
        "An employment tribunal", "Riders outside the tribunal\nRiders outside the tribunal in central London on Monday.\n\nAn employment tribunal")
    rec = parse_page(page, "x")
    assert rec["captions"] == ["Riders outside the tribunal in central London on Monday."]
    assert rec["image_credits"] == [] and rec["text"].startswith("An employment tribunal")


def test_text_after_sign_up_wall_is_footer() -> None:
    page = read("standard") + "\nSome related headline about something else\nAnother headline"
    rec = parse_page(page, "x")
    assert rec["paywalled"] is True
    assert "related headline" not in rec["text"]
    assert any("unrecognised line(s) after the sign-up wall" in w for w in rec["warnings"])


def test_html_is_not_a_page() -> None:
    parsed = parse_text("<!DOCTYPE html>\n<html><body><p>Hi</p></body></html>", "x.txt")
    assert parsed.kind == "rejected" and parsed.reason == "not a page"


def test_seed_cut_anywhere() -> None:
    """A capture cut at any character: no crash, no wrong field, the body a prefix of the full body."""
    text = SEED.read_text(encoding="utf-8")
    full = parse_page(text, "x")
    body_start = text.index("Nato appears to have shelved")
    wall = text.index("Sign up to read this article")
    for cut in range(0, len(text), 3):
        parsed = parse_text(text[:cut], "x")
        rec = parsed.record
        if parsed.kind == "rejected":
            assert parsed.reason == "empty" and cut < text.index("Nato appears to shelve") + 1
            continue
        assert rec["source"] == "The Guardian - UK"
        assert rec["section"] == "World" and rec["authors"] == ["Amy Hawkins"]
        assert full["title"].startswith(rec["title"])
        if wall < cut < wall + 4:  # "Sig": too short to tell from a cut paragraph
            assert rec["text"] == full["text"] + "\n\n" + text[wall:cut] and not rec["paywalled"]
            continue
        if cut > body_start:
            assert rec["title"] == full["title"]
            assert rec["captions"] == full["captions"] and rec["image_credits"] == full["image_credits"]
            assert full["text"].startswith(rec["text"])
        assert rec["paywalled"] == (cut >= wall + 4)
        if cut >= wall:
            assert rec["text"] == full["text"]
