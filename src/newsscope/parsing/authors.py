"""Author lines: splitting bylines into people, and telling an author line from a section line.

Bylines on aggregator pages come in many forms::

    Amy Hawkins
    Dana Sobel in Kyiv, Julian Berger in Washington and Luke Hardy
    Helen Sutton (now) and Martin Bellamy (earlier)
    Tom Ambler (now); Nadim Badsha, Léonie Château-Fort and Yohannes Lowell (earlier)
    (earlier) Tom Ambler , Nadim Badsha
    Jane Doe, PhD Candidate in Anthropology, UCL
    Guardian staff and agencies

:func:`split_authors` returns the people only: role tags in parentheses, place and company
descriptors (``in Washington``, ``with Guardian writers``), affiliations after a comma
(``PhD Candidate in Anthropology, UCL``), honorifics (``Dr``, ``Prof``) and agencies are left
out. A part that is neither a plausible personal name nor a recognised descriptor is reported,
never guessed into a name.

:func:`classify_meta_line` decides whether a header line is a section or an author line;
its guiding rule is that an author is never taken for a section: a line is a section only when
it is a known section or shaped like one (``Life and style``, ``US news``), and an unknown
single capitalised word is left undecided.
"""

from __future__ import annotations

import re
from functools import lru_cache

__all__ = ["split_authors", "is_person_name", "classify_meta_line", "SECTIONS", "AGENCY_BYLINES"]

#: Section names seen on aggregator pages and outlets (lower case). Multi-word place names are
#: here because they are shaped like personal names.
SECTIONS: frozenset[str] = frozenset("""
world|national|sport|sports|politics|business|environment|opinion|culture|news|uk news|us news|australia news|
world news|football|technology|tech|science|society|education|media|money|life and style|lifestyle|travel|fashion|
food|books|music|film|stage|games|television & radio|tv and radio|television and radio|art and design|
global development|law|cities|healthcare network|housing network|commentisfree|comment is free|comment|analysis|
features|feature|health|crime|economy|markets|weather|obituaries|letters|editorial|editorials|inequality|
wellness|wellbeing|well actually|the observer|observer|from the archive|news and analysis|investigations|
investigation|climate|climate crisis|energy|science & technology|arts|arts and culture|entertainment|local|
state|metro|nation|region|regional|international|asia|europe|africa|americas|middle east|asia pacific|
asia-pacific|latin america|south america|north america|central america|oceania|pacific|caribbean|
northern ireland|scotland|wales|england|britain|hong kong|new zealand|south africa|north korea|south korea|
saudi arabia|sri lanka|united states|united kingdom|united arab emirates|costa rica|el salvador|puerto rico|
new york|los angeles|san francisco|new jersey|new mexico|north carolina|south carolina|north dakota|
south dakota|west virginia|rhode island|new hampshire|new south wales|western australia|south australia|
northern territory|tasmania|queensland|victoria|canberra|sydney|melbourne|brisbane|perth|adelaide|
texas|california|florida|washington|london|us politics|uk politics|australian politics|us elections|
uk elections|elections|election|brexit|coronavirus|covid-19|ukraine|russia|china|india|japan|israel|
rugby union|rugby league|cricket|tennis|golf|cycling|formula one|f1|boxing|athletics|olympics|
olympic games|premier league|champions league|world cup|afl|nrl|a-league|nfl|nba|mlb|nhl|soccer|
horse racing|motor sport|motorsport|swimming|us sports|women's football|basketball|baseball|
personal finance|property|careers|jobs|small business|retail|banking|agriculture|transport|
architecture|photography|design|art|theatre|dance|classical music|pop and rock|podcasts|podcast|
video|documentary|quiz|crosswords|puzzles|recipes|restaurants|relationships|family|parenting|
health & wellbeing|mental health|fitness|beauty|women|men|gender|race|religion|immigration|
indigenous australians|first nations|human rights|global|development|aid|conflict|defence|
security|terrorism|justice|courts|policing|police|prisons|work|workers|labour|unions|
the conversation|texas observer|guardian|the guardian|explainer|explainers|live|live news|
middle-east|mideast|americas news|europe news|asia news|africa news|national news|local news|
breaking news|latest|top stories|in depth|long read|the long read|interview|interviews|review|reviews
""".replace("\n", "").split("|")) - {""}

#: Bylines that name an organisation, not a person (lower case).
AGENCY_BYLINES: frozenset[str] = frozenset("""
reuters|ap|associated press|the associated press|afp|agence france-presse|agence france presse|pa|pa media|
press association|the press association|aap|australian associated press|bloomberg|dpa|xinhua|ani|pti|ians|
efe|ansa|kyodo|yonhap|tass|ria novosti|cnn|bbc|bbc news|guardian staff|guardian staff reporter|
guardian reporter|staff|staff reporter|staff writer|staff writers|agencies|agency|and agencies|
guardian staff and agencies|staff and agencies|guardian sport|guardian sport staff|observer staff|
guardian writers|guardian correspondents|guardian editorial|editorial|editorial board|the editorial board|
our correspondent|a correspondent|correspondent|our reporters|reporters|wires|wire services|news desk|
newsdesk|the conversation|the conversation staff|texas observer staff|guardian australia|guardian us
""".replace("\n", "").split("|")) - {""}

