"""The aggregator-page parser (inkl captures).

Layout of a capture (see ``data/raw/inkl/`` for a real one)::

    Get all your news in one place.        ┐
    100’s of premium titles.               │ header (boilerplate)
    One app.                               │
    Start reading                          ┘
    The Guardian - UK                      ┐ source, twice
    The Guardian - UK                      ┘
    World                                  section (optional)
    Amy Hawkins                            author line (optional)

    Nato appears to shelve plans ...       title

    Japan's prime minister, ...            lead photo: alt text (optional) ...
    Japan's prime minister, ... Photograph: Ludovic Marin/AFP/Getty   ... caption and credit

    Nato appears to have shelved ...       body (see :mod:`newsscope.parsing.body`)

    Sign up to read this article           ┐ footer: the sign-up wall (paywalled) and
    ...                                    ┘ other aggregator chrome (boilerplate)

Captures may be cut anywhere (mid-sentence, inside the header or the footer) and some have no
header at all: the body starts at once, paragraphs separated by single newlines. Those are
recognised by their footer; without header or footer a file goes to the plain-text fallback.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from newsscope.parsing.authors import classify_meta_line, split_authors
from newsscope.parsing.body import parse_body
from newsscope.parsing.boilerplate import (
    HEADER_LINES,
    is_footer_line,
    is_header_line,
    is_truncated_footer,
    is_wall_line,
    line_key,
)

__all__ = ["Fields", "find_header", "find_footer", "parse_inkl"]

_SIGN_UP = "sign up to read this article"
_TERMINAL = tuple(".!?\"'”’)]…:;*")


@dataclass
class Fields:
    """The fields a parser extracts from a page (before typing into the article table)."""

    source: str | None = None
    section: str | None = None
    authors: list[str] = field(default_factory=list)
    title: str = ""
    captions: list[str] = field(default_factory=list)
    image_credits: list[str] = field(default_factory=list)
    text: str = ""
    paywalled: bool = False
    warnings: list[str] = field(default_factory=list)


def find_header(lines: list[str]) -> tuple[int, int] | None:
    """Return ``(start, end)`` of the four-line header at the top of a page, or None.

    At least two header lines in a row count, or one of the two distinctive first lines (a
    capture may lose lines); leading blank lines are skipped.
    """
    i, n = 0, len(lines)
    while i < n and not lines[i]:
        i += 1
    start = i
    while i < n and is_header_line(lines[i]):
        i += 1
    count = i - start
    if count >= 2 or (count == 1 and line_key(lines[start]) in HEADER_LINES[:2]):
        return start, i
    return None


def find_footer(lines: list[str], roles: list[str | None], floor: int = 0) -> tuple[int, bool, list[str]]:
    """Find the footer at the end of a page and mark its lines.

    Returns
    -------
    start : int
        Index of the first footer line (``len(lines)`` when there is no footer); trailing blank
        lines before it are not part of the content either.
    paywalled : bool
        Whether the footer contains the sign-up wall.
    warnings : list of str
    """
    n = len(lines)
    warnings: list[str] = []
    j = n
    while j > floor and not lines[j - 1]:
        j -= 1
    k = j
    cut_inside = False
    if k > floor and is_truncated_footer(lines[k - 1], min_chars=4):
        p = k - 2
        while p >= floor and not lines[p]:
            p -= 1
        prev_footer = p >= floor and is_footer_line(lines[p])
        if prev_footer or (_SIGN_UP.startswith(line_key(lines[k - 1])) and p < k - 2):
            k -= 1
            cut_inside = True
    has_sign_up = False
    while k > floor:
        line = lines[k - 1]
        if line:
            if not is_footer_line(line):
                break
            if not has_sign_up and _is_sign_up(line):
                has_sign_up = True
        k -= 1
    while k < j and not lines[k]:
        k += 1
    # Everything after a complete "Sign up to read this article" is behind the wall.
    start = k
    if not has_sign_up:
        for i in range(k - 1, max(floor, k - 60) - 1, -1):
            if _is_sign_up(lines[i]):
                unknown = [x for x in range(i, k) if lines[x] and not is_footer_line(lines[x])]
                quoted = "; ".join(repr(lines[x][:100]) for x in unknown[:5])
                warnings.append(f"lines {unknown[0] + 1}-{unknown[-1] + 1}: {len(unknown)} unrecognised line(s) after the sign-up wall left out: {quoted}")
                start = i
                break
    paywalled = False
    for i in range(start, n):
        if lines[i]:
            roles[i] = "footer"
            if is_wall_line(lines[i]):
                paywalled = True
        else:
            roles[i] = "blank"
    if cut_inside:
        last = j - 1
        paywalled = paywalled or _SIGN_UP.startswith(line_key(lines[last]))
        warnings.append(f"line {last + 1}: capture ends inside the footer")
    return (start if start < j else n), paywalled, warnings


def _ends_mid_sentence(text: str) -> bool:
    """True when the text ends inside a sentence of eight or more words (a cut capture).

    Short trailing fragments (``Learn more``, ``Source: Al Jazeera``) are common in complete
    articles and are not taken for a cut.
    """
    if text.endswith(_TERMINAL):
        return False
    tail = text[-400:]
    last_stop = max(tail.rfind(c) for c in ".!?…\n")
    return len(tail[last_stop + 1:].split()) >= 8


def _is_sign_up(line: str) -> bool:
    return line == "Sign up to read this article" or (line[:7].lower() == "sign up" and line_key(line) == _SIGN_UP)


def _mark_blank(lines: list[str], roles: list[str | None], i: int, end: int) -> int:
    while i < end and not lines[i]:
        roles[i] = "blank"
        i += 1
    return i


def _parse_meta(lines: list[str], roles: list[str | None], start: int, end: int, out: Fields) -> int:
    """Parse source, section and author lines from ``start``; return the index after them."""
    i = _mark_blank(lines, roles, start, end)
    meta: list[int] = []
    while i < end and lines[i]:
        meta.append(i)
        i += 1
    if not meta:
        return i
    # Lines running on without a blank line: meta ends at the first line that is neither
    # the second source line nor a section/author line (at most four lines).
    if len(meta) > 4:
        keep = 2
        while keep < 4 and classify_meta_line(lines[meta[keep]]) is not None:
            keep += 1
        i = meta[keep]
        meta = meta[:keep]
    first = lines[meta[0]]
    rest = meta[1:]
    if len(meta) >= 2 and line_key(lines[meta[1]]) == line_key(first):
        out.source = first
        roles[meta[0]] = roles[meta[1]] = "source"
        rest = meta[2:]
    elif meta[-1] == end - 1 and (len(meta) == 1 or (len(meta) == 2 and first.startswith(lines[meta[1]]))):
        out.source = first
        roles[meta[0]] = "source"
        if len(meta) == 2:
            roles[meta[1]] = "source"
        out.warnings.append(f"line {meta[0] + 1}: source line not repeated (capture cut in the header)")
        rest = []
    else:
        roles[meta[0]] = "unplaced"
        out.warnings.append(f"line {meta[0] + 1}: expected the source line twice after the header; {first!r} left out")
    kinds = [classify_meta_line(lines[x]) for x in rest]
    for pos, (x, kind) in enumerate(zip(rest, kinds)):
        line = lines[x]
        if pos == 0 and kind == "section":
            out.section = line
            roles[x] = "section"
        elif pos == 0 and kind is None and len(rest) >= 2 and kinds[1] == "author" and _short_label(line):
            out.section = line  # the section slot, by position: an author line follows
            roles[x] = "section"
        elif kind == "author":
            roles[x] = "authors"
            people, unknown = split_authors(line)
            for p in people:
                if p not in out.authors:
                    out.authors.append(p)
            if not people:
                out.warnings.append(f"line {x + 1}: byline names no person: {line!r}")
            elif unknown:
                out.warnings.append(f"line {x + 1}: author line part(s) not recognised as names, left out: {'; '.join(map(repr, unknown))}")
        else:
            roles[x] = "unplaced"
            what = "section or author line" if pos == 0 else "author line"
            out.warnings.append(f"line {x + 1}: not recognised as a {what}; left out: {line!r}")
    return i


def _short_label(line: str) -> bool:
    words = line.split()
    return 1 <= len(words) <= 4 and len(line) <= 40 and line[:1].isupper() and not any(c in line for c in ",;:!?()") and not line.endswith(".")


def parse_inkl(lines: list[str], roles: list[str | None], header: tuple[int, int] | None) -> Fields:
    """Parse an aggregator page whose header (or footer, for header-less captures) was found.

    Parameters
    ----------
    lines : list of str
        Whitespace-collapsed lines of the page.
    roles : list
        One role per line, filled in.
    header : tuple of int or None
        The header span from :func:`find_header`; None for a header-less capture.

    Returns
    -------
    Fields
    """
    out = Fields()
    floor = header[1] if header else 0
    end, out.paywalled, footer_warnings = find_footer(lines, roles, floor)
    if header:
        for i in range(header[0]):
            roles[i] = "blank"
        for i in range(*header):
            roles[i] = "header"
        i = _parse_meta(lines, roles, header[1], end, out)
        t = _mark_blank(lines, roles, i, end)
        if t < end:
            out.title = lines[t]
            roles[t] = "title"
            if t + 1 < end and lines[t + 1]:
                out.warnings.append(f"line {t + 2}: no blank line after the title")
            body = parse_body(lines, roles, t + 1, end, single_newline=False, lead=True)
        else:
            body = parse_body(lines, roles, t, end, single_newline=False, lead=False)
    else:
        first = _mark_blank(lines, roles, 0, end)
        last = end
        while last > first and not lines[last - 1]:
            last -= 1
        single = not any(not lines[i] for i in range(first, last))
        out.warnings.append("no header (header-less capture): title, source, section and authors unknown")
        body = parse_body(lines, roles, 0, end, single_newline=single, lead=False)
    out.captions, out.image_credits = body.captions, body.credits
    out.text = "\n\n".join(body.paragraphs)
    out.warnings.extend(body.warnings)
    out.warnings.extend(footer_warnings)
    if header and not out.title:
        out.warnings.append("no title (capture ends in the header)")
    elif not out.text:
        out.warnings.append("no body text (capture cut after the title?)" if header else "no body text")
    elif not out.paywalled and _ends_mid_sentence(out.text):
        out.warnings.append("body ends mid-sentence and no sign-up wall follows (capture may be cut)")
    return out
