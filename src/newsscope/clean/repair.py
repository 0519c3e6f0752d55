"""Text repairs: each rule fixes one kind of damage measured in real data, and counts what it did.

The built-in NewsArticles texts went through a lossy re-encoding. Curly quotes, apostrophes and
dashes (three-byte UTF-8 characters) became a straight ``"``, and the character that followed
them was replaced by ``?``. Most often that character was a space, hence ``DeVos"?highly``
(``DeVos' highly``), ``choice,"?Sen.`` (``choice," Sen.``) and ``The move "?which`` (``The move —
which``). Sometimes it was a digit or letter, which is lost for good (``the "?0s``). Apostrophes
inside words survived as ``"`` (``don"t``). No-break spaces became hyphens (``law that-retroactively``,
``Source:-Al Jazeera``), and accented letters became U+FFFD (``Fianna F\ufffd\ufffdil``).

Every rule is a function ``text -> (text, count)``; :func:`repair_text` applies them in order and
returns the per-rule counts, so the notebook can show how often each fired. The glued-hyphen
rule between two words needs corpus evidence and lives in :mod:`newsscope.clean.hyphens`.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass

import ftfy

__all__ = [
    "RULES",
    "RULE_DESCRIPTIONS",
    "fix_mojibake",
    "strip_csv_residue",
    "repair_lost_quotes",
    "repair_apostrophes",
    "repair_quote_debris",
    "repair_stray_hyphens",
    "normalize_whitespace",
    "count_lost_characters",
    "repair_text",
    "RepairResult",
]

#: Rule names in the order they are applied (``glued_hyphen`` runs after them, with corpus evidence).
RULES: tuple[str, ...] = (
    "mojibake", "csv_residue", "lost_closing_quote", "lost_apostrophe", "lost_dash", "lost_digit",
    "contraction_quote", "quote_debris", "separator_hyphens", "punct_hyphen", "space_hyphen",
    "hyphen_space", "glued_hyphen", "lost_letter", "whitespace",
)

RULE_DESCRIPTIONS: dict[str, str] = {
    "mojibake": "ftfy: mis-decoded text, curly quotes straightened, control characters (fields changed)",
    "csv_residue": "trailing CSV debris such as ',-1\"' or a body that is only '-1'",
    "lost_closing_quote": "'\"?' after a quote's last word: closing quote plus the lost space ('choice,\"?Sen.' -> 'choice,\" Sen.')",
    "lost_apostrophe": "'\"?' after a plural possessive: apostrophe plus the lost space ('teachers\"?unions' -> \"teachers' unions\")",
    "lost_dash": "' \"?' between words: a dash plus the lost space ('The move \"?which' -> 'The move — which')",
    "lost_digit": "' \"?' before 0: an opening quote or apostrophe whose next character, a digit, is lost ('the \"?0s'); marked U+FFFD",
    "contraction_quote": "apostrophes: '\"' inside a contraction or name ('don\"t' -> \"don't\", 'O\"\\ufffdNeill' -> \"O'Neill\"), lost 'e' in 're ('we'r' -> 'we're')",
    "quote_debris": "U+FFFD debris after an opening quote ('\"\\ufffdVanilla Sky' -> '\"Vanilla Sky')",
    "separator_hyphens": "runs of lone hyphens where paragraph breaks were ('jobs. - - - He' -> 'jobs. He')",
    "punct_hyphen": "hyphen glued after punctuation where a space was ('Source:-Al Jazeera', 'film.- Next')",
    "space_hyphen": "hyphen glued before a word after a space ('riot -police' -> 'riot police')",
    "hyphen_space": "hyphen glued after a word before a space, not a suspended hyphen ('Serbia- Rights' -> 'Serbia Rights'; 'medium- and high-end' kept)",
    "glued_hyphen": "hyphen between two words where a no-break space was, decided on corpus evidence ('law that-retroactively' -> 'law that retroactively'; 'al-Assad' kept)",
    "lost_letter": "a letter lost as two U+FFFD or '?' restored from corpus, lexicon (data/letters.csv) or word-list evidence ('D\\ufffd\\ufffdil' -> 'Dáil', 'Sch?uble' -> 'Schäuble')",
    "whitespace": "no-break/odd spaces, zero-width characters, repeated spaces",
}

_FTFY_CONFIG = ftfy.TextFixerConfig(fix_character_width=False, explain=False)
# what ftfy can change in a line: anything not ASCII, HTML entities (``&``) and control characters
_FTFY_TOUCHES = re.compile(r"[^\t\n\x20-\x7e]|&")


def fix_mojibake(text: str) -> tuple[str, int]:
    """Fix mis-decoded text with ftfy (curly quotes become straight). Count: 1 if the text changed.

    Pure-ASCII text cannot carry mojibake and is returned unchanged without calling ftfy.
    """
    if text.isascii() and "&" not in text:
        return text, 0
    fixed = _fix_text(text)
    return fixed, int(fixed != text)


def _fix_text(text: str) -> str:
    """``ftfy.fix_text(text, _FTFY_CONFIG)``, passing ftfy only the lines it could change.

    ``ftfy.fix_text`` fixes a text line by line (each line on its own; only the switch-off of
    HTML unescaping, once a line contains ``<``, carries over to the following lines). Every one
    of its fixes needs a character outside printable ASCII, a ``&`` or a control character, so a
    line of printable ASCII (plus tabs) without ``&`` comes back unchanged and is not passed to
    it. The loop below is ``fix_text``'s own, with that shortcut.
    """
    config = _FTFY_CONFIG
    max_len = config.max_decode_length
    out: list[str] = []
    pos = 0
    n = len(text)
    while pos < n:
        textbreak = text.find("\n", pos) + 1
        if textbreak == 0:
            textbreak = n
        if textbreak - pos > max_len:
            textbreak = pos + max_len
        segment = text[pos:textbreak]
        if config.unescape_html == "auto" and "<" in segment:
            config = config._replace(unescape_html=False)
        if _FTFY_TOUCHES.search(segment) is None:
            out.append(segment)
        else:
            out.append(ftfy.fix_and_explain(segment, config)[0])
        pos = textbreak
    return "".join(out)


_CSV_TAIL = re.compile(r'("\??),-?\d{1,4}"\s*\Z')
_CSV_ONLY = re.compile(r"\A\s*-?\d{1,2}\s*\Z")


def strip_csv_residue(text: str) -> tuple[str, int]:
    """Remove debris of a mis-split CSV row: a trailing ``,-1"`` after a quote, or a body ``-1``."""
    if _CSV_ONLY.match(text):
        return "", 1
    new, n = _CSV_TAIL.subn(r"\1", text)
    return new, n


