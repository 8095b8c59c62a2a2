"""Time expressions: one engine (engine.py, resolve.py, calendar.py), one grammar per language (lang/)."""

from storyline.read.time.anchor import infer_anchor
from storyline.read.time.engine import find_timexes

__all__ = ["find_timexes", "infer_anchor"]
