"""The partitioned pipeline: each stage reads its input parts from files and writes its output parts (issue 14)."""
