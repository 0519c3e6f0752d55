"""Cleaning settings: every threshold of the cleaning stage, documented, in one dataclass.

The values below were chosen on the built-in NewsArticles corpus; the notebook
``01-clean-articles`` shows the examples and distributions behind each of them. Every field is
part of the cache key of :func:`newsscope.clean.load_clean`, so changing one recomputes the
cleaned table.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, fields
from typing import Any

__all__ = ["CleanSettings", "CLEAN_VERSION"]

#: Version of the cleaning code; part of the cache key. Bump it whenever a change to the code
#: changes the output for the same input and settings.
CLEAN_VERSION = "2025.2"


@dataclass(frozen=True)
class CleanSettings:
    """Thresholds and switches of the cleaning stage.

    Parameters
    ----------
    repair_text : bool
        Apply the text repairs (ftfy, lost quotes and spaces, glued hyphens, CSV residue).
    hyphen_compound_prior : float
        Glued hyphens: prior probability that a hyphenated pair of capitalised words is a real
        compound (divided by 100 for pairs with a function word). A pair is unglued when its
        hyphenated and spaced counts per outlet, given each outlet's glue rate, make a glued
        space more probable than a compound; pairs whose spaced form never occurs are always
        kept. See :mod:`newsscope.clean.hyphens`.
    hyphen_content_prior : float
        The same prior for other pairs (lower-case content words are usually compound
        modifiers: ``first-floor apartment``); higher, so only strong evidence unglues them.
    extract_fields : bool
        Move datelines, outlet tags, bylines and trailing credits out of the body into fields.
    boilerplate : bool
        Remove repeated leading/trailing passages found from the data (per outlet).
    boilerplate_ngram : int
        Word n-gram length used to find repeated passages.
    boilerplate_min_docs : int
        An n-gram is boilerplate when it opens or closes at least this many distinct articles of
        one outlet ...
    boilerplate_min_share : float
        ... and at least this share of the outlet's articles.
    boilerplate_edge_tokens : int
        Only the first and last this-many words of an article are searched for boilerplate.
    boilerplate_min_span : int
        A repeated passage that does not start at a sentence boundary is removed only when it is
        at least this many words long (short ones such as "he said in a statement." stay).
    min_words : int
        Articles with fewer words in the cleaned body are removed as too short (video blurbs,
        photo galleries, fragments). Chosen from the length distribution in the notebook.
    language : str
        The analysis language (ISO 639-1); other languages are removed.
    language_min_confidence : float
        A text is removed as another language only when py3langid's normalised probability for
        that language is at least this high; below it the text is kept with a warning.
    language_chars : int
        Characters of the body given to the language identifier.
    shingle_size : int
        Near-duplicates: word n-gram (shingle) length.
    num_perm : int
        Near-duplicates: number of MinHash values per document (one-permutation hashing).
    lsh_bands : int
        Near-duplicates: LSH bands (``num_perm`` must be a multiple); rows per band =
        ``num_perm / lsh_bands``. 16 bands x 4 rows find pairs with Jaccard 0.65 with
        probability 0.96.
    near_duplicate_threshold : float
        Two articles are near-duplicates when the Jaccard similarity of their word-3-gram
        shingle sets (computed exactly for the LSH candidates) is at least this. 0.65 separates
        wire copy and updated versions (0.67-0.91 in the built-in corpus) from different
        stories that share background paragraphs (0.51-0.60); see the notebook.
    min_shingles : int
        Documents with fewer shingles take part only in exact deduplication.
    preview_min_containment : float or None
        A paywalled article (the sign-up wall cut it) is merged as a near duplicate into a longer
        article of the same title that holds at least this share of its shingles (the overlap
        coefficient; see :func:`newsscope.clean.dedup.preview_pairs`); its ``similarity`` is
        that share. None: previews are only merged by the Jaccard rule.
    max_bucket : int
        LSH buckets larger than this are linked as a star (each member to the bucket's first
        member) instead of all pairs, which bounds the work on huge clusters.
    date_window_days : int
        Date outliers: a date is an outlier when fewer than ``date_min_neighbours`` articles
        (and fewer than ``date_min_neighbour_share`` of the dated articles) were published
        within this many days of it.
    date_min_neighbours : int
        See ``date_window_days``.
    date_min_neighbour_share : float
        See ``date_window_days``.
    drop_date_outliers : bool
        Remove date outliers from the analysis set (default: keep them, flagged in
        ``date_status``).
    """

    repair_text: bool = True
    hyphen_compound_prior: float = 0.01
    hyphen_content_prior: float = 0.2
    extract_fields: bool = True
    boilerplate: bool = True
    boilerplate_ngram: int = 5
    boilerplate_min_docs: int = 5
    boilerplate_min_share: float = 0.01
    boilerplate_edge_tokens: int = 80
    boilerplate_min_span: int = 8
    min_words: int = 40
    language: str = "en"
    language_min_confidence: float = 0.9
    language_chars: int = 1000
    shingle_size: int = 3
    num_perm: int = 64
    lsh_bands: int = 16
    near_duplicate_threshold: float = 0.65
    min_shingles: int = 5
    preview_min_containment: float | None = 0.9
    max_bucket: int = 200
    date_window_days: int = 30
    date_min_neighbours: int = 5
    date_min_neighbour_share: float = 0.005
    drop_date_outliers: bool = False

    def __post_init__(self) -> None:
        if self.num_perm % self.lsh_bands:
            raise ValueError(f"num_perm ({self.num_perm}) must be a multiple of lsh_bands ({self.lsh_bands})")
        if not 0 < self.near_duplicate_threshold <= 1:
            raise ValueError(f"near_duplicate_threshold must be in (0, 1], got {self.near_duplicate_threshold}")
        if self.min_words < 0:
            raise ValueError(f"min_words must be >= 0, got {self.min_words}")

    @classmethod
    def from_kwargs(cls, **settings: Any) -> "CleanSettings":
        """Return settings with ``settings`` overriding the defaults; unknown names are an error."""
        known = {f.name for f in fields(cls)}
        unknown = sorted(set(settings) - known)
        if unknown:
            raise TypeError(f"unknown cleaning setting(s) {unknown}; known: {sorted(known)}")
        return cls(**settings)

    def to_dict(self) -> dict[str, Any]:
        """Return the settings as a plain dict (for cache keys and reports)."""
        return asdict(self)