_LOST = re.compile(r'"\?')
_UNAMBIGUOUS_LOST = re.compile(r'"\?[A-Za-z"(\[]')
_WORD_END_PLURAL = re.compile(r"[sSzZxX]\Z")
_NO_SPACE_BEFORE = set(",.;:!?)]}")


def repair_lost_quotes(text: str) -> tuple[str, Counter]:
    """Repair ``"?``: a curly quote, apostrophe or dash plus the character after it, lost.

    Decisions, on the text built so far (so ``,"?"?it`` becomes ``," — it``):

    - after a space or at the start: a dash (``The move "?which`` -> ``The move — which``,
      ``16 years "?16 years`` -> ``16 years — 16 years``); before a ``0`` it is an opening
      quote or apostrophe whose next character, a digit, is lost (``the "?0s``, ``"?016`` ->
      ``"\\ufffd016``); a glued hyphen before it is part of the damage (``bill-"?the`` ->
      ``bill — the``);
    - after punctuation, or after a word inside an open quotation: a closing quote and the lost
      space (``choice,"?Sen.`` -> ``choice," Sen.``);
    - after a word ending in s/z/x outside any quotation: a possessive apostrophe and the lost
      space (``teachers"?unions`` -> ``teachers' unions``);
    - otherwise a closing quote.

    ``"?`` followed by a space or the end of the text is also a legitimate question mark after a
    quotation (``Did he say "yes"? No.``); it is repaired only when the same text shows the
    unambiguous form (``"?`` directly before a letter) elsewhere.

    Returns
    -------
    (str, Counter)
        The repaired text and counts per rule (``lost_closing_quote``, ``lost_apostrophe``,
        ``lost_dash``, ``lost_digit``).
    """
    counts: Counter = Counter()
    if '"?' not in text:
        return text, counts
    corrupted = _UNAMBIGUOUS_LOST.search(text) is not None
    out: list[str] = []
    pos = 0
    open_quote = False
    for m in _LOST.finditer(text):
        start = m.start()
        segment = text[pos:start]
        open_quote = _update_quote_state(segment, open_quote)
        out.append(segment)
        pos = m.end()
        nxt = text[pos] if pos < len(text) else ""
        built = "".join(out[-3:])
        prev = built[-1] if built else ""
        if nxt in ("", " ", "\n", "\t") and not corrupted:
            out.append('"?')
            open_quote = not open_quote if prev and not prev.isspace() else open_quote
            continue
        if prev == "" or prev.isspace() or prev == "-":
            if prev == "-":
                # ``bill-"?the``: the hyphen was a no-break space before the dash
                out[-1] = out[-1][:-1] if out[-1].endswith("-") else out[-1]
                if not "".join(out[-2:]).endswith((" ", "\n")):
                    out.append(" ")
                prev = " "
            if nxt == "0":
                # ``the "?0s``, ``"?016 was``: a number cannot start with 0, so its first digit
                # (the character after an opening quote or apostrophe) is lost
                out.append('"\ufffd')
                counts["lost_digit"] += 1
                open_quote = True
            elif prev == "":
                counts["lost_dash"] += 1  # a dash opening the text carries nothing
            else:
                out.append("— " if nxt not in (" ", "\n") else "—")
                counts["lost_dash"] += 1
            continue
        needs_space = nxt not in ("", " ", "\n", "\t") and nxt not in _NO_SPACE_BEFORE
        if prev.isalnum() and not open_quote:
            word = re.search(r"[\w']+\Z", built)
            if word and _WORD_END_PLURAL.search(word.group(0)) and not word.group(0).isupper():
                out.append("'" + (" " if needs_space else ""))
                counts["lost_apostrophe"] += 1
                continue
        out.append('"' + (" " if needs_space else ""))
        counts["lost_closing_quote"] += 1
        open_quote = False
    out.append(text[pos:])
    return "".join(out), counts


