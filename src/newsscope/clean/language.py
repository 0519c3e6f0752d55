"""Language identification (py3langid) and length measures.

py3langid is fast (about 1 ms per article) and, on news prose of a few hundred characters or
more, reliable; on very short strings it guesses. The cleaning stage therefore measures length
first, removes very short items, and decides on language only for the rest, and only when the
identifier is confident (``language_min_confidence``).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from functools import lru_cache

import pandas as pd

__all__ = ["identify_languages", "count_words"]

_WORD = re.compile(r"\w+(?:['’\-]\w+)*")


@lru_cache(maxsize=1)
def _identifier():
    from py3langid.langid import MODEL_FILE, LanguageIdentifier

    return LanguageIdentifier.from_model_file(MODEL_FILE, norm_probs=True)


def count_words(text: str) -> int:
    """Number of words (runs of letters/digits, with inner apostrophes or hyphens) in ``text``."""
    return len(_WORD.findall(text or ""))


def identify_languages(texts: Sequence[str], max_chars: int = 3000) -> pd.DataFrame:
    """Return ``language`` (ISO 639-1) and ``language_confidence`` for each text.

    Empty texts get language ``""`` and confidence 0.
    """
    ident = _identifier()
    langs, probs = [], []
    for t in texts:
        t = (t or "").strip()
        if not t:
            langs.append("")
            probs.append(0.0)
            continue
        lang, p = ident.classify(t[:max_chars])
        langs.append(str(lang))
        probs.append(round(float(p), 4))
    return pd.DataFrame({"language": langs, "language_confidence": probs})
