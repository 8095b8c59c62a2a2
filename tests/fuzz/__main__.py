"""The long fuzz run: ``python -m tests.fuzz --minutes N`` (``make fuzz MINUTES=N``).

Each target gets an equal share of the time and is run in rounds of fresh random
examples until its share is spent. The last line is the summary: examples tried
per target and failures. Exit status 1 when any target failed.
"""

from __future__ import annotations

import argparse
import os
import sys
import time
import traceback
from collections import Counter

MAX_FLUKES = 3  # deadline overruns that did not repeat, per target, before they count as a failure


def _timing_fluke(exc: BaseException) -> bool:
    """Hypothesis's verdict that a call exceeded the deadline once but not when run again."""
    from hypothesis.errors import DeadlineExceeded, FlakyFailure

    return isinstance(exc, FlakyFailure) and all(isinstance(e, DeadlineExceeded) for e in exc.exceptions)


def main() -> int:
    parser = argparse.ArgumentParser(prog="python -m tests.fuzz")
    parser.add_argument("--minutes", type=float, default=10.0)
    args = parser.parse_args()
    os.environ["STORYLINE_FUZZ_PROFILE"] = "fuzz-long"
    from tests.fuzz import test_fuzz

    test_fuzz.warm_up()
    share = args.minutes * 60 / len(test_fuzz.TARGETS)
    failures: dict[str, str] = {}
    flukes: Counter[str] = Counter()
    for target in test_fuzz.TARGETS:
        name = target.__name__.removeprefix("test_")
        ends = time.monotonic() + share
        while time.monotonic() < ends:
            try:
                target()
            except Exception as exc:  # a falsified property: report it, go on with the next target
                traceback.print_exc(file=sys.stderr)
                if _timing_fluke(exc) and flukes[name] < MAX_FLUKES:
                    flukes[name] += 1  # over 2 s once, well under on the rerun: the shared machine, counted
                    continue
                failures[name] = " ".join(f"{type(exc).__name__}: {exc}".split())[:300]
                break
        print(f"{name}: {sum(test_fuzz.EXAMPLES.values())} examples so far", file=sys.stderr, flush=True)
    for name, reason in failures.items():
        print(f"FAILED {name}: {reason}")
    counts = ", ".join(f"{target} {count:,}" for target, count in test_fuzz.EXAMPLES.items())
    total = sum(test_fuzz.EXAMPLES.values())
    slow = f", slow once then fast on rerun: {dict(flukes)}" if flukes else ""
    print(f"fuzz: {args.minutes:g} min, {len(test_fuzz.TARGETS)} targets, {total:,} examples, "
          f"{len(failures)} failures ({counts}){slow}")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
