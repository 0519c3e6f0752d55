"""The partitioned pipeline: every stage but NER streamed over parts on disk, with bounded memory.

Each stage reads its input one part at a time and writes its output part by part (a
:class:`~newsscope.parts.PartStore` or blocks of a matrix), in tasks of an engine
(:mod:`newsscope.engine`), so the same code runs in this process, on the cores of this machine
(``dask-local``) or on a Dask cluster, and the driver holds small per-article arrays at most.
"""
