"""Page parsers: aggregator captures (inkl), a plain-text fallback, decoding and accounting.

Public API
----------
parse_paths(paths, root=None, progress=False) -> ParseResult
    Files and folders -> article table + rejected files + an accounting of every file.
parse_page(text, origin) -> dict
    One page's text -> one article record (keys of ``newsscope.schema.ARTICLE_COLUMNS``).
read_page_file(path) -> PageFile
    Bytes -> decoded, normalised text with warnings, or a rejection reason.
explain_page(text) -> DataFrame
    The role of every line (header, source, section, authors, title, caption, body, ...).
split_authors(line) -> (people, unknown)
    An author line -> the people it names.

Modules: :mod:`~newsscope.parsing.decode` (bytes and encodings), :mod:`~newsscope.parsing.inkl`
(page structure), :mod:`~newsscope.parsing.body` (paragraphs and photos),
:mod:`~newsscope.parsing.authors` (bylines), :mod:`~newsscope.parsing.plain` (fallback),
:mod:`~newsscope.parsing.boilerplate` (fixed lines and credits), :mod:`~newsscope.parsing.page`
(dispatch and line roles), :mod:`~newsscope.parsing.files` (folders and accounting); saved web
pages: :mod:`~newsscope.parsing.html` (HTML pages, through trafilatura),
:mod:`~newsscope.parsing.archives` (compressed copies, ZIP members), :mod:`~newsscope.parsing.warc`
(WARC/ARC records), :mod:`~newsscope.parsing.inputs` (one file -> its inputs -> outcomes). The
command ``newsscope parse`` is :mod:`newsscope.cli_parse` (the command-line layer).
"""

from newsscope.parsing.authors import classify_meta_line, split_authors
from newsscope.parsing.decode import MAX_BYTES, NON_PAGE_SUFFIXES, REJECTION_REASONS, PageFile, decode_bytes, normalize_text, read_page_file
from newsscope.parsing.files import ACCOUNTING_COLUMNS, OUTCOMES, ParseResult, list_page_files, parse_paths, summarize_accounting
from newsscope.parsing.page import ROLES, ParsedPage, explain_page, parse_page, parse_text

__all__ = [
    "ACCOUNTING_COLUMNS",
    "MAX_BYTES",
    "NON_PAGE_SUFFIXES",
    "OUTCOMES",
    "REJECTION_REASONS",
    "ROLES",
    "PageFile",
    "ParseResult",
    "ParsedPage",
    "classify_meta_line",
    "decode_bytes",
    "explain_page",
    "list_page_files",
    "normalize_text",
    "parse_page",
    "parse_paths",
    "parse_text",
    "read_page_file",
    "split_authors",
    "summarize_accounting",
]
