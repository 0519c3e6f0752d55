"""The fixed lines of aggregator pages and the small line-level recognisers the parsers share.

Header lines (``Get all your news in one place.`` ...), the sign-up wall and other footer
chrome, ``Updated`` stamps and newsletter promotions are *boilerplate*: recognised, assigned
the role ``header``/``footer``/``boilerplate`` and kept out of every field. Photo credits
(``... Photograph: Agency/Agency``) are split off captions by :func:`split_credit`.

Lines are compared by :func:`line_key`: lower case, typographic apostrophes and their common
mojibake folded to ``'``, so that ``100’s``, ``100's`` and ``100â€™s`` all match.
"""

from __future__ import annotations

import re

__all__ = [
    "HEADER_LINES",
    "WALL_LINES",
    "CHROME_LINES",
    "line_key",
    "is_header_line",
    "is_footer_line",
    "is_wall_line",
    "is_truncated_footer",
    "is_inline_boilerplate",
    "is_bullet",
    "split_credit",
    "looks_like_html",
]

#: The four header lines of an aggregator capture (as keys, see :func:`line_key`).
HEADER_LINES: tuple[str, ...] = ("get all your news in one place.", "100's of premium titles.", "one app.", "start reading")
#: Footer lines of the sign-up wall: their presence means the body is a preview (paywalled).
WALL_LINES: frozenset[str] = frozenset({
    "sign up to read this article",
    "read news from 100's of titles, curated specifically for you.",
    "already a member? sign in here",
})
#: Other footer chrome of the aggregator (not a wall by itself).
CHROME_LINES: frozenset[str] = frozenset({
    "related stories", "top stories on inkl right now", "our picks", "fourteen days free", "download the app",
    "one app. one membership.", "100+ trusted global sources.",
})
_FOOTER_LINES = WALL_LINES | CHROME_LINES
_FOOTER_ORDER = ("sign up to read this article", "read news from 100's of titles, curated specifically for you.",
                 "already a member? sign in here", "related stories", "top stories on inkl right now", "our picks",
                 "fourteen days free", "download the app", "one app. one membership.", "100+ trusted global sources.")

_APOSTROPHES = str.maketrans({"\u2019": "'", "\u2018": "'", "\u02bc": "'", "`": "'", "\u00b4": "'"})

# Stamps and promotions that appear inside bodies and are page chrome, not text.
_UPDATED_RE = re.compile(r"^(?:last )?updated(?: (?:at|on) .{1,40})?$", re.IGNORECASE)
_INLINE_PREFIXES = (
    "privacy notice: newsletters may contain info about charities",
    "skip past newsletter promotion",
    "after newsletter promotion",
)

_BULLETS = ("• ", "· ", "▪ ", "● ", "◦ ", "- ", "* ", "– ", "— ", "‣ ", "•", "▪")

_CREDIT_WORDS = (
    "Photograph", "Photographs", "Photo", "Photos", "Photography", "Picture", "Pictures", "Pic", "Image", "Images",
    "Illustration", "Illustrations", "Composite", "Graphic", "Graphics", "Artwork", "Cartoon", "Collage",
    "Screenshot", "Screengrab", "Video", "Credit", "Photo credit", "Image credit", "Picture credit",
    "Photograph and video", "Photograph/video",
)
_STRONG_CREDIT_WORDS = frozenset({"photograph", "photographs", "photograph and video", "photograph/video", "illustration",
                                   "illustrations", "composite", "photo credit", "image credit", "picture credit"})
_CREDIT_LAST_WORDS = frozenset(w.replace("/", " ").split()[-1] for w in _CREDIT_WORDS) | {"Photograph/video"}
_SENTENCE_END = tuple(".!?)]\"”’'")
_CREDIT_TAIL_RE = re.compile(r"(?:^|(?<=[\s(\[]))(?:" + "|".join(sorted(map(re.escape, _CREDIT_WORDS), key=len, reverse=True)) + r")\s*$")


def line_key(line: str) -> str:
    """Return the comparison key of a line: stripped, lower case, apostrophes folded."""
    key = line.strip().lower()
    if not key.isascii():
        key = key.replace("â€™", "'").translate(_APOSTROPHES)
    return key


# Exact spellings seen on pages: a set lookup answers most lines without building a key.
_HEADER_RAW = frozenset({"Get all your news in one place.", "100’s of premium titles.", "100's of premium titles.", "One app.", "Start reading"})
_FOOTER_RAW = frozenset({"Sign up to read this article", "Read news from 100’s of titles, curated specifically for you.",
                         "Read news from 100's of titles, curated specifically for you.", "Already a member? Sign in here",
                         "Related Stories", "Top stories on inkl right now", "Our Picks", "Fourteen days free", "Download the app",
                         "One app. One membership.", "100+ trusted global sources."})
