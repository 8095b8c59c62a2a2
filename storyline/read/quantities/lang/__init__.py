"""One module per language, each exposing GRAMMAR (see storyline/read/quantities/grammar.py)."""
