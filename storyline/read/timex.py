"""Time expressions, normalised TIMEX3-style: see storyline/read/time/ (one engine, a grammar per language)."""

from storyline.read.time import find_timexes, infer_anchor

__all__ = ["find_timexes", "infer_anchor"]
