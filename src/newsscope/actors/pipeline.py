"""The cached entry point :func:`load_actors` and its result, :class:`ActorNetwork`.

``load_actors(corpus)`` runs the whole stage: cleaned articles (``load_clean``) -> NER (cached per
document) -> alias resolution -> co-occurrence at sentence and article level -> filtered edges
with evidence -> graph with communities and centrality. The resolved mentions are cached under
``data/processed/actors/resolved`` keyed by the documents, the settings and the actor
dictionary's content, so a warm rerun only rebuilds the (fast) counts and graph.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field, replace
from pathlib import Path
from typing import Any

import networkx as nx
import pandas as pd

from newsscope import cache, paths
from newsscope.actors import cooccur, network, tables
from newsscope.actors.aliases import AliasResolver
from newsscope.actors.dictionary import ActorDictionary, read_dictionary
from newsscope.actors.ner import NerSettings, describe_settings, document_texts, extract_mentions, hash_text

__all__ = ["ActorSettings", "ActorNetwork", "load_actors", "analyse_mentions", "build_network", "code_version", "RESULT_FILES"]

#: Files written by :meth:`ActorNetwork.write_results` into ``paths.results_dir()``.
RESULT_FILES = ("actors.csv", "actor_aliases.csv", "actor_edges.csv", "actors.graphml", "actors.gexf")
_VERSION = 1


@dataclass(frozen=True)
class ActorSettings:
    """Everything that changes the actor results (part of the cache keys).

    Parameters
    ----------
    model, sentences, fields
        NER settings, see :class:`~newsscope.actors.ner.NerSettings`.
    norp : {"country", "keep", "drop"}
        NORP mentions: nationality -> country (others dropped), keep all as NORP actors, or drop.
    surname_dominance, acronym_dominance : float
        See :class:`~newsscope.actors.aliases.AliasResolver`.
    dictionary : str or None
        Actor dictionary CSV (None: ``data/actors.csv``; ``""``: none).
    unit : {"sentence", "article"}
        Co-occurrence unit of the network and of ``actor_edges.csv``.
    min_mentions : int
        Actors with fewer mentions stay out of the network (still in the tables).
    min_count : int
        Minimum co-occurrences for an edge.
    alpha : float or None
        Significance level for G² (None: no significance filter).
    correction : {"fdr", "bonferroni", None}
        Multiple-testing correction over the pairs tested.
    backbone : float or None
        Disparity-filter alpha (None: keep all significant edges).
    weight : str
        Edge weight for communities, layouts and the disparity filter (``cooccurrences`` or ``npmi``).
    resolution : float
        Louvain resolution (higher: more, smaller communities).
    random_state : int
        Seed of the community detection.
    centrality_top : int or None
        Betweenness and eigenvector centrality are computed among this many most mentioned
        actors (None: all; exact betweenness on thousands of actors takes minutes).
    """

    model: str | None = None
    sentences: str = "senter"
    fields: tuple[str, ...] = ("title", "text")
    norp: str = "country"
    surname_dominance: float = 0.85
    acronym_dominance: float = 0.8
    dictionary: str | None = None
    unit: str = "sentence"
    min_mentions: int = 5
    min_count: int = 3
    alpha: float | None = 0.01
    correction: str | None = "fdr"
    backbone: float | None = None
    weight: str = "cooccurrences"
    resolution: float = 1.0
    random_state: int = 0
    centrality_top: int | None = 300

    @property
    def ner(self) -> NerSettings:
        """The NER part of the settings."""
        return NerSettings(model=self.model, sentences=self.sentences, fields=tuple(self.fields))


@dataclass
class ActorNetwork:
    """Actors of a corpus and their co-occurrence network, with the evidence behind every edge.

    Attributes
    ----------
    settings : ActorSettings
    articles : pandas.DataFrame
        doc_id, source, published, title of the analysed articles.
    texts : dict
        doc_id -> the text NER saw (title and body); sentence offsets point into it.
    mentions : pandas.DataFrame
        Resolved mentions: doc_id, sent, start, end, text, label, surface, key, actor,
        actor_type, rule, drop, candidates.
    sentences : pandas.DataFrame
        doc_id, sent, start, end.
    counts : dict
        ``"sentence"`` and ``"article"`` -> :class:`~newsscope.actors.cooccur.Cooccurrence`.
    actors : pandas.DataFrame
        actor, type, mentions, docs, degree, community, strength, betweenness, eigenvector, wikidata.
    aliases, unresolved, acronyms : pandas.DataFrame
    edges : pandas.DataFrame
        The network's edges at ``settings.unit``: source, target, cooccurrences, npmi, llr,
        p_value, example_doc_ids, example_sentence, docs, expected, p_adjusted.
    graph : networkx.Graph
    resolver : AliasResolver
    """

    settings: ActorSettings
    articles: pd.DataFrame
    texts: dict[str, str]
    mentions: pd.DataFrame
    sentences: pd.DataFrame
    counts: dict[str, cooccur.Cooccurrence]
    actors: pd.DataFrame
    aliases: pd.DataFrame
    unresolved: pd.DataFrame
    acronyms: pd.DataFrame
    edges: pd.DataFrame
    graph: nx.Graph
    resolver: AliasResolver
    info: dict[str, Any] = field(default_factory=dict)

    def evidence(self, a: str, b: str, unit: str | None = None) -> pd.DataFrame:
        """Every sentence (or article) where ``a`` and ``b`` co-occur, with doc ids and text."""
        unit = unit or self.settings.unit
        out = cooccur.edge_evidence(self.counts[unit], a, b, self.texts, sentence_co=self.counts["sentence"])
        meta = self.articles.set_index("doc_id")[["source", "published", "title"]]
        return out.join(meta, on="doc_id")[["doc_id", "source", "published", "title", "sent", "sentence"]]

    def partners(self, actor: str) -> pd.DataFrame:
        """The network neighbours of ``actor`` with the edge measures (strongest first)."""
        return network.ego_partners(self.graph, actor)

    def ego(self, actor: str, top_n: int | None = 20) -> nx.Graph:
        """``actor`` and its ``top_n`` strongest neighbours (see :func:`network.ego_network`)."""
        return network.ego_network(self.graph, actor, top_n=top_n)

    def compare_outlets(self, actor: str, outlets: list[str] | None = None, top_n: int = 10, min_count: int = 2) -> pd.DataFrame:
        """Which actors each outlet pairs most with ``actor`` (see :func:`network.compare_outlets`)."""
        sources = self.articles.set_index("doc_id")["source"].fillna("(unknown outlet)")
        return network.compare_outlets(self.mentions, self.sentences, sources, actor, outlets, unit=self.settings.unit,
                                       min_count=min_count, top_n=top_n)

    def trends(self, actors: list[str] | None = None, top_n: int = 12, freq: str = "W", min_period_docs: int = 20) -> pd.DataFrame:
        """Share of articles per period naming each actor (default: the ``top_n`` by articles);
        see :func:`network.mention_trends`."""
        if actors is None:
            actors = self.actors.sort_values(["docs", "actor"], ascending=[False, True])["actor"].head(top_n).tolist()
        return network.mention_trends(self.mentions, self.articles.set_index("doc_id")["published"], actors, freq=freq,
                                      min_period_docs=min_period_docs)

    def top_edges(self, n: int = 15, by: str = "npmi", min_mentions: int = 20) -> pd.DataFrame:
        """The ``n`` strongest edges by ``by`` among actors with at least ``min_mentions`` mentions."""
        big = set(self.actors.loc[self.actors["mentions"] >= min_mentions, "actor"])
        e = self.edges[self.edges["source"].isin(big) & self.edges["target"].isin(big)]
        return e.sort_values([by, "cooccurrences", "source", "target"], ascending=[False, False, True, True]).head(n).reset_index(drop=True)

    def write_results(self, folder: Path | None = None) -> dict[str, Path]:
        """Write ``actors.csv`` (actors with at least ``min_mentions``), ``actor_aliases.csv``,
        ``actor_edges.csv`` and the graph (actors with at least one edge) as GraphML and GEXF."""
        folder = paths.ensure_dir(folder or paths.results_dir())
        out: dict[str, Path] = {}
        frames = {
            "actors.csv": self.actors[self.actors["mentions"] >= self.settings.min_mentions],
            "actor_aliases.csv": self.aliases,
            "actor_edges.csv": self.edges[["source", "target", "cooccurrences", "npmi", "llr", "p_value", "example_doc_ids",
                                           "example_sentence", "docs"]].sort_values(
                ["llr", "source", "target"], ascending=[False, True, True]),
        }
        for name, df in frames.items():
            path = folder / name
            cache.write_atomic(path, lambda p, df=df: df.to_csv(p, index=False, float_format="%.6g", lineterminator="\n"))
            out[name] = path
        linked = network.ordered_subgraph(self.graph, [n for n in self.graph if self.graph.degree(n) > 0])
        for path in network.export_graph(linked, folder, "actors"):
            out[path.name] = path
        for path in out.values():
            path.chmod(0o644)  # temporary files are created private; results are for sharing
        return out


def code_version(modules: tuple[str, ...] = ("aliases", "names", "lexicon", "dictionary", "tables")) -> str:
    """Hash of the source of ``modules`` of this package (part of the cache keys)."""
    here = Path(__file__).resolve().parent
    return cache.hash_files([here / f"{name}.py" for name in modules], root=here)[:16]


def _articles_frame(corpus: Any, manifest: Any) -> pd.DataFrame:
    if isinstance(corpus, pd.DataFrame):
        return corpus
    from newsscope.clean import load_clean

    return load_clean(corpus, manifest=manifest)


def analyse_mentions(mentions: pd.DataFrame, texts: dict[str, str], sources: dict[str, str], dictionary: ActorDictionary | None,
                     settings: ActorSettings) -> tuple[pd.DataFrame, AliasResolver]:
    """Resolve ``mentions`` to actors (fit the resolver on them) and return both."""
    resolver = AliasResolver(dictionary, norp=settings.norp, surname_dominance=settings.surname_dominance,
                             acronym_dominance=settings.acronym_dominance)
    resolved = resolver.fit_transform(mentions, texts, sources)
    return resolved, resolver


def build_network(resolved: pd.DataFrame, sentences: pd.DataFrame, texts: dict[str, str], wikidata: dict[str, str],
                  cfg: ActorSettings) -> tuple[dict[str, cooccur.Cooccurrence], pd.DataFrame, pd.DataFrame, nx.Graph]:
    """Counts at both units, the actor table, the filtered edges with evidence, and the graph."""
    counts = {u: cooccur.count_cooccurrences(resolved, sentences, u) for u in ("sentence", "article")}
    actors = tables.actor_table(resolved)
    nodes = actors[actors["mentions"] >= cfg.min_mentions]
    co = counts[cfg.unit]
    pairs = co.pairs[co.pairs["source"].isin(nodes["actor"]) & co.pairs["target"].isin(nodes["actor"])]
    edges = cooccur.filter_edges(pairs, min_count=cfg.min_count, alpha=cfg.alpha, correction=cfg.correction)
    if cfg.backbone is not None:
        edges = cooccur.disparity_filter(edges, weight=cfg.weight, alpha=cfg.backbone)
    edges = cooccur.annotate_evidence(edges, co, counts["sentence"], texts)
    G = network.build_graph(nodes, edges, weight=cfg.weight)
    community = network.detect_communities(G, random_state=cfg.random_state, resolution=cfg.resolution)
    nx.set_node_attributes(G, community, "community")
    cent = network.centrality_table(G, top_n=cfg.centrality_top).set_index("actor")
    actors = actors.join(cent, on="actor")
    actors["community"] = actors["actor"].map(community).fillna(-1).astype(int)
    actors["degree"] = actors["degree"].fillna(0).astype(int)
    actors["wikidata"] = actors["actor"].map(wikidata).fillna("")
    actors["strength"] = actors["strength"].fillna(0.0)
    for col in ("strength", "betweenness", "eigenvector"):
        actors[col] = actors[col].round(6)
    actors = actors[["actor", "type", "mentions", "docs", "degree", "community", "strength", "betweenness", "eigenvector", "wikidata"]]
    for col in ("npmi", "llr", "expected"):
        edges[col] = edges[col].round(6)
    edges = edges.sort_values(["llr", "source", "target"], ascending=[False, True, True]).reset_index(drop=True)
    return counts, actors, edges, G


def load_actors(corpus: str | Path | pd.DataFrame = "builtin:newsarticles", *, manifest: str | Path | None = None,
                n_process: int = 2, batch_size: int = 32, progress: bool = True, refresh: bool = False,
                **settings: Any) -> ActorNetwork:
    """Return the actors and co-occurrence network of ``corpus`` (cached).

    Three caches: NER mentions per document (only new documents go through spaCy), the resolved
    mentions (keyed by the documents, the outlets, the actor dictionary's content and the alias
    settings) and the network (keyed by the resolved mentions and the network settings).

    Parameters
    ----------
    corpus : str, Path or pandas.DataFrame
        A corpus spec for :func:`newsscope.clean.load_clean`, or an article table.
    manifest : str or Path, optional
        Manifest for page corpora (passed to ``load_clean``).
    n_process, batch_size : int
        spaCy workers and batch size (only documents not yet in the NER store are processed).
    progress : bool
        Progress bars on stderr.
    refresh : bool
        Recompute alias resolution and network (NER results are reused regardless).
    **settings
        Fields of :class:`ActorSettings`.

    Raises
    ------
    TypeError
        For a setting :class:`ActorSettings` does not have.
    """
    unknown = set(settings) - set(ActorSettings.__dataclass_fields__)
    if unknown:
        raise TypeError(f"unknown actor setting(s) {sorted(unknown)}; see ActorSettings: {sorted(ActorSettings.__dataclass_fields__)}")
    cfg = replace(ActorSettings(), **settings)
    if "fields" in settings:
        cfg = replace(cfg, fields=tuple(settings["fields"]))
    articles = _articles_frame(corpus, manifest)
    texts_list = document_texts(articles, cfg.fields)
    texts = dict(zip(articles["doc_id"], texts_list))
    sources = {d: s for d, s in zip(articles["doc_id"], articles["source"]) if isinstance(s, str)} if "source" in articles else {}
    mentions, sentences = extract_mentions(articles, cfg.ner, n_process=n_process, batch_size=batch_size, progress=progress)
    dictionary = read_dictionary(cfg.dictionary) if cfg.dictionary != "" else ActorDictionary()
    key = {"stage": "actors-resolved", "version": _VERSION, "code": code_version(), "ner": describe_settings(cfg.ner),
           "docs": cache.hash_object([[d, hash_text(t), sources.get(d, "")] for d, t in zip(articles["doc_id"], texts_list)]),
           "dictionary": dictionary.fingerprint,
           "resolver": {k: getattr(cfg, k) for k in ("norp", "surname_dominance", "acronym_dominance")}}

    def resolve() -> tuple:
        resolved, resolver = analyse_mentions(mentions, texts, sources, dictionary, cfg)
        return resolved, resolver, tables.alias_table(resolved), tables.unresolved_table(resolved, resolver)

    resolved, resolver, aliases, unresolved = cache.cached_pickle("actors", key, resolve, refresh=refresh)
    wikidata = {e.actor: e.wikidata for e in dictionary.entries if e.wikidata}
    net_fields = ("unit", "min_mentions", "min_count", "alpha", "correction", "backbone", "weight", "resolution",
                  "random_state", "centrality_top")
    net_key = {"stage": "actors-network", "resolved": cache.hash_object(key), "code": code_version(("cooccur", "network", "pipeline")),
               "settings": {k: getattr(cfg, k) for k in net_fields}}
    counts, actors, edges, G = cache.cached_pickle(
        "actors", net_key, lambda: build_network(resolved, sentences, texts, wikidata, cfg), refresh=refresh)
    meta_cols = [c for c in ("doc_id", "source", "published", "title") if c in articles.columns]
    info = {"documents": len(articles), "ner_new": sentences.attrs.get("ner_new", 0), "ner_cached": sentences.attrs.get("ner_cached", 0),
            "mentions": len(resolved), "mentions_kept": int(resolved["actor"].notna().sum()), "settings": asdict(cfg)}
    return ActorNetwork(cfg, articles[meta_cols].copy(), texts, resolved, sentences, counts, actors, aliases, unresolved,
                        resolver.acronyms_, edges, G, resolver, info)
