"""Captions of the exported figures, for the gallery of the report's front page.

Figures are named ``NN-slug`` by ``plots.save_figure``; the slug is stable across corpora and
reruns, so captions are kept here by name. A figure without an entry is captioned from its slug
(``02-keyness-outlet`` -> "Keyness outlet"), so a new figure still shows up, and
``tests/test_report.py`` names the committed figures that lack a caption.
"""

from __future__ import annotations

__all__ = ["CAPTIONS", "caption_of"]

CAPTIONS: dict[str, str] = {
    "01-text-length": "Length of the cleaned bodies, with the minimum length below which items are removed.",
    "01-near-duplicates": "Near-duplicate pairs by Jaccard similarity of word 3-gram shingles, with the threshold.",
    "01-coverage": "Articles per day and outlet: which outlets cover which days.",
    "01-funnel": "The cleaning funnel: articles kept and removed at each step, with the reasons.",
    "02-volume": "Articles per day and outlet.",
    "02-keyword-trends": "Share of articles mentioning each keyword, with 95 % Wilson intervals and the outlet-balanced share.",
    "02-outlet-breakdown": "The first keyword's share per outlet and week: who drives the trend.",
    "02-burst-timeline": "The strongest bursts of the whole vocabulary (Kleinberg), with their peak days.",
    "02-keyness-outlet": "Keyness: terms one outlet uses more (and less) than all the others (G² and log ratio).",
    "02-keyness-period": "Keyness: terms of the strongest burst period against the rest of the coverage.",
    "03-network": "The co-occurrence network of the most mentioned actors, coloured by community.",
    "03-ego": "One actor's strongest partners, by G² of their co-occurrence.",
    "03-outlets": "The same actor's partners in different outlets.",
    "03-trends": "Share of each week's articles naming the most covered actors.",
    "04-model-selection": "Choosing the number of topics: coherence (NPMI) and stability for each k.",
    "04-topics-over-time": "Each topic's share of the documents published in each time bin.",
    "04-topics-by-outlet": "Each topic's share of each outlet's documents.",
    "04-document-map": "A map of the documents (t-SNE of an LSA projection), coloured by dominant topic.",
    "04-topic-stability": "How well each topic replicates under other seeds and 90 % subsamples; unstable topics hatched.",
    "04-section-agreement": "Agreement (NMI) of the topics with the sections outlets put in their URLs, beside scikit-learn's NMF.",
}


def caption_of(name: str) -> str:
    """Return the caption of figure ``NN-slug`` (from :data:`CAPTIONS`, else made from the slug)."""
    if name in CAPTIONS:
        return CAPTIONS[name]
    slug = name.split("-", 1)[1] if "-" in name else name
    words = slug.replace("-", " ").strip()
    return (words[:1].upper() + words[1:] + ".") if words else name
