"""Helpers every benchmark uses: timing, peak memory, the final JSON line."""

from __future__ import annotations

import json
import resource
import sys
from typing import Any


def peak_rss_mb() -> float:
    """Peak resident set size of this process, in MB (Linux reports KiB)."""
    return round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1)


def emit(result: dict[str, Any]) -> None:
    """Print the result as the last line: one JSON object."""
    sys.stdout.flush()
    print(json.dumps(result, sort_keys=True))