def _update_quote_state(segment: str, open_quote: bool) -> bool:
    """Follow straight double quotes through ``segment``: opening after a space, closing after a word."""
    i = segment.find('"')
    while i >= 0:
        before = segment[i - 1] if i > 0 else " "
        if before.isspace() or before in "([{-—" or (i == 0 and not open_quote):
            open_quote = True
        else:
            open_quote = False
        i = segment.find('"', i + 1)
    return open_quote


# the patterns open with their literal character and look behind it (``"(?<=[A-Za-z]")`` is
# ``(?<=[A-Za-z])"``), so the regex engine jumps from one quote to the next instead of trying
# every position: the same matches, many times faster
_CONTRACTION = re.compile(r"\"(?<=[A-Za-z]\")\ufffd?(?=(?:t|s|ve|re|ll|d|m)\b)")
_NAME_APOSTROPHE = re.compile(r"\"(?<=\b[OD]\")\ufffd?(?=[A-Z][a-z])")
_LOST_RE = re.compile(r"'r(?<=[A-Za-z]'r)\b")


def repair_apostrophes(text: str) -> tuple[str, int]:
    """Repair apostrophes: ``don"t`` -> ``don't``, ``O"\ufffdNeill`` -> ``O'Neill``, ``you'r`` -> ``you're``.

    In the damaged texts an apostrophe inside a word became ``"`` (sometimes followed by
    U+FFFD), and in ``'re`` the ``e`` was lost (``we'r``); ``'r`` is no English word ending.
    """
    n = 0
    if '"' in text:
        text, k = _CONTRACTION.subn("'", text)
        n += k
        text, k = _NAME_APOSTROPHE.subn("'", text)
        n += k
    if "'r" in text:
        text, k = _LOST_RE.subn("'re", text)
        n += k
    return text, n


_GLUED_DASH = re.compile(r'(?<=[A-Za-z.,;])"\ufffd(?=[A-Za-z])')
_DEBRIS = re.compile(r'(?<=")\ufffd(?=[A-Za-z\[(])')


