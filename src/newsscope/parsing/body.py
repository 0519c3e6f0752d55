"""Bodies of aggregator pages: paragraphs, photos (alt text, caption, credit) and galleries.

A body is a run of lines. In the usual layout paragraphs are separated by blank lines and a
*group* of consecutive non-blank lines is one paragraph, a bullet list, or photos: an alt line
followed by its caption (``... Photograph: Agency/Agency``), the credit sometimes on a line of
its own, galleries as consecutive pairs. Header-less captures separate paragraphs by single
newlines; there every line is a paragraph and a line is taken for an alt text only when the
caption after it repeats it.

Each line gets exactly one role (see :data:`ROLES` in :mod:`newsscope.parsing.page`):
``body``, ``alt`` (repeated by its caption: the photo counts once), ``caption``,
``caption+credit``, ``credit`` or ``boilerplate`` (``Updated`` stamps, newsletter promotions).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from newsscope.parsing.boilerplate import is_bullet, is_inline_boilerplate, split_credit

__all__ = ["Body", "parse_body", "repeats"]

_WORD_RE = re.compile(r"\w+")


@dataclass
class Body:
    """What a body region yields: paragraphs, captions, credits and warnings."""

    paragraphs: list[str] = field(default_factory=list)
    captions: list[str] = field(default_factory=list)
    credits: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)


def repeats(alt: str, caption: str) -> bool:
    """True when ``caption`` repeats ``alt`` (same photo described twice).

    The alt text is contained in the caption, or at least 60% of its (3 or more) distinct
    words occur in the caption.

    Examples
    --------
    >>> repeats("Kishida at Nato summit in Vilnius", "Kishida at the start of the Nato summit in Vilnius.")
    True
    """
    a, c = alt.lower().rstrip(".,;: "), caption.lower()
    if not a:
        return False
    if c.startswith(a) or (len(a) >= 10 and a in c):
        return True
    words = set(_WORD_RE.findall(a))
    if len(words) < 3:
        return False
    return len(words & set(_WORD_RE.findall(c))) / len(words) >= 0.6


@dataclass
class _Photo:
    alt: int | None
    caption: int | None
    caption_text: str
    credit: str | None = None
    credit_line: int | None = None


def _emit_photo(photo: _Photo, lines: list[str], roles: list[str | None], out: Body) -> None:
    if photo.alt is not None:
        alt_text = lines[photo.alt]
        if photo.caption is not None and repeats(alt_text, photo.caption_text):
            roles[photo.alt] = "alt"
        else:
            roles[photo.alt] = "caption"
            out.captions.append(alt_text)
    if photo.caption is not None:
        if photo.caption_text:
            out.captions.append(photo.caption_text)
        roles[photo.caption] = "caption+credit" if photo.credit_line == photo.caption else "caption"
    if photo.credit is not None:
        out.credits.append(photo.credit)
        if photo.credit_line is not None and photo.credit_line != photo.caption:
            roles[photo.credit_line] = "credit"


def _walk(group: list[int], lines: list[str], roles: list[str | None], strict: bool) -> tuple[list[tuple[str, object]], bool]:
    """Split a group into body lines and photos; return the items in order and whether any photo."""
    items: list[tuple[str, object]] = []
    pending: list[int] = []
    last_photo: _Photo | None = None

    def flush() -> None:
        items.extend(("body", i) for i in pending)
        pending.clear()

    for idx in group:
        line = lines[idx]
        found = None if is_bullet(line) else split_credit(line)
        if found is None:
            if is_bullet(line):
                flush()
                items.append(("body", idx))
                last_photo = None
            else:
                pending.append(idx)
            continue
        caption, credit = found
        if not caption:  # a credit on its own line
            if pending:
                cap = pending.pop()
                alt = pending.pop() if pending and (not strict or repeats(lines[pending[-1]], lines[cap])) else None
                photo = _Photo(alt, cap, lines[cap], credit, idx)
            elif last_photo is not None and last_photo.credit is None:
                last_photo.credit, last_photo.credit_line = credit, idx
                continue
            else:
                photo = _Photo(None, None, "", credit, idx)
        else:
            alt = pending.pop() if pending and (not strict or repeats(lines[pending[-1]], caption)) else None
            photo = _Photo(alt, idx, caption, credit, idx)
        flush()
        items.append(("photo", photo))
        last_photo = photo
    has_photo = any(kind == "photo" for kind, _ in items)
    if not strict and len(pending) == 2 and (has_photo or repeats(lines[pending[0]], lines[pending[1]])):
        items.append(("photo", _Photo(pending[0], pending[1], lines[pending[1]])))
        pending.clear()
    flush()
    return items, has_photo


def _append_paragraph(out: Body, chunk: list[int], lines: list[str], roles: list[str | None]) -> None:
    for i in chunk:
        roles[i] = "body"
    out.paragraphs.append("\n".join(lines[i] for i in chunk))


def _render(items: list[tuple[str, object]], lines: list[str], roles: list[str | None], out: Body, one_per_line: bool) -> None:
    chunk: list[int] = []
    for kind, value in items:
        if kind == "body":
            if one_per_line:
                _append_paragraph(out, [value], lines, roles)  # type: ignore[list-item]
            else:
                chunk.append(value)  # type: ignore[arg-type]
        else:
            if chunk:
                _append_paragraph(out, chunk, lines, roles)
                chunk = []
            _emit_photo(value, lines, roles, out)  # type: ignore[arg-type]
    if chunk:
        _append_paragraph(out, chunk, lines, roles)


def _groups(lines: list[str], roles: list[str | None], start: int, end: int) -> list[list[int]]:
    groups: list[list[int]] = []
    cur: list[int] = []
    for i in range(start, end):
        line = lines[i]
        if not line:
            roles[i] = "blank"
        elif is_inline_boilerplate(line):
            roles[i] = "boilerplate"
        else:
            cur.append(i)
            continue
        if cur:
            groups.append(cur)
            cur = []
    if cur:
        groups.append(cur)
    return groups


def parse_body(lines: list[str], roles: list[str | None], start: int, end: int, *, single_newline: bool, lead: bool) -> Body:
    """Parse the body region ``lines[start:end]``, setting ``roles`` for each of its lines.

    Parameters
    ----------
    lines : list of str
        All lines of the page, whitespace-collapsed.
    roles : list
        Role of each line; filled in for the region.
    start, end : int
        The region (end exclusive).
    single_newline : bool
        Paragraphs are separated by single newlines (header-less captures): every line is a
        paragraph and alt texts are recognised only when their caption repeats them.
    lead : bool
        The region starts right after the title, where the lead photo usually sits.

    Returns
    -------
    Body
    """
    out = Body()
    for g, group in enumerate(_groups(lines, roles, start, end)):
        if single_newline:
            items, _ = _walk(group, lines, roles, strict=True)
            _render(items, lines, roles, out, one_per_line=True)
            continue
        n = len(group)
        if n == 1:
            line = lines[group[0]]
            has_credit = ":" in line and split_credit(line) is not None
            if not has_credit:
                roles[group[0]] = "body"
                out.paragraphs.append(line)
                continue
        else:
            has_credit = False
            for i in group:
                if ":" in lines[i] and split_credit(lines[i]) is not None:
                    has_credit = True
                    break
        if has_credit:
            items, _ = _walk(group, lines, roles, strict=False)
            leftovers = [v for k, v in items if k == "body" and not is_bullet(lines[v])]  # type: ignore[arg-type]
            if leftovers:
                out.warnings.append(f"line {leftovers[0] + 1}: next to photo lines but not recognised as alt text or caption; kept in body")
            _render(items, lines, roles, out, one_per_line=False)
        elif n == 2 and not any(is_bullet(lines[i]) for i in group) and repeats(lines[group[0]], lines[group[1]]):
            _emit_photo(_Photo(group[0], group[1], lines[group[1]]), lines, roles, out)
        else:
            if lead and g == 0 and n == 2 and not any(is_bullet(lines[i]) for i in group):
                out.warnings.append(f"lines {group[0] + 1}-{group[1] + 1}: may be a photo's alt text and caption (no credit); kept in body")
            _append_paragraph(out, group, lines, roles)
    return out
