"""Dating an undated article from its own explicit dates and the weekdays named with them."""

from __future__ import annotations

import datetime as dt
import re

from storyline.models import Timex
from storyline.read.time.calendar import Date, safe_date
from storyline.read.time.engine import find_timexes, grammar_for


def infer_anchor(
    text: str, language: str | None = "en", *, today: Date | None = None
) -> tuple[Date | None, float]:
    """A publication date for an undated article, from its own explicit dates.

    A weekday named with a year-less date ("on Tuesday, December 1") fixes the year: of the years in
    which that day fell on that weekday, not after `today` and not before the latest year the text
    names, the latest. The anchor is then the latest date the text places in that year (news reports
    what already happened). Without such a pair, the latest fully explicit date stands in.

    Confidence: one possible year and the weekday in the same sentence 0.9 (elsewhere nearby 0.6);
    several possible years (weekdays repeat every 5-11 years) 0.6 (0.4); the latest explicit date 0.6
    (an article may cite only older dates); a bare year 0.2; nothing 0.
    """
    if not text or not text.strip():
        return None, 0.0
    today = today or dt.date.today()
    found = find_timexes(text, None, language)
    full = [
        t.begin for t in found if t.granularity == "day" and t.begin and not t.anchored and t.begin <= today
    ]
    years_seen = [
        t.begin.year
        for t in found
        if t.begin and not t.anchored and t.granularity in {"day", "month", "year"}
    ]
    yearless: list[tuple[Timex, int, int]] = []
    for t in found:
        m = re.fullmatch(r"XXXX-(\d{2})-(\d{2})", t.value)
        if m:
            yearless.append((t, int(m.group(1)), int(m.group(2))))
    agreed: list[tuple[Date, float]] = []
    for t, mo, day in yearless:
        wd, same_sentence = _weekday_near(text, t, language)
        if wd is None or (not same_sentence and t is not _latest_yearless(yearless)):
            continue
        years = [y for y in range(today.year - 40, today.year + 1)
                 if (d := safe_date(y, mo, day)) is not None and d.weekday() == wd and d <= today]  # fmt: skip
        if not years:
            continue
        # years the text names bound the publication year from below (it cannot predate them, give or
        # take a year); among the agreeing years left, news is more often recent: take the latest
        floor = max(years_seen) - 1 if years_seen else None
        plausible = [y for y in years if floor is None or y >= floor] or years
        y = max(plausible)
        # (same sentence, elsewhere) x (one year possible, several)
        conf = {(True, True): 0.9, (False, True): 0.6, (True, False): 0.6, (False, False): 0.4}[
            (same_sentence, len(plausible) == 1)
        ]
        agreed.append((Date(y, mo, day), conf))
    if agreed:
        best, conf = max(agreed)
        placed = [best]
        for _t, mo, day in yearless:  # the other year-less dates, in the year that keeps them near
            options = [d for y in (best.year - 1, best.year, best.year + 1) if (d := safe_date(y, mo, day))]
            placed.append(min(options, key=lambda d: abs((d - best).days)))
        placed += [d for d in full if abs((d - best).days) <= 366]
        return max(d for d in placed if d <= max(today, best)), conf
    if full:
        return max(full), 0.6
    years = [
        t.begin.year for t in found if t.granularity == "year" and t.begin is not None and not t.anchored
    ]
    if years:
        return Date(max(years), 7, 1), 0.2
    return None, 0.0


def _latest_yearless(yearless: list[tuple[Timex, int, int]]) -> Timex | None:
    """The latest of the year-less dates (months more than half a year apart wrap into the next year):
    the event nearest publication, which a weekday elsewhere in the text most likely names."""
    if not yearless:
        return None
    months = [mo for _, mo, _ in yearless]
    wrap = max(months) - min(months) > 6
    return max(yearless, key=lambda y: ((y[1] + 12 if wrap and y[1] <= 6 else y[1]), y[2]))[0]


def _weekday_near(text: str, t: Timex, language: str | None) -> tuple[int | None, bool]:
    """The weekday named with a date: inside its span or in its sentence (True), else anywhere in
    the text (False)."""
    grammar = grammar_for(language)
    pattern = grammar.weekday_word
    if pattern is None:
        return None, False

    def weekday_of(hit: re.Match) -> int | None:
        return grammar.weekday_of(hit.group("wd"))

    inside = pattern.search(text, t.start, t.end)
    if inside:
        return weekday_of(inside), True
    lo = max(0, t.start - 120)
    left = text[lo : t.start]
    cut = max(left.rfind(". "), left.rfind("\n"))
    left_sentence = left[cut + 1 :] if cut >= 0 else left
    hits = list(pattern.finditer(left_sentence))
    if hits:
        return weekday_of(hits[-1]), True
    right = text[t.end : t.end + 25]
    right = re.split(r"[.!?\n]", right)[0]
    hit = pattern.search(right)
    if hit:
        return weekday_of(hit), True
    near = list(pattern.finditer(text))
    if near:
        closest = min(near, key=lambda h: min(abs(h.start() - t.end), abs(t.start - h.end())))
        return weekday_of(closest), False
    return None, False