def repair_quote_debris(text: str) -> tuple[str, Counter]:
    """Repair a quote followed by U+FFFD (the curly character's debris).

    - between two words it was a dash without spaces (``fantastic"\ufffdthey`` ->
      ``fantastic — they``; counted as ``lost_dash``);
    - after an opening quote the word that follows is complete in every case seen in the data
      (``"\ufffdVanilla Sky"``), so U+FFFD is debris of the quote and dropped (``quote_debris``).
    """
    counts: Counter = Counter()
    if "\ufffd" not in text:
        return text, counts
    text, counts["lost_dash"] = _GLUED_DASH.subn(" — ", text)
    text, counts["quote_debris"] = _DEBRIS.subn("", text)
    return text, +counts


_SEPARATORS = re.compile(r"(?<!\S)-(?:[ \t]+-)+(?!\S)|\A[ \t]*-[ \t]+|[ \t]+-[ \t]*\Z")
# ``_SEPARATORS`` after its first position (where the ``\A`` branch cannot match any more), literal
# first; the third branch only when the text ends in a hyphen after a space (it cannot match else)
_SEPARATORS_REST = re.compile(r"-(?<!\S-)(?:[ \t]+-)+(?!\S)")
_SEPARATORS_REST_END = re.compile(r"-(?<!\S-)(?:[ \t]+-)+(?!\S)|[ \t]+-[ \t]*\Z")
# literal first, look behind it (as for the apostrophes): ``-(?<=[ \t]-)`` is ``(?<=[ \t])-``
_PUNCT_HYPHEN = re.compile(r"-(?<=[.,!?:;\"']-)(?<![A-Z]\.-)(?=[ \t]|[A-Z\"'(\[]|\Z)")
_SPACE_HYPHEN = re.compile(r"-(?<=[ \t]-)(?=[A-Za-z])")
_HYPHEN_SPACE = re.compile(r"-(?<=[A-Za-z]-)(?=[ \t])(?![ \t]+(?:and|or|to|nor|&)[ \t])")


def _replace_separators(text: str) -> tuple[str, int]:
    """``_SEPARATORS.subn(" ", text)``, faster: the pattern is tried at the first position, then
    the text is scanned with the branches that can still match."""
    out: list[str] = []
    n = 0
    last = 0
    m = _SEPARATORS.match(text)
    if m:
        out.append(" ")
        n = 1
        last = m.end()
    core = text.rstrip(" \t")
    rx = _SEPARATORS_REST_END if core.endswith("-") and core[-2:-1] in (" ", "\t") else _SEPARATORS_REST
    for m in rx.finditer(text, last):
        out.append(text[last:m.start()])
        out.append(" ")
        n += 1
        last = m.end()
    if not n:
        return text, 0
    out.append(text[last:])
    return "".join(out), n


def _may_have_separators(text: str) -> bool:
    """False when ``_SEPARATORS`` cannot match: it needs a hyphen before a space or tab, or a
    hyphen opening or closing the text (after or before spaces and tabs)."""
    return ("- " in text or "-\t" in text or text.lstrip(" \t").startswith("-")
            or text.rstrip(" \t").endswith("-"))


def repair_stray_hyphens(text: str) -> tuple[str, Counter]:
    """Repair hyphens that stand where a space or paragraph break was (not between two words).

    Returns counts for ``separator_hyphens``, ``punct_hyphen``, ``space_hyphen`` and
    ``hyphen_space``. Suspended hyphens (``medium- and high-end``), ``U.S.-led`` and real dashes
    surrounded by spaces (`` - ``) are kept.
    """
    counts: Counter = Counter()
    if "-" not in text:
        return text, counts
    if _may_have_separators(text):
        text, counts["separator_hyphens"] = _replace_separators(text)
    text, counts["punct_hyphen"] = _PUNCT_HYPHEN.subn(" ", text)
    text, counts["space_hyphen"] = _SPACE_HYPHEN.subn("", text)
    text, counts["hyphen_space"] = _HYPHEN_SPACE.subn("", text)
    return text, +counts


