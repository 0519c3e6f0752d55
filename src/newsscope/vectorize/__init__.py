"""Tokenizer, stop words, phrases and the scikit-learn compatible :class:`NewsVectorizer`.

Public API::

    tokenize(text) -> list[str]
    NewsVectorizer(...).fit(articles_or_texts, sources=..., datelines=...)
    load_dtm(corpus, manifest=None, articles=None, **settings) -> DocTermMatrix   # cached
    tfidf(dtm_or_X) -> scipy.sparse.csr_matrix
"""

from newsscope.vectorize.tokens import (
    DATE_WORDS, FUNCTION_WORDS, GENERIC_WORDS, NEWS_FUNCTION_WORDS, news_stop_words, tokenize, tokenize_chunks,
)
from newsscope.vectorize.vectorizer import NewsVectorizer, document_texts

__all__ = [
    "tokenize", "tokenize_chunks", "news_stop_words", "FUNCTION_WORDS", "NEWS_FUNCTION_WORDS", "GENERIC_WORDS",
    "DATE_WORDS", "NewsVectorizer", "document_texts",
]

from newsscope.vectorize.dtm import DocTermMatrix, build_dtm, load_dtm, tfidf  # noqa: E402

__all__ += ["DocTermMatrix", "build_dtm", "load_dtm", "tfidf"]
