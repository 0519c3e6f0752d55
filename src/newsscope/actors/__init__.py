"""Actors: who appears in the news, under which names, and with whom.

The stage in one call::

    from newsscope.actors import load_actors
    net = load_actors("builtin:newsarticles")      # cached; NER only on new documents
    net.actors.head()                              # actor, type, mentions, docs, degree, community
    net.evidence("Russia", "Syria").head()         # the sentences behind an edge
    net.write_results()                            # data/results/actor_*.csv, actors.graphml/.gexf

Modules, by concern:

``ner``
    spaCy NER (small English pipeline, NER + sentence splitter only), cached per document.
``names``, ``lexicon``
    String rules (titles, possessives, keys) and their word lists.
``dictionary``
    The user's actor dictionary ``data/actors.csv``.
``aliases``
    :class:`AliasResolver`: mentions -> canonical actors.
``cooccur``
    Sentence/article co-occurrence, NPMI, G², significance, disparity filter, evidence.
``network``
    Graph, communities, centrality, ego networks, per-outlet comparison, trends, export.
``tables``
    Actor, alias and unresolved-name tables.
``plotting``
    Figures for the notebook.
``pipeline``
    :func:`load_actors` and :class:`ActorNetwork`.
``choose``
    Notebook parameters that fit the corpus: :func:`choose_ego_actor`, :func:`choose_outlets`.
"""

from newsscope.actors.aliases import AliasResolver
from newsscope.actors.choose import choose_ego_actor, choose_outlets
from newsscope.actors.cooccur import (Cooccurrence, count_cooccurrences, disparity_filter, edge_evidence, filter_edges, g2,
                                      g2_pvalue, npmi)
from newsscope.actors.dictionary import ActorDictionary, read_dictionary
from newsscope.actors.ner import NerSettings, extract_mentions, load_pipeline
from newsscope.actors.pipeline import RESULT_FILES, ActorNetwork, ActorSettings, load_actors

__all__ = [
    "load_actors", "ActorNetwork", "ActorSettings", "RESULT_FILES", "AliasResolver", "ActorDictionary", "read_dictionary",
    "NerSettings", "extract_mentions", "load_pipeline", "Cooccurrence", "count_cooccurrences", "filter_edges",
    "disparity_filter", "edge_evidence", "npmi", "g2", "g2_pvalue", "choose_ego_actor", "choose_outlets",
]