_ODD_SPACES = re.compile(r"[\u00a0\u1680\u2000-\u200a\u202f\u205f\u3000\t\f\v]")
_ZERO_WIDTH = re.compile(r"[\u200b\u200c\u200d\u2060\ufeff]")
_MULTI_SPACE = re.compile(r"  +")  # `` {2,}`` with a two-space literal prefix (scans faster)
_SPACE_NL = re.compile(r" *\n *")
_MANY_NL = re.compile(r"\n{3,}")
_SPACE_PUNCT = re.compile(r" +(?=[,.;:!?](?:\s|\Z))")
_SPACE_PUNCT_PAIRS = (" ,", " .", " ;", " :", " !", " ?")
_SPACE_BEFORE_PUNCT = re.compile(r" [,.;:!?]")  # what ``_SPACE_PUNCT`` needs (one search)


def normalize_whitespace(text: str) -> tuple[str, int]:
    """Normalise spaces: odd spaces to one space, drop zero-width characters, keep paragraphs.

    Paragraph breaks (a blank line) are kept; ``\\r\\n`` becomes ``\\n``; a space before
    sentence punctuation is removed. The count is the number of changed places.
    """
    # each substitution runs only when the text holds what it looks for (a cheap substring
    # test), so the counts and the text are those of running them all
    n = 0
    if "\r" in text:
        text = text.replace("\r\n", "\n").replace("\r", "\n")
    ascii_only = text.isascii()
    if not ascii_only or "\t" in text or "\f" in text or "\v" in text:
        text, k = _ODD_SPACES.subn(" ", text)
        n += k
    if not ascii_only:
        text, k = _ZERO_WIDTH.subn("", text)
        n += k
    if "  " in text:
        text, k = _MULTI_SPACE.subn(" ", text)
        n += k
    if _SPACE_BEFORE_PUNCT.search(text):
        text, k = _SPACE_PUNCT.subn("", text)
        n += k
    if " \n" in text or "\n " in text:
        text = _SPACE_NL.sub("\n", text)
    if "\n\n\n" in text:
        text, k = _MANY_NL.subn("\n\n", text)
        n += k
    stripped = text.strip()
    return stripped, n + int(stripped != text)


_LOST_IN_WORD = re.compile(r"\?(?<=[A-Za-z]\?)(?=[a-z])")  # ``(?<=[A-Za-z])\?(?=[a-z])``, literal first
_REPLACEMENT_RUN = re.compile(r"\ufffd+")


def count_lost_characters(text: str) -> tuple[int, int]:
    """Return ``(n_replacement_chars, n_lost_chars)`` of a text.

    ``n_replacement_chars`` counts U+FFFD characters; ``n_lost_chars`` counts places where text
    is irrecoverably lost: runs of U+FFFD (an accented letter often became two) plus ``?``
    inside a word (``M?nchengladbach``) outside URLs.
    """
    n_fffd = text.count("\ufffd")
    runs = len(_REPLACEMENT_RUN.findall(text)) if n_fffd else 0
    in_word = 0
    if "?" in text:
        in_word = sum(1 for m in _LOST_IN_WORD.finditer(text) if not _inside_url(text, m.start()))
    return n_fffd, runs + in_word


def _inside_url(text: str, pos: int) -> bool:
    start = max(text.rfind(" ", 0, pos), text.rfind("\n", 0, pos)) + 1
    token = text[start:pos]
    return "/" in token or token.startswith("www.") or "=" in token


@dataclass
class RepairResult:
    """A repaired text and how often each rule fired."""

    text: str
    counts: Counter


def repair_text(text: str, *, hyphens=None) -> RepairResult:
    """Apply every repair rule in order and return the text with per-rule counts.

    Parameters
    ----------
    text : str
    hyphens : GluedHyphenModel, optional
        A fitted :class:`newsscope.clean.hyphens.GluedHyphenModel`; without it the
        ``glued_hyphen`` rule is skipped.
    """
    counts: Counter = Counter()
    if not text:
        return RepairResult(text or "", counts)
    text, counts["mojibake"] = fix_mojibake(text)
    text, counts["csv_residue"] = strip_csv_residue(text)
    text, c = repair_lost_quotes(text)
    counts.update(c)
    text, counts["contraction_quote"] = repair_apostrophes(text)
    text, c = repair_quote_debris(text)
    counts.update(c)
    text, c = repair_stray_hyphens(text)
    counts.update(c)
    if hyphens is not None:
        text, counts["glued_hyphen"] = hyphens.repair(text)
    text, counts["whitespace"] = normalize_whitespace(text)
    return RepairResult(text, +counts)
