"""Resolution: what a span says (a `Sem`) becomes a TIMEX3 value against the anchor and the context.

Language-free: the grammar is asked only for the tense of the clause around a span.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from storyline.read.time.calendar import (
    GRAN_ORDER,
    UNITS,
    Cal,
    Date,
    add_months,
    cal_at,
    cal_century,
    cal_day,
    cal_decade,
    cal_half,
    cal_month,
    cal_quarter,
    cal_season,
    cal_week,
    cal_weekend,
    cal_year,
    jalali_to_gregorian,
    month_end,
    safe_date,
    season_of,
    shift,
)
from storyline.read.time.grammar import Grammar, Sem

WEEKDAY_POLICY = "tense"
# Past-tense year-less dates further than this after the anchor are last year's. Measured on TempEval-3
# train (value F1): 14 days 0.795, 30 0.798, 60 0.803, 90 0.806, never 0.800. Tense detection is a
# heuristic, so only a clear contradiction overrides the nearest-year rule.
PAST_FAR_DAYS = 90  # a past-tense date may lie up to two weeks after the anchor (late-edited reports)
HALF_YEAR = 183  # year-less dates: the year that keeps them within half a year of the anchor


@dataclass
class Context:
    text: str
    anchor: Date | None
    grammar: Grammar | None = None

    def tense(self, s: Sem) -> str | None:
        return self.grammar.tense(self.text, s.start, s.end) if self.grammar else None

    last_month: tuple[int, int] | None = None  # (year, month) of the latest month-level mention
    last_quarter: tuple[int, int] | None = None
    last_ref: tuple[Date, str] | None = None  # latest calendar mention: representative day, granularity
    last_day: Date | None = None


@dataclass
class Resolved:
    type: str
    value: str
    granularity: str
    begin: Date | None = None
    finish: Date | None = None
    anchored: bool = False
    confidence: float = 1.0
    mod: str | None = None


def _from_cal(cal: Cal, anchored: bool, confidence: float, type_: str = "DATE") -> Resolved:
    value, gran, begin, finish = cal
    return Resolved(type_, value, gran, begin, finish, anchored, confidence)


def _unanchored(value: str, gran: str, type_: str = "DATE") -> Resolved:
    return Resolved(type_, value, gran, None, None, False, 0.3)


def _pick_year(ctx: Context, s: Sem, month: int, day: int | None) -> tuple[int | None, float]:
    """Year for a date written without one: nearest the anchor, unless past tense says earlier."""
    anchor = ctx.anchor
    if anchor is None:
        return None, 0.3
    spans = []
    for y in (anchor.year - 1, anchor.year, anchor.year + 1):
        if day is None:
            first, last = Date(y, month, 1), month_end(y, month)
        else:
            first = last = safe_date(y, month, min(day, month_end(y, month).day))
        spans.append((y, first, last))
    best = min(
        spans, key=lambda t: (abs((t[1] - anchor).days) + abs((t[2] - anchor).days), abs(t[0] - anchor.year))
    )[0]
    first = next(f for y, f, _ in spans if y == best)
    if first > anchor + dt.timedelta(days=PAST_FAR_DAYS) and ctx.tense(s) == "past":
        best -= 1
    return best, 0.85 if best == anchor.year else 0.75


def _resolve(s: Sem, ctx: Context) -> Resolved | None:
    k, d, a = s.kind, s.data, ctx.anchor
    if k == "ymd" and d.get("calendar") == "jalali":
        return _resolve_jalali(s, ctx)
    if k == "ymd":
        y, mo, day = d.get("y"), d["m"], d.get("d")
        conf, anchored = 1.0, False
        if y is None and day is not None and d.get("wd") is not None and a is not None:
            # weekday and date agreeing fix the year: the matching year nearest the anchor
            for cand in sorted(range(a.year - 6, a.year + 2), key=lambda c: abs(c - a.year)):
                dd = safe_date(cand, mo, day)
                if dd and dd.weekday() == d["wd"]:
                    y, conf, anchored = cand, 0.95, True
                    break
        if y is None:
            y, conf = _pick_year(ctx, s, mo, day)
            anchored = True
            if y is None:
                if day is None:
                    return _unanchored(f"XXXX-{mo:02d}", "month")
                return _unanchored(f"XXXX-{mo:02d}-{day:02d}", "day")
        if day is None:
            return _from_cal(cal_month(y, mo), anchored, conf)
        date = safe_date(y, mo, day)
        if date is None:
            return None
        if d.get("night_before"):  # "в ночь на 1 декабря": the night ending on that day
            night = date - dt.timedelta(days=1)
            return Resolved("TIME", f"{night.isoformat()}TNI", "time", night, date, anchored, conf)
        if d.get("hh") is not None:
            return Resolved(
                "TIME", f"{date.isoformat()}T{d['hh']:02d}:{d['mi']:02d}", "time", date, date, anchored, conf
            )
        return _from_cal(cal_day(date), anchored, conf)
    if k == "month":
        mo, rel = d["m"], d.get("rel")
        if a is None:
            return _unanchored(f"XXXX-{mo:02d}", "month")
        if rel is not None:
            return _from_cal(cal_month(a.year + rel, mo), True, 0.9)
        pre = d.get("pre")
        if pre in {"last", "this past", "the previous"}:
            return _from_cal(cal_month(a.year if mo < a.month else a.year - 1, mo), True, 0.9)
        if pre in {"next", "this coming", "the following"}:
            return _from_cal(cal_month(a.year if mo > a.month else a.year + 1, mo), True, 0.9)
        if pre == "this":
            return _from_cal(cal_month(a.year, mo), True, 0.9)
        y, conf = _pick_year(ctx, s, mo, None)
        return _from_cal(cal_month(y, mo), True, conf)
    if k == "year":
        if d.get("fiscal"):
            return _from_cal(cal_year(d["y"]), False, 0.9)
        return _from_cal(cal_year(d["y"]), False, 1.0)
    if k == "decade":
        if "d3" in d:
            return _from_cal(cal_decade(d["d3"]), False, 1.0)
        ref_year = a.year if a else 1999
        century = ref_year // 100
        if century * 100 + d["word"] * 10 > ref_year:
            century -= 1
        return _from_cal(cal_decade(century * 10 + d["word"]), a is not None, 0.9)
    if k == "century":
        if d.get("c") is not None:
            return _from_cal(cal_century(d["c"]), False, 1.0)
        if a is None:
            return _unanchored("XX", "century")
        return _from_cal(cal_century(a.year // 100 + d["rel"]), True, 0.9)
    if k == "quarter":
        q, y, rel = d["q"], d.get("y"), d.get("rel")
        if y is None:
            if a is None:
                return _unanchored(f"XXXX-Q{q}", "quarter")
            if rel is not None:
                y = a.year + rel
            else:
                y = a.year
                aq = (a.month - 1) // 3 + 1
                if q - aq >= 2 and a.month <= 3:
                    y -= 1  # "the fourth quarter" in a January report is last year's
        return _from_cal(cal_quarter(y, q), d.get("y") is None, 0.9 if d.get("y") is None else 1.0)
    if k == "quarter_ref":
        rel = d["rel"]
        if d["base"] == "ref" and ctx.last_quarter:
            y, q = ctx.last_quarter
            if d.get("year"):
                y = d["year"]
        elif a is not None or (d.get("year") and ctx.last_quarter is None):
            if a is None:
                return _unanchored(f"{d['year']}-QX", "quarter")
            y, q = a.year, (a.month - 1) // 3 + 1
            if d["base"] in {"ref", "completed"}:  # none mentioned: the last one completed
                y, q = (y, q - 1) if q > 1 else (y - 1, 4)
            if d.get("year"):
                y = d["year"]
        else:
            return _unanchored("XXXX-QX", "quarter")
        idx = y * 4 + (q - 1) + rel
        return _from_cal(cal_quarter(idx // 4, idx % 4 + 1), True, 0.7)
    if k == "half":
        h, y, rel = d["h"], d.get("y"), d.get("rel")
        if y is None:
            if a is None:
                return _unanchored(f"XXXX-H{h}", "interval")
            y = a.year + (rel or 0)
        return _from_cal(cal_half(y, h), d.get("y") is None, 0.9)
    if k == "season":
        sn, y, rel = d["s"], d.get("y"), d.get("rel")
        if y is not None:
            return _from_cal(cal_season(y, sn), False, 1.0)
        if a is None:
            return _unanchored(f"XXXX-{sn}", "season")
        base = a
        if d.get("base") == "ref" and ctx.last_ref:
            base = ctx.last_ref[0]
        cur_y, cur_s = season_of(base)
        order = ["WI", "SP", "SU", "FA"]
        if rel in (None, 0):
            y = base.year + (1 if sn == "WI" and base.month == 12 else 0)
            return _from_cal(cal_season(y, sn), True, 0.8)
        idx = cur_y * 4 + order.index(cur_s)
        target = order.index(sn)
        if rel < 0:
            idx -= 1
            while idx % 4 != target:
                idx -= 1
        else:
            idx += 1
            while idx % 4 != target:
                idx += 1
        return _from_cal(cal_season(idx // 4, order[idx % 4]), True, 0.85)
    if k == "rel":
        unit, n = d["unit"], d["n"]
        base = a
        conf = 0.9
        if d.get("base") == "ref" and ctx.last_ref is not None:
            base = ctx.last_ref[0]
            conf = 0.7
        if base is None:
            return _unanchored({"week": "XXXX-WXX", "weekend": "XXXX-WXX-WE", "month": "XXXX-XX", "year": "XXXX",
                                "day": "XXXX-XX-XX", "decade": "XXX", "quarter": "XXXX-QX"}[unit],
                               UNITS[unit][2])  # fmt: skip
        shift_unit = "week" if unit == "weekend" else unit
        return _from_cal(cal_at(shift(base, shift_unit, n), unit), True, conf)
    if k == "weekday":
        wd, rel, part = d["wd"], d.get("rel"), d.get("part")
        base = a
        if rel in {"the previous", "the following", "the next"} and ctx.last_day is not None:
            base = ctx.last_day
        if base is None:
            value = f"XXXX-WXX-{wd + 1}" + (f"T{part}" if part else "")
            return _unanchored(value, "time" if part else "day", "TIME" if part else "DATE")
        back = (base.weekday() - wd) % 7
        ahead = (wd - base.weekday()) % 7
        if rel in {"last_week", "this_week", "next_week"}:  # a day of a named week: Chinese "上周三"
            week = {"last_week": -1, "this_week": 0, "next_week": 1}[rel]
            date = base - dt.timedelta(days=base.weekday()) + dt.timedelta(days=7 * week + wd)
        elif rel in {"last", "this past", "past", "the previous"}:
            date = base - dt.timedelta(days=back or 7)
        elif rel in {"next", "this coming", "coming", "the following", "the next"}:
            date = base + dt.timedelta(days=ahead or 7)
        else:
            tense = ctx.tense(s) if WEEKDAY_POLICY == "tense" else "past"
            date = base + dt.timedelta(days=ahead) if tense == "future" else base - dt.timedelta(days=back)
        conf = 0.85 if rel else 0.8
        if part:
            return Resolved("TIME", f"{date.isoformat()}T{part}", "time", date, date, True, conf)
        return _from_cal(cal_day(date), True, conf)
    if k == "deictic":
        part = d.get("part")
        if a is None:
            return _unanchored(
                "XXXX-XX-XX" + (f"T{part}" if part else ""),
                "time" if part else "day",
                "TIME" if part else "DATE",
            )
        date = a + dt.timedelta(days=d["offset"])
        if d.get("word") == "overnight":
            return Resolved("TIME", f"{date.isoformat()}TNI", "time", date, date, True, 0.7)
        if part and d.get("word") != "tonight":
            return Resolved("TIME", f"{date.isoformat()}T{part}", "time", date, date, True, 0.9)
        return _from_cal(cal_day(date), True, 0.95)
    if k == "ref_day":
        base = ctx.last_day or a
        part = d.get("part")
        if base is None:
            return _unanchored("XXXX-XX-XX" + (f"T{part}" if part else ""), "time" if part else "day")
        date = base + dt.timedelta(days=d["offset"])
        conf = 0.7 if ctx.last_day else 0.5
        if part:
            return Resolved("TIME", f"{date.isoformat()}T{part}", "time", date, date, True, conf)
        return _from_cal(cal_day(date), True, conf)
    if k == "day_of_month":
        day = d["d"]
        if d["base"] == "ref" and ctx.last_month:
            y, mo = ctx.last_month
        elif a is not None:
            y, mo = add_months(a.year, a.month, d["rel"])
        else:
            return _unanchored(f"XXXX-XX-{day:02d}", "day")
        date = safe_date(y, mo, day)
        if date is None:
            return None
        return _from_cal(cal_day(date), True, 0.7)
    if k == "ago":
        n, unit, sign = d["n"], d["unit"], d["sign"]
        if n is None:
            return Resolved(
                "DATE", "PAST_REF" if sign < 0 else "FUTURE_REF", "interval", None, None, a is not None, 0.5
            )
        whole = int(n)
        if unit == "year" and ctx.last_quarter is not None:
            # business news: "up from $4 million a year earlier" compares with the quarter being reported
            y, q = ctx.last_quarter
            base, gran, conf = Date(y, 3 * q - 2, 1), "quarter", 0.6
        elif d["base"] == "ref" and ctx.last_ref is not None and unit in {"year", "quarter", "month"}:
            ref_day, ref_gran = ctx.last_ref
            gran = ref_gran if GRAN_ORDER.get(ref_gran, 9) <= GRAN_ORDER.get(unit, 9) else unit
            conf = 0.6
            base = ref_day
        elif a is not None:
            base, gran, conf = a, unit, 0.8
        elif d["base"] == "ref" and ctx.last_ref is not None:
            base, gran, conf = ctx.last_ref[0], unit, 0.6
        else:
            return Resolved(
                "DATE", "PAST_REF" if sign < 0 else "FUTURE_REF", "interval", None, None, False, 0.3
            )
        if unit in {"hour", "minute", "second"}:
            delta = dt.timedelta(**{unit + "s": sign * n})
            moment = dt.datetime.combine(base, dt.time(12)) + delta
            return Resolved(
                "DATE", moment.date().isoformat(), "day", moment.date(), moment.date(), True, conf * 0.8
            )
        if unit == "decade":
            return _from_cal(cal_year(base.year + sign * whole * 10), True, conf)
        if unit == "century":
            return _from_cal(cal_year(base.year + sign * whole * 100), True, conf)
        shift_unit = "week" if unit in {"weekend", "fortnight"} else unit
        count = whole * (2 if unit == "fortnight" else 1)
        target = shift(base, shift_unit, sign * count)
        if n != whole:
            target = shift(target, "month" if unit == "year" else "day", sign * round((n - whole) * 12))
        return _from_cal(cal_at(target, gran if gran != "fortnight" else "week"), True, conf)
    if k == "holiday":
        fn = d["date_of"]
        y = d.get("y")
        anchored = y is None
        if y is None:
            if a is None:
                return _unanchored("XXXX-XX-XX", "day")
            if d.get("rel") is not None:
                y = a.year + d["rel"]
            else:
                y = a.year
                if fn(y) > a + dt.timedelta(days=HALF_YEAR):
                    y -= 1
                elif fn(y) < a - dt.timedelta(days=HALF_YEAR):
                    y += 1
        date = fn(y)
        if d.get("week"):
            return _from_cal(cal_week(date), anchored, 0.8)
        return _from_cal(cal_day(date), anchored, 0.9 if anchored else 1.0)
    if k == "weekend":
        if a is None:
            return _unanchored("XXXX-WXX-WE", "week")
        if ctx.tense(s) == "future":
            return _from_cal(cal_weekend(a if a.weekday() < 6 else a + dt.timedelta(days=6)), True, 0.7)
        return _from_cal(cal_weekend(a if a.weekday() >= 5 else a - dt.timedelta(days=7)), True, 0.7)
    if k == "ref":
        return Resolved(
            "DATE",
            d["value"],
            "interval",
            a if d["value"] == "PRESENT_REF" else None,
            a if d["value"] == "PRESENT_REF" else None,
            a is not None,
            0.6,
        )
    if k == "duration":
        return Resolved("DURATION", d["value"], "duration", confidence=0.9)
    if k == "set":
        return Resolved("SET", d["value"], "set", confidence=0.9)
    if k == "time":
        return _resolve_time(s, None, ctx)
    if k == "datetime":
        day = _resolve(d["day"], ctx)
        return _resolve_time(d["time"], day, ctx, joined=not d.get("on"))
    return None


def _resolve_jalali(s: Sem, ctx: Context) -> Resolved | None:
    """A Solar Hijri day; without a year, the Jalali year that puts it nearest the anchor."""
    d, a = s.data, ctx.anchor
    if d.get("y") is not None:
        date = jalali_to_gregorian(d["y"], d["m"], d["d"])
        return _from_cal(cal_day(date), False, 1.0) if date else None
    if a is None:
        return None
    options = [g for jy in range(a.year - 622, a.year - 619) if (g := jalali_to_gregorian(jy, d["m"], d["d"]))]
    if not options:
        return None
    return _from_cal(cal_day(min(options, key=lambda g: abs((g - a).days))), True, 0.85)


def _resolve_time(s: Sem, day: Resolved | None, ctx: Context, joined: bool = False) -> Resolved:
    d = s.data
    date: Date | None = None
    anchored = True
    conf = 0.8
    if day is not None and day.granularity == "day" and day.begin is not None:
        date, anchored, conf = day.begin, day.anchored, min(day.confidence, 0.95)
    elif day is not None and day.value.startswith("XXXX"):
        date = None
    elif ctx.last_day is not None:
        date, conf = ctx.last_day, 0.6
    elif ctx.anchor is not None:
        date, conf = ctx.anchor, 0.6
    prefix = date.isoformat() if date else (day.value[:10] if day is not None else "XXXX-XX-XX")
    if d.get("part"):
        tail = f"T{d['part']}"
    elif d.get("midnight"):
        # "midnight Friday" ends the day (T24); "midnight on December 1" is the 00:00 that begins it
        tail = "T24" if joined or date is None else "T00:00"
    else:
        tail = f"T{d['h']:02d}:{d['mi']:02d}"
    if date is None:
        return Resolved("TIME", prefix + tail, "time", None, None, False, 0.3)
    return Resolved("TIME", prefix + tail, "time", date, date, anchored, conf)


def _remember(ctx: Context, s: Sem, res: Resolved) -> None:
    if res.type not in {"DATE", "TIME"} or res.begin is None:
        return
    if s.kind == "ago" or (s.kind == "quarter_ref" and s.data.get("rel") == -4):
        return  # "a year earlier" compares with the reference; it does not replace it
    gran = res.granularity
    ctx.last_ref = (res.begin, gran)
    if gran in {"day", "time"}:
        ctx.last_day = res.begin
        ctx.last_month = (res.begin.year, res.begin.month)
    elif gran == "month":
        ctx.last_month = (res.begin.year, res.begin.month)
    elif gran == "quarter":
        ctx.last_quarter = (res.begin.year, (res.begin.month - 1) // 3 + 1)