_PARTICLES = frozenset("""de da das do dos di del della dello dei du des la le van von der den ter ten
bin binti bint ibn al el y e zu zur af av op het 't st. st""".split())
_SUFFIXES = frozenset({"jr", "jr.", "sr", "sr.", "ii", "iii", "iv"})
_HONORIFICS = frozenset("dr dr. prof prof. professor mr mr. mrs mrs. ms ms. mx sir dame rev rev. revd".split())
_GEO_FIRST = frozenset("north south east west northern southern eastern western central new san los las "
                       "saint st united great upper lower greater middle".split())
#: Words that mark a descriptor (role, institution, field, unit) rather than part of a name.
_DESCRIPTOR_WORDS = frozenset("""
professor lecturer reader senior associate assistant candidate fellow fellows researcher research director dean
chair head editor editors correspondent correspondents reporter reporters writer writers columnist contributor
analyst economist scientist student students postdoctoral doctoral phd msc ma ba bsc md mba postgraduate
university universities college institute school centre center department faculty lab laboratory hospital
foundation council agency agencies staff press news guardian observer reuters associated media group trust
society museum company ltd inc llc program programme project team desk bureau chief manager officer
coordinator specialist expert consultant partner visiting emeritus adjunct honorary principal lead deputy
executive president vice secretary minister senator member mp mep spokesperson spokesman spokeswoman
relations studies science sciences politics policy economics history law medicine health engineering
technology affairs development education international public social global political environmental
management business communication communications journalism philosophy psychology sociology anthropology
biology chemistry physics mathematics geography languages literature arts humanities ecology strategic
conflict climate energy government governance world sport sports football culture opinion national
business environment analysis network league union rugby cricket tennis formula podcast live blog
updates update summary briefing newsletter edition morning evening weekly daily photo photograph video
picture pictures images image words interview review reviews transport urban crime courts data visual
investigations investigative consumer digital diplomatic defence legal home foreign affairs industry markets
finance financial wealth property housing welfare employment labour migration religion technology economic
""".split())

_PAREN_RE = re.compile(r"\([^()]*\)|\[[^\[\]]*\]")
_OPEN_PAREN_RE = re.compile(r"[(\[][^()\[\]]*$")
_SEP_RE = re.compile(r"\s*(;)\s*|\s*(,)\s*(?:and\s+|&\s+)?|\s+(and|&)\s+")
_BY_RE = re.compile(r"^(?:by|words by|written by|reported by)\s+", re.IGNORECASE)


def _is_name_token(tok: str, all_caps_ok: bool) -> bool:
    core = tok.replace("-", "").replace("'", "").replace("’", "").replace(".", "")
    if not core or not core.isalpha():
        return False
    first = tok[0]
    if not first.isupper():
        low = tok.lower()
        return low.startswith(("al-", "el-", "d'", "d’", "o'", "o’")) and len(tok) > 3 and tok[3 if low[2] == "-" else 2:][:1].isupper()
    if core.isupper() and len(core) > 1 and not all_caps_ok and "." not in tok:
        return len(core) <= 2  # initials such as "JK"; longer capitals are acronyms (UCL, BBC)
    return tok.lower().strip(".") not in _DESCRIPTOR_WORDS


def _name_prefix(tokens: list[str]) -> tuple[list[str], int]:
    """Return the leading tokens that form a personal name, and how many tokens they span."""
    while tokens and tokens[0].lower() in _HONORIFICS:
        tokens = tokens[1:]
    all_caps = all(t.isupper() for t in tokens if any(c.isalpha() for c in t))
    name: list[str] = []
    for tok in tokens:
        low = tok.lower()
        if len(name) >= 2 and low in _GEO_FIRST:
            break  # "Jane Doe South Asia correspondent": the name ends before the place
        if name and low in _PARTICLES:
            name.append(tok)
        elif name and low in _SUFFIXES:
            name.append(tok)
        elif _is_name_token(tok, all_caps):
            name.append(tok)
        else:
            break
    n = len(name)
    while name and name[-1].lower() in _PARTICLES:
        name.pop()
    return name, n


def is_person_name(text: str) -> bool:
    """True when ``text`` is entirely a plausible personal name (2–5 tokens, capitalised).

    Examples
    --------
    >>> is_person_name("Léonie Château-Fort"), is_person_name("US news"), is_person_name("Hong Kong")
    (True, False, True)
    """
    tokens = text.split()
    name, n = _name_prefix(tokens)
    return n == len(tokens) and _valid_name(name)