_WALL_RAW = frozenset(x for x in _FOOTER_RAW if line_key(x) in WALL_LINES)
_HEADER_FIRST = frozenset(k[0] for k in HEADER_LINES)
_FOOTER_FIRST = frozenset(k[0] for k in _FOOTER_LINES)


def is_header_line(line: str) -> bool:
    """True for one of the four header lines."""
    if line in _HEADER_RAW:
        return True
    return 0 < len(line) < 40 and line[0].lower() in _HEADER_FIRST and line_key(line) in HEADER_LINES


def is_footer_line(line: str) -> bool:
    """True for a footer line (sign-up wall or other aggregator chrome)."""
    if line in _FOOTER_RAW:
        return True
    return 0 < len(line) < 70 and line[0].lower() in _FOOTER_FIRST and line_key(line) in _FOOTER_LINES


def is_wall_line(line: str) -> bool:
    """True for a line of the sign-up wall."""
    if line in _WALL_RAW:
        return True
    return 0 < len(line) < 70 and line[0].lower() in "sra" and line_key(line) in WALL_LINES


def is_truncated_footer(line: str, min_chars: int = 6) -> bool:
    """True when ``line`` is a strict prefix (at least ``min_chars`` long) of a footer line.

    Used only for the last line of a capture that was cut inside its footer.
    """
    if len(line) >= 70:
        return False
    key = line_key(line)
    if len(key) < min_chars:
        return False
    return any(full.startswith(key) and full != key for full in _FOOTER_ORDER)


_INLINE_FIRST = frozenset("UuLlPpSsAa")


def is_inline_boilerplate(line: str) -> bool:
    """True for ``Updated`` stamps and newsletter promotions inside a body."""
    if not line or line[0] not in _INLINE_FIRST or len(line) > 300:
        return False
    if line[0] in "UuLl":
        return _UPDATED_RE.match(line) is not None
    return line[:70].lower().startswith(_INLINE_PREFIXES)


def is_bullet(line: str) -> bool:
    """True when a line starts with a bullet mark."""
    return line.startswith(_BULLETS)


def split_credit(line: str) -> tuple[str, str] | None:
    """Split a photo credit off the end of a line.

    Parameters
    ----------
    line : str
        A line, whitespace-collapsed.

    Returns
    -------
    tuple of (str, str) or None
        ``(caption, credit)`` when the line ends with ``Photograph: ...``, ``Illustration:
        ...``, ``Composite: ...`` or a similar credit (the caption may be empty for a credit on
        its own line); None when it does not.

    Examples
    --------
    >>> split_credit("Kishida in Vilnius. Photograph: Ludovic Marin/AFP/Getty")
    ('Kishida in Vilnius.', 'Ludovic Marin/AFP/Getty')
    """
    idx = line.rfind(":")
    if idx <= 0 or idx > len(line) - 3:
        return None
    before = line[max(0, idx - 30): idx]
    tail = before.rstrip()
    cut_at = max(tail.rfind(" "), tail.rfind("("), tail.rfind("["))
    if tail[cut_at + 1:] not in _CREDIT_LAST_WORDS:  # cheap test first: most colons are not credits
        return None
    m = _CREDIT_TAIL_RE.search(before)
    if m is None:
        return None
    credit = line[idx + 1:].strip()
    opened = before[: m.start()].endswith(("(", "["))
    if opened and credit.endswith((")", "]")):
        credit = credit[:-1].rstrip()
    elif credit.endswith(").") and opened:
        credit = credit[:-2].rstrip()
    if credit.endswith(".") and not credit.endswith(".."):
        credit = credit[:-1].rstrip()
    if not credit or len(credit) > 160 or credit.count(" ") > 14 or ". " in credit:
        return None
    cut = idx - len(before) + m.start()
    caption = line[:cut].rstrip()
    if opened:
        caption = caption[:-1].rstrip()
    if len(caption) > 600:
        return None  # a paragraph, not a caption
    keyword = m.group(0).strip().lower()
    if keyword not in _STRONG_CREDIT_WORDS and caption and not opened and not caption.endswith(_SENTENCE_END):
        return None  # "The Big Picture: ..." in running text is not a credit
    return caption, credit


def looks_like_html(text: str) -> bool:
    """True when the text starts like an HTML or XML document rather than page text."""
    head = text[:2000].lstrip()[:300].lower()
    return head.startswith(("<!doctype html", "<html", "<?xml", "<head", "<body")) or (head.startswith("<") and "<body" in text[:5000].lower())
