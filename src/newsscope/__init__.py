"""newsscope: analyse corpora of news articles.

Parse and clean articles, follow keywords over time, map which actors appear together and find
the topics that structure the coverage. See ``README.md`` and the numbered notebooks.
"""

__version__ = "0.1.0"