def _valid_name(name: list[str]) -> bool:
    core = [t for t in name if t.lower() not in _PARTICLES and t.lower() not in _SUFFIXES]
    if len(core) < 2 or len(name) > 6:
        return False
    return not all(len(t.strip(".")) <= 2 for t in core)  # "J. K." alone is not a name


def _is_descriptor(tokens: list[str]) -> bool:
    """A role, desk or affiliation ("urban affairs reporter", "International Relations")."""
    return bool(tokens) and (tokens[0][:1].islower() or any(t.lower().strip(".,") in _DESCRIPTOR_WORDS for t in tokens))


def _segments(line: str) -> list[tuple[str, str]]:
    """Split an author line into ``(delimiter_before, segment)`` pairs."""
    out: list[tuple[str, str]] = []
    pos, delim = 0, ""
    for m in _SEP_RE.finditer(line):
        out.append((delim, line[pos:m.start()].strip()))
        delim = m.group(1) or m.group(2) or "and"
        pos = m.end()
    out.append((delim, line[pos:].strip()))
    return [(d, s) for d, s in out if s]


def split_authors(line: str) -> tuple[list[str], list[str]]:
    """Split an author line into the people it names.

    Parameters
    ----------
    line : str
        One author line.

    Returns
    -------
    people : list of str
        Personal names in order of appearance, without duplicates, role tags, descriptors,
        honorifics or agencies.
    unknown : list of str
        Parts that are neither a name, a descriptor nor an agency (for a warning).

    Examples
    --------
    >>> split_authors("Tom Ambler (now); Nadim Badsha , Léonie Château-Fort and Yohannes Lowell (earlier)")[0]
    ['Tom Ambler', 'Nadim Badsha', 'Léonie Château-Fort', 'Yohannes Lowell']
    >>> split_authors("Jane Doe, PhD Candidate in Anthropology, UCL")[0]
    ['Jane Doe']
    """
    people, unknown = _split_authors(line)
    return list(people), list(unknown)


@lru_cache(maxsize=8192)
def _split_authors(line: str) -> tuple[tuple[str, ...], tuple[str, ...]]:
    text = _PAREN_RE.sub(" ", line)
    text = _OPEN_PAREN_RE.sub(" ", text)
    text = " ".join(text.split())
    text = _BY_RE.sub("", text)
    people: list[str] = []
    unknown: list[str] = []
    in_descriptor = False
    for delim, seg in _segments(text):
        if delim in (";", "and"):
            in_descriptor = False
        seg = _BY_RE.sub("", seg)
        while seg.split(" ", 1)[0].lower() in _HONORIFICS and " " in seg:
            seg = seg.split(" ", 1)[1]
        key = seg.lower()
        if key in AGENCY_BYLINES or key.removeprefix("the ") in AGENCY_BYLINES:
            continue
        tokens = seg.split()
        name, n = _name_prefix(tokens)
        if not in_descriptor and _valid_name(name):
            rest = tokens[n:]
            nxt = rest[0].lower().strip(".,") if rest else ""
            if not rest or rest[0][:1].islower() or nxt in _DESCRIPTOR_WORDS or nxt in _GEO_FIRST:
                full = " ".join(name)
                if full not in people:
                    people.append(full)
                continue
        if delim == "," and people:
            in_descriptor = True  # an affiliation after a name: "Jane Doe, Lecturer, UCL"
            continue
        if in_descriptor or _is_descriptor(tokens):
            continue
        unknown.append(seg)
    return tuple(people), tuple(unknown)


def _looks_like_section(line: str) -> bool:
    """Sentence-case section shape: 2–4 words with a lower-case word or '&', no punctuation."""
    if len(line) > 40 or not line[:1].isupper():
        return False
    if any(c in line for c in ",;:!?\"“”()") or line.endswith("."):
        return False
    words = line.split()
    if not 2 <= len(words) <= 4:
        return False
    if words[0].lower() in _GEO_FIRST:
        return True
    return any(w == "&" or (w[:1].islower() and w.lower() not in _PARTICLES) for w in words[1:])


@lru_cache(maxsize=8192)
def classify_meta_line(line: str) -> str | None:
    """Classify a header line after the source: ``"section"``, ``"author"`` or None (undecided).

    A known section, or a sentence-case phrase shaped like one, is a section; a line naming at
    least one person, or an agency byline, is an author line; anything else (an unknown single
    word, a long phrase) is undecided, so that an author is never taken for a section.
    """
    key = line.strip().lower()
    if key in SECTIONS:
        return "section"
    if key.removeprefix("by ") in AGENCY_BYLINES:
        return "author"
    people, unknown = split_authors(line)
    if people:
        return "author"
    if unknown and all(u.lower() in AGENCY_BYLINES for u in unknown):
        return "author"
    if _looks_like_section(line):
        return "section"
    return None
