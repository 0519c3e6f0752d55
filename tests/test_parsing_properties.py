"""Property-based tests: the parser never raises, and every line lands in exactly one field."""

from __future__ import annotations

import re
from collections import Counter

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from newsscope.parsing import decode_bytes, parse_text
from newsscope.parsing.body import repeats
from newsscope.parsing.boilerplate import split_credit

SETTINGS = settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])

HEADER = ["Get all your news in one place.", "100’s of premium titles.", "One app.", "Start reading"]
FOOTER = ["Sign up to read this article", "Read news from 100’s of titles, curated specifically for you.",
          "Already a member? Sign in here", "Related Stories", "Top stories on inkl right now", "Our Picks",
          "Fourteen days free", "Download the app", "One app. One membership.", "100+ trusted global sources."]
PAGE_LINES = HEADER + FOOTER + [
    "", "", "", "The Guardian - UK", "World", "US news", "Amy Hawkins", "Tom Ambler (now) and Rachel Hale (earlier)",
    "Jane Doe, PhD Candidate in Anthropology, UCL", "Guardian staff and agencies", "Okafor",
    "A view of the harbour. Photograph: Jane Mitchell/Getty", "Photograph: Reuters", "A view of the harbour",
    "  • A bullet point.", "Updated at 12.30 BST", "Updated", "Summary", "after newsletter promotion",
    "Sign up to re", "<html>", "Illustration: Guardian Design", "He said: this is it.",
]
any_line = st.one_of(st.sampled_from(PAGE_LINES), st.text(max_size=60).map(lambda s: s.replace("\n", " ")))


@st.composite
def page_like(draw) -> str:
    lines = draw(st.lists(any_line, max_size=40))
    if draw(st.booleans()):
        lines = HEADER + lines
    return draw(st.sampled_from(["\n", "\r\n", "\n\n"])).join(lines)


def check_every_line_lands_once(text: str) -> None:
    parsed = parse_text(text, "p.txt")
    rec, lines, roles = parsed.record, parsed.lines, parsed.roles
    assert len(roles) == len(lines)
    assert all(r is not None for r in roles)
    if parsed.kind == "rejected":
        return
    # body: the text is exactly the body lines, in order, nothing more
    body = [line for line, role in zip(lines, roles) if role == "body"]
    assert [x for x in rec["text"].split("\n") if x] == body
    # title, source, section: one line each (source may be the repeated line)
    titles = [line for line, role in zip(lines, roles) if role == "title"]
    assert titles == ([rec["title"]] if rec["title"] else [])
    for field in ("source", "section"):
        found = {line for line, role in zip(lines, roles) if role == field}
        assert (rec[field] is None and not found) or (rec[field] in found and len(found) <= 2)
    # captions and credits: exactly the contributions of caption lines, nothing duplicated
    captions, credits = Counter(), Counter()
    for i, (line, role) in enumerate(zip(lines, roles)):
        if role == "caption":
            captions[line] += 1
        elif role == "caption+credit":
            cap, cred = split_credit(line)
            if cap:
                captions[cap] += 1
            credits[cred] += 1
        elif role == "credit":
            credits[split_credit(line)[1]] += 1
        elif role == "alt":
            nxt = next(lines[j] for j in range(i + 1, len(lines)) if roles[j] in ("caption", "caption+credit"))
            assert repeats(line, (split_credit(nxt) or (nxt, ""))[0])
        elif role == "unplaced":
            assert any(repr(line) in w for w in rec["warnings"])
    assert Counter(rec["captions"]) == captions
    assert Counter(rec["image_credits"]) == credits
    # authors: every person comes from an author line
    author_tokens = [set(re.findall(r"[\w'’.-]+", line)) for line, role in zip(lines, roles) if role == "authors"]
    for person in rec["authors"]:
        assert any(set(person.split()) <= toks for toks in author_tokens)


@SETTINGS
@given(st.text(max_size=3000))
def test_never_raises_on_arbitrary_text(text: str) -> None:
    check_every_line_lands_once(text)


@SETTINGS
@given(page_like())
def test_every_line_of_page_like_text_lands_in_exactly_one_field(text: str) -> None:
    check_every_line_lands_once(text)


@SETTINGS
@given(st.binary(max_size=4096))
def test_never_raises_on_arbitrary_bytes(data: bytes) -> None:
    page = decode_bytes(data)
    assert page.rejected == (page.text is None)
    if not page.rejected:
        assert page.reason is None
        check_every_line_lands_once(page.text)
    else:
        assert page.reason in {"empty", "binary", "undecodable"} and page.detail


@SETTINGS
@given(page_like(), st.sampled_from(["utf-8", "utf-8-sig", "utf-16", "cp1252"]))
def test_never_raises_on_page_like_bytes(text: str, encoding: str) -> None:
    page = decode_bytes(text.encode(encoding, errors="replace"))
    if not page.rejected:
        check_every_line_lands_once(page.text)


# ----------------------------------------------------------------------- pages built from known parts

FIRST = ["Amira", "Tomás", "Léonie", "Kwame", "Freya", "Siobhán", "Ravi", "Chloé", "Jonah"]
LAST = ["Okafor", "Lindqvist", "Castañeda", "Haddad", "Novak", "Ó Ceallaigh", "Mbeki-Stone", "de Souza", "Ferreira"]
SECTIONS = ["World", "Politics", "US news", "Life and style", "Environment", "Australia news", "Sport"]
word = st.text(alphabet="abcdefghijklmnopqrstuvwxyzéü", min_size=1, max_size=10)
sentence = st.lists(word, min_size=3, max_size=25).map(lambda ws: (ws[0].capitalize() + " " + " ".join(ws[1:]) + "."))
paragraph = st.lists(sentence, min_size=1, max_size=4).map(" ".join)
name = st.tuples(st.sampled_from(FIRST), st.sampled_from(LAST)).map(" ".join)


@st.composite
def built_page(draw) -> tuple[str, dict]:
    source = draw(st.sampled_from(["The Guardian - UK", "The Conversation", "Texas Observer"]))
    section = draw(st.none() | st.sampled_from(SECTIONS))
    authors = draw(st.lists(name, max_size=4, unique=True))
    title = draw(sentence).rstrip(".")
    paras = draw(st.lists(paragraph, min_size=1, max_size=8))
    photo = draw(st.none() | st.tuples(sentence, st.sampled_from(["Reuters", "Jane Mitchell/AFP/Getty Images", "AP"])))
    paywalled = draw(st.booleans())
    meta = [source, source] + ([section] if section else [])
    if authors:
        meta.append(authors[0] if len(authors) == 1 else ", ".join(authors[:-1]) + " and " + authors[-1])
    blocks = ["\n".join(HEADER + meta), title]
    if photo:
        alt = " ".join(photo[0].split()[:3])
        blocks.append(f"{alt}\n{photo[0]} Photograph: {photo[1]}")
    blocks += paras
    page = "\n\n".join(blocks) + ("\n\n" + "\n".join(FOOTER) if paywalled else "\n")
    expected = dict(source=source, section=section, authors=authors, title=title, text="\n\n".join(paras),
                    captions=[photo[0]] if photo else [], image_credits=[photo[1]] if photo else [], paywalled=paywalled)
    return page, expected


@SETTINGS
@given(built_page())
def test_pages_built_from_known_parts_parse_back_exactly(built: tuple[str, dict]) -> None:
    page, expected = built
    rec = parse_text(page, "p.txt").record
    for field, value in expected.items():
        assert rec[field] == value, field
