"""One module per language, each exposing GRAMMAR (see storyline/read/time/grammar.py)."""
