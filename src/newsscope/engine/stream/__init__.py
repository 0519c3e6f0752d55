"""The partitioned pipeline: every stage reads its input part by part from files and writes its output the same way.

One folder per corpus run; each stage's tasks run on any engine (:mod:`newsscope.engine`) and
return only small summaries, so the driver never holds the corpus.
"""
