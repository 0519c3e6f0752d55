"""The corpus every notebook analyses, set in one place.

Each numbered notebook has ``corpus = None`` and ``manifest = None`` in its parameters cell and
calls :func:`resolve_corpus`. An explicit value (typed in the cell, or injected by
``newsscope run --corpus ...`` / ``make analysis CORPUS=...``) wins; otherwise the environment
(``NEWSSCOPE_CORPUS``, ``NEWSSCOPE_MANIFEST``), then the file ``data/corpus.toml``::

    [corpus]
    spec = "data/raw/my-pages"     # builtin:newsarticles, builtin:news100, a folder or a table
    manifest = "data/raw/my-manifest.csv"

and last the built-in corpus. Relative paths in the file and in the environment are resolved
against the project root, so a JupyterLab user edits one file and all four notebooks follow. A
relative manifest resolves exactly like a relative corpus path.

Nothing is read at import time.
"""

from __future__ import annotations

import os
import tomllib
from dataclasses import dataclass
from pathlib import Path

from newsscope import paths

__all__ = ["DEFAULT_CORPUS", "CorpusChoice", "corpus_file", "resolve_corpus", "resolve_path"]

DEFAULT_CORPUS = "builtin:newsarticles"
CORPUS_ENV = "NEWSSCOPE_CORPUS"
MANIFEST_ENV = "NEWSSCOPE_MANIFEST"


@dataclass(frozen=True)
class CorpusChoice:
    """The corpus a notebook analyses and where that choice came from.

    Attributes
    ----------
    corpus : str
        A corpus spec (``builtin:NAME``) or an absolute path.
    manifest : str or None
        Absolute path of the manifest, if any.
    origin : str
        ``"parameter"``, ``"environment"``, ``"data/corpus.toml"`` or ``"default"``.
    """

    corpus: str
    manifest: str | None
    origin: str

    @property
    def is_builtin(self) -> bool:
        """True for the built-in corpora (whose tuned defaults the notebooks may use)."""
        return self.corpus.startswith("builtin:")

    @property
    def label(self) -> str:
        """A short name to print: the spec of a built-in corpus, else the file or folder name (no machine path)."""
        return self.corpus if self.is_builtin else Path(self.corpus).name

    @property
    def is_default(self) -> bool:
        """True for the built-in NewsArticles corpus, the one the committed outputs show."""
        return self.corpus == DEFAULT_CORPUS


def corpus_file() -> Path:
    """Return the path of the corpus settings file, ``<root>/data/corpus.toml`` (may not exist)."""
    return paths.data_dir() / "corpus.toml"


def resolve_path(value: str | os.PathLike[str] | None, base: Path | None = None) -> str | None:
    """Return ``value`` as a spec or an absolute path string.

    ``builtin:`` specs are returned unchanged. A relative path is looked up in the current
    folder first, then under ``base`` (default: the project root); when it exists in neither,
    the project-root reading is returned so that the error names a path the user recognises.
    """
    if value is None or str(value).strip() == "":
        return None
    s = str(value).strip()
    if s.startswith("builtin:"):
        return s
    p = Path(s).expanduser()
    if p.is_absolute():
        return str(p)
    root = base if base is not None else paths.project_root()
    for candidate in (Path.cwd() / p, root / p):
        if candidate.exists():
            return str(candidate.resolve())
    return str((root / p).resolve())


def _read_file() -> tuple[str | None, str | None]:
    f = corpus_file()
    if not f.is_file():
        return None, None
    try:
        data = tomllib.loads(f.read_text(encoding="utf-8"))
    except tomllib.TOMLDecodeError as exc:
        raise ValueError(f"{f}: not valid TOML ({exc})") from exc
    section = data.get("corpus", {})
    if not isinstance(section, dict):
        raise ValueError(f"{f}: [corpus] must be a table with 'spec' and optionally 'manifest'")
    spec = section.get("spec")
    manifest = section.get("manifest")
    for name, value in (("spec", spec), ("manifest", manifest)):
        if value is not None and not isinstance(value, str):
            raise ValueError(f"{f}: [corpus] {name} must be a string, got {type(value).__name__}")
    return spec or None, manifest or None


def resolve_corpus(corpus: str | os.PathLike[str] | None = None,
                   manifest: str | os.PathLike[str] | None = None) -> CorpusChoice:
    """Return the corpus and manifest a notebook should analyse.

    Parameters
    ----------
    corpus : str or path, optional
        The notebook's ``corpus`` parameter; None defers to the environment, then
        ``data/corpus.toml``, then ``builtin:newsarticles``.
    manifest : str or path, optional
        The notebook's ``manifest`` parameter; None takes the manifest of wherever the corpus
        came from (an explicit corpus with no manifest has none).

    Returns
    -------
    CorpusChoice

    Raises
    ------
    ValueError
        When ``data/corpus.toml`` exists but is malformed (the message names the file).
    """
    if corpus is not None and str(corpus).strip():
        return CorpusChoice(resolve_path(corpus), resolve_path(manifest), "parameter")  # type: ignore[arg-type]
    env_corpus = os.environ.get(CORPUS_ENV, "").strip()
    if env_corpus:
        env_manifest = manifest if manifest is not None else os.environ.get(MANIFEST_ENV)
        return CorpusChoice(resolve_path(env_corpus), resolve_path(env_manifest), "environment")  # type: ignore[arg-type]
    file_spec, file_manifest = _read_file()
    if file_spec:
        return CorpusChoice(resolve_path(file_spec), resolve_path(manifest if manifest is not None else file_manifest),  # type: ignore[arg-type]
                            "data/corpus.toml")
    return CorpusChoice(DEFAULT_CORPUS, resolve_path(manifest), "default")
