"""Property-based fuzzing of every parser and reader entry point (issue 13).

Two hypothesis profiles: ``fuzz-short`` (a few derandomised examples per target,
run by ``make test``) and ``fuzz-long`` (``make fuzz MINUTES=N``, see ``__main__``).
Every call must finish within ``DEADLINE`` (2 s).
"""

from __future__ import annotations

import os
from datetime import timedelta

from hypothesis import HealthCheck, settings

DEADLINE = timedelta(seconds=2)
_COMMON = {
    "deadline": DEADLINE,
    "suppress_health_check": [HealthCheck.too_slow, HealthCheck.data_too_large, HealthCheck.filter_too_much],
}
settings.register_profile("fuzz-short", max_examples=8, derandomize=True, database=None, **_COMMON)
settings.register_profile("fuzz-long", max_examples=50, **_COMMON)
PROFILE = os.environ.get("STORYLINE_FUZZ_PROFILE", "fuzz-short")
