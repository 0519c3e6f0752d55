"""The partitioned pipeline: every stage reads its input parts from files and writes its output parts to files."""
