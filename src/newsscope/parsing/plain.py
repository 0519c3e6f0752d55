"""The fallback parser for plain-text files that are not aggregator pages.

The first non-empty line is the title and the rest is the body; paragraphs are the runs of
lines between blank lines (line breaks inside a paragraph are kept, not re-flowed). Every page
parsed this way carries a warning, because the title is then an assumption, not a reading.
"""

from __future__ import annotations

from newsscope.parsing.inkl import Fields

__all__ = ["parse_plain"]

PLAIN_WARNING = "not an aggregator page (no header or footer): parsed as plain text, first line taken as title"


def parse_plain(lines: list[str], roles: list[str | None]) -> Fields:
    """Parse a plain-text page: first non-empty line as title, the rest as body.

    Parameters
    ----------
    lines : list of str
        Whitespace-collapsed lines.
    roles : list
        One role per line, filled in (``title``, ``body`` or ``blank``).

    Returns
    -------
    Fields
    """
    out = Fields(warnings=[PLAIN_WARNING])
    paragraphs: list[str] = []
    chunk: list[str] = []
    for i, line in enumerate(lines):
        if not line:
            roles[i] = "blank"
            if chunk:
                paragraphs.append("\n".join(chunk))
                chunk = []
        elif not out.title:
            out.title = line
            roles[i] = "title"
        else:
            roles[i] = "body"
            chunk.append(line)
    if chunk:
        paragraphs.append("\n".join(chunk))
    out.text = "\n\n".join(paragraphs)
    if out.title and not out.text:
        out.warnings.append("no body text: the file has a single line")
    return out
