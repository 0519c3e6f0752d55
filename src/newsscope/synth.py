"""Synthetic aggregator pages: render articles in the inkl capture format, with known answers.

:func:`generate_pages` writes N page files rendered from an article table (e.g. the built-in
corpus) in the format of the seed page — header, source twice, section, author lines in all
their forms, title, lead photo (alt text, caption, credit), in-body photos and galleries,
bullets, live-blog headings, ``Updated`` stamps, newsletter promotions, the sign-up footer —
with perturbations: captures cut mid-sentence, header-less captures, and encodings (UTF-8 with
BOM, CRLF, UTF-16, Windows-1252, no-break spaces). It writes a manifest (the page files lack
dates and URLs) and the expected parse of every page, so benchmarks and tests can measure both
speed and correctness.

Layout of ``out_dir``::

    pages/000/000000_<id>.txt ...   the pages, 1,000 per folder
    manifest.csv                    file,url,published,source  (file relative to pages/)
    truth.jsonl                     expected fields of every page, plus variant and encoding
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from newsscope.corpus import map_outlet
from newsscope.parsing.decode import normalize_text
from newsscope.synth_articles import vary_articles  # noqa: F401 - public here too

__all__ = ["VARIANTS", "ENCODINGS", "RenderedPage", "render_page", "generate_pages", "read_truth", "vary_articles"]

HEADER = "Get all your news in one place.\n100’s of premium titles.\nOne app.\nStart reading"
FOOTER = ("Sign up to read this article\nRead news from 100’s of titles, curated specifically for you.\n"
          "Already a member? Sign in here\nRelated Stories\nTop stories on inkl right now\nOur Picks\n"
          "Fourteen days free\nDownload the app\nOne app. One membership.\n100+ trusted global sources.")

#: Structural variants and their default weights.
VARIANTS: dict[str, float] = {
    "standard": 0.22, "no_section": 0.06, "no_author": 0.06, "no_meta": 0.03, "multi_author": 0.07,
    "live_blog": 0.07, "descriptor_author": 0.05, "agency_byline": 0.03, "no_image": 0.06, "alt_differs": 0.04,
    "credit_line": 0.04, "no_credit": 0.03, "body_images": 0.05, "gallery": 0.03, "bullets": 0.04,
    "newsletter": 0.03, "full_text": 0.04, "cut_body": 0.03, "cut_footer": 0.02, "headerless": 0.03,
}
#: Encoding perturbations and their default weights.
ENCODINGS: dict[str, float] = {"utf-8": 0.86, "utf-8-sig": 0.03, "crlf": 0.03, "utf-16": 0.02, "cp1252": 0.03, "nbsp": 0.03}

_SECTIONS = ("World", "Politics", "US news", "UK news", "Business", "Environment", "Australia news", "Sport",
             "Opinion", "Technology", "Life and style", "Science", "Media", "Global development", "National")
_FIRST = ("Amira", "Tomás", "Léonie", "Kwame", "Freya", "Dmitri", "Siobhán", "Ravi", "Ines", "Jonah", "Mei",
          "Oskar", "Zainab", "Hugo", "Priya", "Mateo", "Ingrid", "Femi", "Chloé", "Anders", "Nadia", "Lucas")
_LAST = ("Okafor", "Lindqvist", "Brennan", "Castañeda", "Haddad", "Novak", "Whitfield", "Ó Ceallaigh",
         "Nakamura", "Delacroix", "Mbeki-Stone", "Van der Berg", "Albuquerque", "Sørensen", "Ferreira",
         "Kowalczyk", "MacLeod", "Rahman", "de Souza", "Osei", "Petrov", "Ellison")
_PLACES = ("Washington", "Brussels", "Nairobi", "Canberra", "Kyiv", "Beijing", "São Paulo", "Delhi")
_AFFIL = ("PhD Candidate in Anthropology, UCL", "Senior Lecturer in Politics, University of Leeds",
          "Associate Professor of Economics, Monash University", "Research Fellow, Lowy Institute")
_CREDITS = ("Ludovic Marin/AFP/Getty Images", "Reuters", "AP", "Anadolu Agency/Getty Images", "EPA",
            "Alamy", "Mark Chalmers/The Guardian", "Sipa USA/Rex/Shutterstock", "Guardian Design")
_CREDIT_WORDS = ("Photograph", "Photograph", "Photograph", "Photo", "Illustration", "Composite")
_HEADINGS = ("Summary", "Closing summary", "What we learned today", "Key events")
_AGENCY = ("Guardian staff and agencies", "Reuters", "Staff and agencies")
_SENT_RE = re.compile(r"(?<=[.!?])[\"”’]?\s+(?=[A-Z“\"])")


@dataclass
class RenderedPage:
    """One rendered page: its text and the fields a correct parser returns for it."""

    text: str
    truth: dict[str, Any] = field(default_factory=dict)


def _clean(s: Any) -> str:
    return " ".join(normalize_text(s).split()) if isinstance(s, str) else ""


def _paragraphs(text: str, rng: np.random.Generator) -> list[str]:
    sentences = [s for s in (_clean(x) for x in _SENT_RE.split(text)) if s]
    paras, i = [], 0
    while i < len(sentences):
        k = int(rng.integers(1, 4))
        paras.append(" ".join(sentences[i:i + k]))
        i += k
    return paras


def _name(rng: np.random.Generator) -> str:
    return f"{_FIRST[rng.integers(len(_FIRST))]} {_LAST[rng.integers(len(_LAST))]}"


def _names(rng: np.random.Generator, k: int) -> list[str]:
    out: list[str] = []
    while len(out) < k:
        n = _name(rng)
        if n not in out:
            out.append(n)
    return out


def _join_names(names: list[str], rng: np.random.Generator) -> str:
    if len(names) == 1:
        return names[0]
    comma = (", ", " , ", ",")[int(rng.integers(3))]
    return comma.join(names[:-1]) + " and " + names[-1]


def _author_line(variant: str, rng: np.random.Generator) -> tuple[str, list[str]]:
    if variant == "multi_author":
        names = _names(rng, int(rng.integers(2, 5)))
        return _join_names(names, rng), names
    if variant == "live_blog":
        names = _names(rng, int(rng.integers(2, 5)))
        form = int(rng.integers(4))
        if form == 0:
            return f"{names[0]} (now) and {_join_names(names[1:], rng)} (earlier)", names
        if form == 1:
            return f"{names[0]} (now); {_join_names(names[1:], rng)} (earlier)", names
        if form == 2:
            return "(earlier) " + ", ".join(names), names
        return f"{names[0]} (first) and {names[1]} (second)", names[:2]
    if variant == "descriptor_author":
        form = int(rng.integers(3))
        name = _name(rng)
        if form == 0:
            other = _name(rng)
            if other == name:
                return f"{name} in {_PLACES[rng.integers(len(_PLACES))]}", [name]
            return f"{name} in {_PLACES[rng.integers(len(_PLACES))]} and {other}", [name, other]
        if form == 1:
            return f"{name} with Guardian writers", [name]
        return f"{name}, {_AFFIL[rng.integers(len(_AFFIL))]}", [name]
    if variant == "agency_byline":
        return _AGENCY[rng.integers(len(_AGENCY))], []
    name = _name(rng)
    return name, [name]


def _photo(article: dict[str, Any], rng: np.random.Generator, alt_differs: bool = False) -> tuple[str, str, str]:
    """Return (alt, caption without credit, credit) for a photo about the article."""
    basis = (_clean(article.get("standfirst")) or _clean(article.get("title"))).lstrip("-•*–—·▪ ") or "A street scene"
    words = basis.split()
    alt = " ".join(words[: int(rng.integers(5, 10))]).rstrip(".,;:") or "A street scene"
    if alt_differs:
        alt = f"{_name(rng)} speaks to reporters outside the building"
        caption = f"{' '.join(words[:8]).rstrip('.,;:')}, shown in a file picture from last year."
    else:
        caption = f"{alt}, seen earlier this week in {_PLACES[rng.integers(len(_PLACES))]}."
    return alt, caption, _CREDITS[rng.integers(len(_CREDITS))]


def _credit(credit: str, rng: np.random.Generator) -> str:
    return f"{_CREDIT_WORDS[rng.integers(len(_CREDIT_WORDS))]}: {credit}"


def render_page(article: dict[str, Any], variant: str, rng: np.random.Generator) -> RenderedPage | None:
    """Render one article as an aggregator page in ``variant``; None if it has too little text.

    Parameters
    ----------
    article : dict
        A row of the article table (``title``, ``text``, optionally ``standfirst``, ``url``).
    variant : str
        One of :data:`VARIANTS`.
    rng : numpy.random.Generator

    Returns
    -------
    RenderedPage or None
        The page text (UTF-8 str, LF line ends) and its expected parse (``source``,
        ``section``, ``authors``, ``title``, ``captions``, ``image_credits``, ``text``,
        ``paywalled``).
    """
    title = _clean(article.get("title"))
    paras = _paragraphs(str(article.get("text") or ""), rng)
    if not title or len(paras) < 3:
        return None
    source = map_outlet(article.get("url")) or _clean(article.get("source")) or "Newswire"
    truth: dict[str, Any] = {"source": source, "section": None, "authors": [], "title": title, "captions": [],
                             "image_credits": [], "paywalled": False}
    headerless = variant == "headerless"
    # meta lines
    meta = [source, source]
    if variant not in ("no_section", "no_meta") and not headerless:
        truth["section"] = _SECTIONS[rng.integers(len(_SECTIONS))]
        meta.append(truth["section"])
    if variant not in ("no_author", "no_meta") and not headerless:
        line, truth["authors"] = _author_line(variant, rng)
        meta.append(line)
    # body blocks: ("p", text) paragraphs, ("raw", lines) blocks kept out of the text, ("bul", lines)
    paywalled = variant not in ("full_text", "cut_body") and (variant in ("cut_footer", "headerless") or rng.random() < 0.8)
    keep = len(paras) if not paywalled else max(2, min(len(paras), int(rng.integers(4, 14))))
    blocks: list[tuple[str, list[str]]] = [("p", [p]) for p in paras[:keep]]
    captions: list[str] = []
    credits: list[str] = []
    lead: list[str] = []
    if variant not in ("no_image",):
        alt, cap, cred = _photo(article, rng, alt_differs=variant == "alt_differs")
        if headerless:
            lead = [alt, f"{cap} {_credit(cred, rng)}"]
            captions, credits = [cap], [cred]
        elif variant == "credit_line":
            lead = [alt, cap, _credit(cred, rng)]
            captions, credits = [cap], [cred]
        elif variant == "no_credit":
            lead = [alt, cap]
            captions = [cap]
        else:
            lead = [alt, f"{cap} {_credit(cred, rng)}"]
            captions = [alt, cap] if variant == "alt_differs" else [cap]
            credits = [cred]
    body_captions: list[tuple[int, list[str], list[str], list[str]]] = []
    if variant in ("body_images", "gallery") and len(blocks) >= 3:
        pos = int(rng.integers(1, len(blocks)))
        n_photos = int(rng.integers(2, 4)) if variant == "gallery" else 1
        lines, caps, creds = [], [], []
        for _ in range(n_photos):
            alt, cap, cred = _photo({"title": blocks[int(rng.integers(len(blocks)))][1][0]}, rng)
            lines += [alt, f"{cap} {_credit(cred, rng)}"]
            caps.append(cap)
            creds.append(cred)
        body_captions.append((pos, lines, caps, creds))
        blocks.insert(pos, ("photo", lines))
    if variant == "bullets" and len(blocks) >= 3:
        pos = int(rng.integers(1, len(blocks)))
        items = [f"• {s}" for s in _SENT_RE.split(blocks[pos][1][0]) if s.strip()][:4]
        if len(items) >= 2:
            blocks[pos] = ("bul", [" ".join(i.split()) for i in items])
    if variant == "live_blog":
        blocks.insert(0, ("p", [_HEADINGS[rng.integers(len(_HEADINGS))]]))
        pos = int(rng.integers(1, len(blocks)))
        blocks.insert(pos, ("raw", [f"Updated at {int(rng.integers(6, 23))}.{int(rng.integers(0, 60)):02d} BST"]))
        bul = [f"• {s}" for s in _SENT_RE.split(blocks[-1][1][0]) if s.strip()][:3]
        if len(bul) >= 2 and blocks[-1][0] == "p":
            blocks[-1] = ("bul", [" ".join(i.split()) for i in bul])
    if variant == "newsletter" and len(blocks) >= 3:
        pos = int(rng.integers(1, len(blocks)))
        blocks.insert(pos, ("raw", ["skip past newsletter promotion"]))
        blocks.insert(pos + 1, ("raw", ["Privacy Notice: Newsletters may contain info about charities, online ads, and content funded by outside parties."]))
        blocks.insert(pos + 2, ("raw", ["after newsletter promotion"]))
    if variant in ("cut_body", "cut_footer"):
        last = max(i for i, (k, _) in enumerate(blocks) if k == "p")
        text = blocks[last][1][0]
        cut = int(rng.integers(max(1, len(text) // 4), max(2, len(text) - 1)))
        frag = text[:cut].rstrip()
        if " " not in frag:
            frag = text.split(" ", 1)[0]
        blocks = blocks[:last] + [("p", [frag])]
        if variant == "cut_body" and frag.endswith((".", "!", "?", "”", '"', "’", ")")):
            blocks[-1] = ("p", [frag + " and"])
    # assemble
    text_paras: list[str] = []
    for kind, lines in blocks:
        if kind == "p":
            text_paras.append(lines[0])
        elif kind == "bul":
            text_paras.extend(lines) if headerless else text_paras.append("\n".join(lines))
    body_caps = [c for _, _, caps, _ in body_captions for c in caps]
    body_creds = [c for _, _, _, creds in body_captions for c in creds]
    truth["captions"] = captions + body_caps
    truth["image_credits"] = credits + body_creds
    truth["text"] = "\n\n".join(text_paras)
    truth["paywalled"] = paywalled
    if headerless:
        body_lines = lead + [line for _, lines in blocks for line in lines]
        page = "\n".join(body_lines)
        truth.update({"source": None, "title": ""})
    else:
        sep = "\n\n"
        parts = [HEADER + "\n" + "\n".join(meta), title]
        if lead:
            parts.append("\n".join(lead))
        for kind, lines in blocks:
            parts.append("\n".join(("  " + x if kind == "bul" else x) for x in lines))
        page = sep.join(parts)
    if paywalled:
        page += "\n\n" + FOOTER
    return RenderedPage(page, truth)


def _encode(text: str, encoding: str, rng: np.random.Generator) -> tuple[bytes, str]:
    if encoding == "utf-8-sig":
        return text.encode("utf-8-sig"), encoding
    if encoding == "crlf":
        return text.replace("\n", "\r\n").encode("utf-8"), encoding
    if encoding == "utf-16":
        return text.encode("utf-16"), encoding
    if encoding == "cp1252":
        try:
            return text.encode("cp1252"), encoding
        except UnicodeEncodeError:
            return text.encode("utf-8"), "utf-8"
    if encoding == "nbsp":
        words = text.split(" ")
        marks = rng.random(len(words) - 1) < 0.05 if len(words) > 1 else []
        out = words[0] + "".join(("\u00a0" if m else " ") + w for m, w in zip(marks, words[1:]))
        return out.encode("utf-8"), encoding
    return text.encode("utf-8"), "utf-8"


def _pick(weights: dict[str, float], only: list[str] | None, rng: np.random.Generator, size: int) -> np.ndarray:
    names = [k for k in weights if only is None or k in only]
    if not names:
        raise ValueError(f"no known names among {only}; choose from {list(weights)}")
    p = np.array([weights[k] for k in names], dtype=float)
    return np.array(names, dtype=object)[rng.choice(len(names), size=size, p=p / p.sum())]


def generate_pages(articles: pd.DataFrame, out_dir: str | Path, n: int, seed: int = 0, *,
                   variants: list[str] | None = None, encodings: list[str] | None = None,
                   manifest_coverage: float = 1.0, replace: bool = True) -> pd.DataFrame:
    """Write ``n`` aggregator pages rendered from ``articles`` into ``out_dir``.

    Parameters
    ----------
    articles : pandas.DataFrame
        An article table with ``title`` and ``text`` (and ``url``, ``published``,
        ``standfirst``, ``source`` when available), e.g. ``load_corpus("builtin:newsarticles")``.
        Articles are drawn with replacement, so ``n`` may exceed its length.
    out_dir : str or Path
        Target folder; pages go to ``out_dir/pages``, plus ``manifest.csv`` and ``truth.jsonl``.
    n : int
        Number of pages.
    seed : int
        Random seed: the same inputs and seed give byte-identical files.
    variants, encodings : list of str, optional
        Restrict to these structural variants (:data:`VARIANTS`) / encodings (:data:`ENCODINGS`).
    manifest_coverage : float
        Share of pages listed in the manifest (the rest test "no manifest entry" handling).
    replace : bool
        True (default): draw articles at random with replacement. False: each article once, in a
        random order, e.g. for a table made by :func:`vary_articles` whose rows are all distinct
        stories. Articles too short to render (fewer than three paragraphs) are skipped, and the
        order starts over when it runs out, so ask for a few more articles than ``n`` to be
        sure that none is rendered twice.

    Returns
    -------
    pandas.DataFrame
        The manifest (``file``, ``url``, ``published``, ``source``) for every page, with the
        page's ``variant``, ``encoding`` and ``in_manifest``; ``file`` is relative to
        ``out_dir/pages``.
    """
    out_dir = Path(out_dir)
    pages_dir = out_dir / "pages"
    pages_dir.mkdir(parents=True, exist_ok=True)
    rng = np.random.default_rng(seed)
    usable = articles[articles["title"].fillna("").str.strip().ne("") & articles["text"].fillna("").str.len().ge(300)]
    if usable.empty:
        raise ValueError("no usable articles (need a title and at least 300 characters of text)")
    rows = usable.to_dict("records")
    chosen_variants = _pick(VARIANTS, variants, rng, n)
    chosen_enc = _pick(ENCODINGS, encodings, rng, n)
    order = None if replace else np.random.default_rng([seed, 1]).permutation(len(rows))
    manifest, truths = [], []
    i = 0
    attempts = 0
    while i < n:
        attempts += 1
        if attempts > 20 * n + 100:
            raise ValueError("could not render enough pages from these articles")
        art = rows[int(rng.integers(len(rows)))] if order is None else rows[int(order[(attempts - 1) % len(rows)])]
        page = render_page(art, str(chosen_variants[i]), rng)
        if page is None:
            continue
        data, enc = _encode(page.text, str(chosen_enc[i]), rng)
        ident = f"{int(rng.integers(16**6)):06x}"
        rel = f"{i // 1000:03d}/{i:06d}_{ident}.txt"
        path = pages_dir / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)
        pub = art.get("published")
        pub_s = pd.Timestamp(pub).date().isoformat() if pub is not None and not pd.isna(pub) else ""
        url = art.get("url") or ""
        outlet = map_outlet(url) or _clean(art.get("source")) or ""
        listed = bool(rng.random() < manifest_coverage)
        manifest.append({"file": rel, "url": url, "published": pub_s, "source": outlet, "variant": chosen_variants[i],
                         "encoding": enc, "in_manifest": listed})
        truths.append({"file": rel, "variant": str(chosen_variants[i]), "encoding": enc, **page.truth})
        i += 1
    frame = pd.DataFrame(manifest, columns=["file", "url", "published", "source", "variant", "encoding", "in_manifest"])
    frame.loc[frame["in_manifest"], ["file", "url", "published", "source"]].to_csv(out_dir / "manifest.csv", index=False)
    with open(out_dir / "truth.jsonl", "w", encoding="utf-8") as fh:
        for t in truths:
            fh.write(json.dumps(t, ensure_ascii=False) + "\n")
    return frame


def read_truth(out_dir: str | Path) -> pd.DataFrame:
    """Return the expected parse of the pages written by :func:`generate_pages`."""
    return pd.read_json(Path(out_dir) / "truth.jsonl", lines=True, dtype=False)
