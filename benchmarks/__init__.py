"""Benchmarks of newsbot against other BM25 engines (see scale.py)."""
