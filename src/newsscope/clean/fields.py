"""Datelines, outlet tags, bylines and trailing credits: out of the body, into fields.

Every pattern here comes from the built-in corpus (examples in the docstrings and the tests):

- datelines: ``MOSCOW, February 7. /TASS/.`` (TASS), ``SEOUL (Reuters) -`` and
  ``WASHINGTON, Feb 9 (Reuters) -`` (Reuters copy at HuffPost), ``WASHINGTON —`` (HuffPost),
  ``Washington (CNN)`` / ``(CNN)`` (CNN);
- bylines: ``By Ivan Oransky, New York University and Adam Marcus, Johns Hopkins University``,
  ``By Frank Gardner, BBC security correspondent:``, ``By BBC Scotland political editor Brian
  Taylor``;
- trailing credits: ``ABC News' Morgan Winsor contributed to this report.``, ``Source: Al
  Jazeera and news agencies``, ``cmb/rc (AFP, AP)`` (DW), ``(China Daily European Weekly
  12/09/2016 page18)`` with the writer's e-mail, ``(Reporting by ...; Editing by ...)``.

Precision over recall: a byline or credit is taken only when its whole shape matches.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field

__all__ = ["FieldResult", "extract_dateline", "extract_bylines", "extract_credits", "extract_fields", "split_names"]

_MONTHS = "January|February|March|April|May|June|July|August|September|October|November|December"
_MONTHS_SHORT = r"Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sept?|Oct|Nov|Dec"
_PLACE = r"[A-Z][A-Z'.\-]+(?: [A-Z][A-Z'.\-]+){0,3}(?:/[A-Z][A-Z'.\-]+(?: [A-Z][A-Z'.\-]+){0,2})*"
_AGENCIES = r"Reuters|AP|AFP|dpa|Xinhua|UPI|EFE|ANSA|KNA|epd|IANS|PTI"

_TASS = re.compile(
    rf"\A(?P<place>[A-Z][A-Z'.\- ]+?)(?: /[^/\n]{{1,40}}/)?(?: \([^)\n]{{1,40}}\))?, (?:{_MONTHS}) \d{{1,2}}\. /TASS/\.?\s*"
)
_WIRE = re.compile(
    rf"\A(?:(?P<place>{_PLACE})(?:, (?P<region>[A-Z][A-Za-z.]+(?: [A-Z][A-Za-z.]+){{0,2}}))?,? )?"
    rf"(?:(?:{_MONTHS}|{_MONTHS_SHORT})\.? \d{{1,2}} )?\((?P<agency>{_AGENCIES})\)\s*(?:[-—–]{{1,2}}\s*)"
)
_CNN = re.compile(r"\A(?:(?P<place>[A-Z][A-Za-z.'\-]+(?: [A-Z][A-Za-z.'\-]+){0,2}) )?\(CNN(?:Money)?\)\s*(?:-{1,2}\s*)?")
_DASH_DATELINE = re.compile(
    rf"\A(?P<place>{_PLACE})(?:, (?P<region>[A-Z][A-Za-z.]+(?: [A-Z][A-Za-z.]+){{0,2}}))? ?(?:—|–|-{{1,2}}) ?(?=[A-Z\"'])"
)
_NOT_PLACES = frozenset({
    "UPDATE", "UPDATED", "BREAKING", "EXCLUSIVE", "WATCH", "LIVE", "OPINION", "ANALYSIS", "VIDEO", "PHOTOS",
    "NOTE", "EDITOR'S NOTE", "WARNING", "READ", "MORE", "RELATED", "ALSO READ", "CORRECTION", "NEW", "THE",
})
_LEADING_DASHES = re.compile(r"\A-{2,}\s*")


@dataclass
class FieldResult:
    """The body with fields taken out, and what was taken."""

    text: str
    dateline: str | None = None
    authors: list[str] = field(default_factory=list)
    contributors: list[str] = field(default_factory=list)
    credits: list[str] = field(default_factory=list)
    counts: Counter = field(default_factory=Counter)


def extract_dateline(text: str) -> tuple[str, str | None, str | None]:
    """Remove a dateline or outlet tag opening ``text``.

    Returns
    -------
    (str, str or None, str or None)
        The text without it, the place (upper case as printed, e.g. ``MOSCOW``; None for a bare
        ``(CNN)`` or ``(Reuters)``) and the kind (``tass``, ``wire``, ``cnn``, ``dash``) or None.

    Examples
    --------
    >>> extract_dateline("MOSCOW, February 7. /TASS/. Moscow is confident")[:2]
    ('Moscow is confident', 'MOSCOW')
    >>> extract_dateline("Washington (CNN)Vice President Mike Pence cast")[:2]
    ('Vice President Mike Pence cast', 'Washington')
    """
    stripped = text.lstrip()
    for kind, rx in (("tass", _TASS), ("wire", _WIRE), ("cnn", _CNN)):
        m = rx.match(stripped)
        if m:
            place = (m.group("place") or "").strip() or None
            return stripped[m.end():], place, kind
    m = _DASH_DATELINE.match(stripped)
    if m and m.group("place").strip() not in _NOT_PLACES and len(m.group("place").replace(" ", "")) >= 3:
        return stripped[m.end():], m.group("place").strip(), "dash"
    m = _LEADING_DASHES.match(stripped)
    if m:
        return stripped[m.end():], None, "dashes"
    return text, None, None


# --------------------------------------------------------------------------- bylines

_NAME_TOKEN = r"(?:Mc[A-Z][a-z]+|Mac[A-Z][a-z]+|O'[A-Z][a-z]+|[A-Z][a-z]+(?:[-'][A-Z]?[a-z]+)*|[A-Z]\.)"
_PARTICLE = r"(?:de|da|di|van|von|der|den|del|la|le|bin|al|el|ibn)"
# two name tokens; a third only when the byline clearly goes on or ends after it
_NAME = (rf"{_NAME_TOKEN}(?: {_PARTICLE})? {_NAME_TOKEN}"
         rf"(?: {_NAME_TOKEN}(?=[,:]|\s+and\s|\s+(?:BBC|CNN|ProPublica)\b|\s*\Z))?")
_ROLE_END = (
    r"(?:[Cc]orrespondent|[Ee]ditor|[Rr]eporter|[Ww]riter|[Cc]olumnist|[Pp]roducer|[Aa]nalyst|University|College|"
    r"Institute|School|Centre|Center|Supervisor|Candidate|Professor|Lecturer|Fellow|News|CNN|CNNMoney|BBC|ProPublica|"
    r"Newsbeat|Online)"
)
_AFFIL_WORD = r"(?:[A-Z&][\w&'.\-]*|of|the|and|at|for|in|[a-z]+)"
_AFFIL = rf"(?:,? (?:{_AFFIL_WORD} ){{0,6}}{_ROLE_END}\b)"
_ROLE_PREFIX = r"(?:(?:BBC|CNN)[\w' ]{0,40}?(?:editor|reporter|correspondent) )"
# a byline opens the text or a sentence; inside a sentence only with an outlet right after the
# names (CNN's "Reality Check: Trump on pipeline jobs By Laura Koran, CNN Trump asserted ...")
_BYLINE_START = r"(?:\A|(?<=[.!?\"”:] )|(?<=VIEW )|(?<=VIEW  )|(?<=\n)|(?<= )(?=By [^.]{3,60}?, (?:CNN|CNNMoney|BBC)\b))"
_BYLINE = re.compile(
    rf"By (?P<body>{_ROLE_PREFIX}?{_NAME}{_AFFIL}?(?:(?:, and|,| and) {_NAME}{_AFFIL}?){{0,3}}):?(?=[\s,]|\Z)"
)
_BYLINE_START_RX = re.compile(_BYLINE_START + "By ")
_NAME_RX = re.compile(_NAME)
_AFFIL_RX = re.compile(_AFFIL)
_NAME_SEP_RX = re.compile(r"(?:, and|,| and) ")
_NOT_NAME_START = frozenset(_MONTHS.split("|") + "Monday Tuesday Wednesday Thursday Friday Saturday Sunday Dec Jan Feb Mar Apr Jun Jul Aug Sep Sept Oct Nov".split())


def split_names(text: str) -> list[str]:
    """Split ``A, B and C`` into names, dropping descriptors (``in Des Moines``, roles, outlets).

    >>> split_names("James Hill, Arlette Saenz, Kate Shaw, and Jack Date")
    ['James Hill', 'Arlette Saenz', 'Kate Shaw', 'Jack Date']
    """
    parts = re.split(r",\s*(?:and\s+)?|\s+and\s+|\s*&\s*|;\s*", text)
    names = []
    for p in parts:
        p = re.sub(r"\s+in\s+[A-Z].*$", "", p.strip())
        m = re.match(rf"(?:[\w' ]*?(?:editor|reporter|correspondent|writers?) )?({_NAME_TOKEN}(?: (?:{_PARTICLE} )?{_NAME_TOKEN}){{1,2}})\b", p)
        if m and m.group(1).split()[0] not in _NOT_NAME_START:
            names.append(m.group(1))
    return names


def extract_bylines(text: str) -> tuple[str, list[str], list[str]]:
    """Remove bylines (``By X, BBC security correspondent``) from ``text``.

    A byline is taken at the start of the text or of a sentence when it names one to four
    people, each optionally followed by an affiliation that ends in a role or institution word
    (``correspondent``, ``editor``, ``University``, ``BBC``, ``CNN``, ...). A name has two
    words, three only when a comma, ``and`` or an outlet follows (so ``By Ed Owles For some
    time`` yields ``Ed Owles``).

    Returns
    -------
    (str, list of str, list of str)
        The text without the bylines, the author names and the removed byline strings.
    """
    if "By " not in text:
        return text, [], []
    authors: list[str] = []
    removed: list[str] = []

    def take(m: re.Match) -> str:
        body = m.group("body")
        if body.split()[0] in _NOT_NAME_START or not _BYLINE_START_RX.match(text, m.start()):
            return m.group(0)
        role = re.match(_ROLE_PREFIX, body)
        rest = body[role.end():] if role else body
        names: list[str] = []
        pos = 0
        while True:
            nm = _NAME_RX.match(rest, pos)
            if not nm:
                break
            names.append(nm.group(0))
            am = _AFFIL_RX.match(rest, nm.end())
            pos = am.end() if am else nm.end()
            sep = _NAME_SEP_RX.match(rest, pos)
            if not sep:
                break
            pos = sep.end()
        if not names:
            return m.group(0)
        authors.extend(names)
        removed.append(m.group(0).strip())
        return ""

    return _BYLINE.sub(take, text), authors, removed


# --------------------------------------------------------------------------- trailing credits

_END = r"\s*\Z"
_SENT = r"(?:\A|(?<=[.!?\"”)] )|(?<=[.!?\"”)]  ))"
_CREDIT_PATTERNS: list[tuple[str, re.Pattern]] = [
    ("contributed", re.compile(rf"{_SENT}(?P<credit>[^.!?\n]{{0,250}}? contributed(?: reporting)?(?: to (?:this|the) (?:report|story|article))?(?: from [^.\n]{{1,60}})?\.?){_END}")),
    ("reuters_credit", re.compile(rf"(?P<credit>\((?:Additional )?(?:[Rr]eporting|[Ww]riting|[Ee]diting) by [^()\n]{{1,200}}\)){_END}")),
    ("follow", re.compile(rf"{_SENT}(?P<credit>Follow [^.!?\n]{{1,80}}? on Twitter[^\n]{{0,80}}?){_END}")),
    ("source", re.compile(rf"(?P<credit>\bSource:\s*-?\s*(?:[A-Z][\w&'.]*(?: (?:[A-Z][\w&'.]*|and|news|agencies|agency))*)){_END}")),
    ("wire_initials", re.compile(rf"(?P<credit>(?<![\w/])[a-z]{{1,4}}(?:/[a-z]{{1,4}}){{1,4}}\s*-?\s*\((?:{_AGENCIES})(?:,\s*(?:{_AGENCIES}))*\))\s*-?{_END}")),
    ("wire_tag", re.compile(rf"(?<=[.!?\"”] )(?P<credit>\((?:{_AGENCIES})(?:,\s*(?:{_AGENCIES}))*\))\s*-?{_END}")),
    ("print_edition", re.compile(rf"(?P<credit>\(\s*China Daily(?: European Weekly| Asia Weekly| USA)? \d{{1,2}}/\d{{1,2}}/\d{{4}} page ?\d+\s*\)){_END}")),
    ("email", re.compile(rf"(?<=[.!?\"”)] )(?P<credit>(?:Contact the writers? at ?)?[\w.+\-]+@[\w\-]+(?:\.[\w\-]+)+(?:\s+[\w.+\-]+@[\w\-]+(?:\.[\w\-]+)+)*){_END}")),
]
_TAIL_CHARS = 700


def _ends_with_paren_or_dash(tail: str) -> bool:
    return tail.rstrip().endswith((")", "-"))


# what each credit pattern cannot match without (a literal it contains, or its last character):
# a cheap test that spares the regex search on most tails
_CREDIT_NEEDS = {
    "contributed": lambda t: " contributed" in t,
    "reuters_credit": lambda t: "ing by " in t,
    "follow": lambda t: "Follow " in t,
    "source": lambda t: "Source:" in t,
    "wire_initials": _ends_with_paren_or_dash,
    "wire_tag": _ends_with_paren_or_dash,
    "print_edition": lambda t: "China Daily" in t,
    "email": lambda t: "@" in t,
}
_ORG_PREFIX = re.compile(
    r"\A(?:(?:The )?(?:ABC News|ABC|CNN|CNN's|Associated Press|AP|Reuters|BBC)(?:'s|')?\s+(?:writers?|reporters?|correspondents?)?\s*)"
)
_ORGS_ONLY = re.compile(r"\A(?:The )?(?:Associated Press|Reuters|AFP|ABC News|CNN|Wire services|News agencies)\Z", re.I)


def extract_credits(text: str) -> tuple[str, list[str], list[str], Counter]:
    """Remove trailing credits (repeatedly, from the end) and return contributors' names.

    Returns
    -------
    (str, list of str, list of str, Counter)
        The text, contributor names (people only), the removed credit strings (in text order)
        and counts per credit kind.
    """
    credits: list[str] = []
    names: list[str] = []
    counts: Counter = Counter()
    changed = True
    while changed and text:
        changed = False
        # credits sit at the end: search only the tail (the patterns are anchored at the end)
        cut = max(0, len(text) - _TAIL_CHARS)
        if cut:
            nl = text.rfind(" ", 0, cut)
            cut = nl + 1 if nl > 0 else 0
        tail = text[cut:]
        for kind, rx in _CREDIT_PATTERNS:
            need = _CREDIT_NEEDS.get(kind)
            if need is not None and not need(tail):
                continue
            m = rx.search(tail)
            if not m or (cut and m.start("credit") == 0 and kind in ("contributed", "follow")):
                continue
            credit = re.sub(r"\s+", " ", re.sub(r":\s*-\s*", ": ", m.group("credit"))).strip()
            if not credit:
                continue
            text = text[:cut + m.start("credit")].rstrip(" -")
            credits.insert(0, credit)
            counts[kind] += 1
            if kind == "contributed":
                who = re.sub(r"\s+contributed.*\Z", "", credit, flags=re.S)
                who = _ORG_PREFIX.sub("", who).strip()
                if not _ORGS_ONLY.match(who):
                    names = split_names(who) + names
            changed = True
            break
    return text.rstrip(), names, credits, counts


def extract_fields(text: str) -> FieldResult:
    """Take the dateline, bylines and trailing credits out of a body.

    Parameters
    ----------
    text : str
        A body (after the quote repairs; before whitespace normalisation is fine).

    Returns
    -------
    FieldResult
    """
    res = FieldResult(text=text or "")
    if not res.text:
        return res
    body, place, kind = extract_dateline(res.text)
    if kind:
        res.counts[f"dateline_{kind}"] += 1
    res.dateline = place
    body, authors, bylines = extract_bylines(body)
    if bylines:
        res.counts["byline"] += len(bylines)
    res.authors = authors
    body, names, credits, counts = extract_credits(body)
    res.contributors = names
    res.credits = bylines + credits
    res.counts.update(counts)
    res.text = body.strip()
    return res
