"""storyline: turn a pile of news reports into what the reports jointly establish."""

from storyline.api import Storyline, open

__version__ = "0.1.0"
__all__ = ["Storyline", "__version__", "open"]
