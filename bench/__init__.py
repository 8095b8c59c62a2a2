"""Benchmarks: `python -m bench NAME --data PATH`; each prints one JSON object as its last line."""
