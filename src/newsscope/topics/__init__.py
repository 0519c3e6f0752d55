"""Topics: models, model selection, stability, labels, and views over time and outlets.

Public API (modules by concern)::

    fit_topics(corpus, *, k=None, k_range=None (automatic), model="nmf", random_state=0, relabel=None, ...) -> TopicResult
    write_topic_results(result) -> [topics.csv, doc_topics.csv]
    map_documents(result) -> DataFrame (x, y per document; cached)
    TopicModel(n_topics, model="nmf"|"lda", ...)            # models: scikit-learn estimator
    topic_npmi, npmi_coherence, topic_diversity             # coherence
    match_topics, topic_stability                           # stability
    sweep_k, choose_k                                       # selection
    find_keep_out_terms, label_topics, representative_documents, apply_relabel   # labels
    topics_over_time, peak_periods, topics_by_outlet, outlet_highlights, document_map   # views
    plot_selection, plot_over_time, plot_by_outlet, plot_map # plotting
    url_sections, section_agreement, topic_section_agreement  # validity: topics vs the outlets' URL sections
    MiniBatchTopicModel, doc_topic_part, stream_topic_table  # minibatch: NMF over DTM blocks (newsscope.topics.minibatch)
    count_blocks, keep_out_terms_from_counts, sample_rows     # blockstats: one pass over DTM blocks (newsscope.topics.blockstats)
"""

from newsscope.topics.coherence import document_presence, npmi_coherence, npmi_matrix, topic_diversity, topic_npmi
from newsscope.topics.labels import (
    BOILERPLATE_TERMS, apply_relabel, find_keep_out_terms, label_topics, make_label, outlet_template_terms,
    representative_documents,
)
from newsscope.topics.models import MODELS, TopicModel, select_top_terms
from newsscope.topics.pipeline import (
    MAX_AUTO_K, MIN_DOCUMENTS, TOPICS_VERSION, TopicResult, default_k_range, doc_topic_table, fingerprint_dtm, fit_topics,
    map_documents, topic_table, write_topic_results,
)
from newsscope.topics.plotting import (
    message_figure, plot_by_outlet, plot_map, plot_over_time, plot_section_agreement, plot_selection, plot_topic_stability,
    topic_colors,
)
from newsscope.topics.selection import SweepResult, choose_k, sweep_k
from newsscope.topics.stability import (
    MIN_TOPIC_STABILITY, StabilityResult, jaccard_matrix, match_topics, topic_stability, unstable_share, weighted_stability,
)
from newsscope.topics.validity import section_agreement, topic_section_agreement, url_sections
from newsscope.topics.views import (
    MEASURES, document_map, dominant_topics, outlet_highlights, peak_periods, time_window, topics_by_outlet, topics_over_time,
)

__all__ = [
    "BOILERPLATE_TERMS", "MAX_AUTO_K", "MIN_TOPIC_STABILITY", "MEASURES", "MIN_DOCUMENTS", "MODELS", "TOPICS_VERSION",
    "StabilityResult", "SweepResult", "TopicModel", "TopicResult",
    "apply_relabel", "choose_k", "default_k_range", "unstable_share", "weighted_stability", "doc_topic_table", "document_map", "document_presence", "dominant_topics",
    "find_keep_out_terms", "fingerprint_dtm", "fit_topics", "jaccard_matrix", "label_topics", "make_label",
    "map_documents", "match_topics", "message_figure", "plot_by_outlet", "plot_map", "plot_over_time", "plot_selection", "plot_section_agreement", "plot_topic_stability", "npmi_coherence", "npmi_matrix", "outlet_highlights", "outlet_template_terms", "peak_periods",
    "representative_documents", "section_agreement", "topic_section_agreement", "url_sections", "select_top_terms", "sweep_k", "time_window", "topic_diversity", "topic_npmi",
    "topic_colors", "topic_stability", "topic_table", "topics_by_outlet", "topics_over_time", "write_topic_results",
]
