"""Helpers every benchmark uses: timing, peak memory, the final JSON line."""

from __future__ import annotations

import json
import resource
import sys
from typing import Any


def peak_rss_mb() -> float:
    """Peak resident set size of this process, in MB (Linux reports KiB)."""
    return round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1)


def cpu_seconds() -> float:
    """CPU seconds used so far by this process and its finished children (forked workers):
    the work done, steadier than wall time when other jobs share the machine."""
    return sum(
        getattr(resource.getrusage(who), field)
        for who in (resource.RUSAGE_SELF, resource.RUSAGE_CHILDREN)
        for field in ("ru_utime", "ru_stime")
    )


def emit(result: dict[str, Any]) -> None:
    """Print the result as the last line: one JSON object."""
    sys.stdout.flush()
    print(json.dumps(result, sort_keys=True))
