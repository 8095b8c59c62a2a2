"""Comparing the values sources give for one slot: compatible, or a conflict, with an explanation.

Granularity ("November" vs "9 November") is no conflict; two days side by
side may be one moment across midnight or time zones; "some 2,000" and 1,960
agree within rounding. The explanations are what an analyst reads.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass
from datetime import date, timedelta

from storyline.models import Quantity, Timex, When

_DAY = re.compile(r"^(\d{4})-(\d{2})-(\d{2})")
_MONTH = re.compile(r"^(\d{4})-(\d{2})$")
_YEAR = re.compile(r"^(\d{4})$")
_DECADE = re.compile(r"^(\d{3})$")


@dataclass(frozen=True)
class DateValue:
    """A calendar interval a source gives for a happening."""

    value: str  # the TIMEX3 value, reduced to the calendar part
    begin: date
    end: date  # inclusive
    granularity: str  # day, month, year, decade

    def label(self) -> str:
        if self.granularity == "day":
            return f"{self.begin.day} {self.begin:%B %Y}"
        if self.granularity == "month":
            return f"{self.begin:%B %Y}"
        return self.value


def date_value(timex: Timex | None) -> DateValue | None:
    """The calendar part of a TIMEX3 value; None for durations, references and underspecified values."""
    if timex is None or timex.type not in {"DATE", "TIME"}:
        return None
    value = timex.value
    if m := _DAY.match(value):
        try:
            day = date(int(m[1]), int(m[2]), int(m[3]))
        except ValueError:
            return None
        return DateValue(day.isoformat(), day, day, "day")
    if m := _MONTH.match(value):
        year, month = int(m[1]), int(m[2])
        if not 1 <= month <= 12:
            return None
        first = date(year, month, 1)
        last = (first.replace(day=28) + timedelta(days=4)).replace(day=1) - timedelta(days=1)
        return DateValue(value, first, last, "month")
    if m := _YEAR.match(value):
        year = int(m[1])
        return DateValue(value, date(year, 1, 1), date(year, 12, 31), "year")
    if m := _DECADE.match(value):
        start = int(m[1]) * 10
        return DateValue(value, date(start, 1, 1), date(start + 9, 12, 31), "decade")
    return None


def precision(value: DateValue) -> tuple[int, int]:
    """Sort key putting the most precise date first (the latest of equally precise ones)."""
    return (value.end - value.begin).days, -value.begin.toordinal()


def when_of(value: DateValue) -> When:
    return When(value=value.value, start=value.begin.isoformat(), end=value.end.isoformat(), granularity=value.granularity)


@dataclass(frozen=True)
class Verdict:
    compatible: bool
    explanation: str


def compare_dates(a: DateValue, b: DateValue) -> Verdict:
    if a.begin <= b.end and b.begin <= a.end:
        if a == b:
            return Verdict(True, f"both give {a.label()}")
        finer, coarser = (a, b) if (a.end - a.begin) <= (b.end - b.begin) else (b, a)
        return Verdict(
            True,
            f"{finer.label()} falls within {coarser.label()}: the reports differ only in how precisely they date it",
        )
    gap = abs((a.begin - b.begin).days) if a.granularity == b.granularity == "day" else None
    if gap == 1:
        first, second = sorted([a, b], key=lambda v: v.begin)
        return Verdict(
            False,
            f"{first.label()} and {second.label()} are one day apart: this may be one moment told across midnight "
            "or in different time zones (local time, UTC or the capital's time), or one report dates the "
            "announcement rather than the event",
        )
    if gap is not None:
        return Verdict(False, f"{a.label()} and {b.label()} are {gap} days apart: the reports disagree on the date")
    return Verdict(False, f"{a.label()} and {b.label()} do not overlap: the reports disagree on the date")


def _tolerance(q: Quantity) -> tuple[float, float]:
    """The interval a stated number stands for, given its hedge and its roundness."""
    value = q.value
    high = q.value_high if q.value_high is not None else value
    magnitude = abs(value)
    if magnitude and float(value).is_integer():
        trailing = 0
        number = int(magnitude)
        while number and number % 10 == 0:
            number //= 10
            trailing += 1
        # a round number stands for up to half its last significant unit, at most 10 %
        rounding = min(0.5 * 10**trailing, 0.1 * magnitude) if trailing else 0.0
    else:
        rounding = 0.0
    approx = (q.approx or "").lower()
    if approx in {"about", "around", "approximately", "some", "nearly", "almost", "roughly", "approx"}:
        rounding = max(rounding, 0.1 * magnitude)
    low, top = value - rounding, high + rounding
    if approx in {"over", "more_than", "more than", "at_least", "above", "exceeding"}:
        top = math.inf
    if approx in {"under", "less_than", "less than", "up_to", "at_most", "below", "fewer_than"}:
        low = 0.0
    return low, top


def counted_of(q: Quantity) -> str | None:
    """What a quantity counts, the same in every language ("people" for "personnes" and "kişi")."""
    return q.counted_key or q.counted


def quantity_label(q: Quantity) -> str:
    number = f"{q.value:,.0f}" if float(q.value).is_integer() else f"{q.value:,}"
    if q.value_high is not None:
        number += f"-{q.value_high:,.0f}"
    hedge = f"{q.approx.replace('_', ' ')} " if q.approx else ""
    what = " ".join(x for x in (q.unit, q.counted) if x)
    return f"{hedge}{number} {what}".strip()


def compare_quantities(a: Quantity, b: Quantity) -> Verdict:
    if a.value == b.value and a.value_high == b.value_high and a.approx == b.approx:
        return Verdict(True, f"both give {quantity_label(a)}")
    (a_low, a_high), (b_low, b_high) = _tolerance(a), _tolerance(b)
    if a_low <= b_high and b_low <= a_high:
        return Verdict(
            True,
            f"{quantity_label(a)} and {quantity_label(b)} are compatible given approximation and rounding",
        )
    ratio = max(a.value, b.value) / max(min(a.value, b.value), 1e-9)
    return Verdict(
        False, f"{quantity_label(a)} and {quantity_label(b)} differ by a factor of {ratio:.2f}, beyond rounding"
    )
