"""Calendar values and arithmetic, language-free: TIMEX3 values with their begin and finish days.

A `Cal` is (value, granularity, begin, finish): ("2019-Q3", "quarter", 2019-07-01, 2019-09-30).
Units are named by canonical English identifiers ("week", "fortnight", "century"); grammars map
their own words onto them.
"""

from __future__ import annotations

import datetime as dt

Date = dt.date

Cal = tuple[str, str, Date | None, Date | None]


def month_end(y: int, m: int) -> Date:
    return (Date(y + m // 12, m % 12 + 1, 1) if m < 12 else Date(y + 1, 1, 1)) - dt.timedelta(days=1)


def add_months(y: int, m: int, k: int) -> tuple[int, int]:
    idx = y * 12 + (m - 1) + k
    return idx // 12, idx % 12 + 1


def safe_date(y: int, m: int, d: int) -> Date | None:
    try:
        return Date(y, m, d)
    except ValueError:
        return None


def cal_day(d: Date) -> Cal:
    return d.isoformat(), "day", d, d


def cal_week(d: Date) -> Cal:
    y, w, _ = d.isocalendar()
    monday = d - dt.timedelta(days=d.weekday())
    return f"{y}-W{w:02d}", "week", monday, monday + dt.timedelta(days=6)


def cal_weekend(d: Date) -> Cal:
    y, w, _ = d.isocalendar()
    saturday = d - dt.timedelta(days=d.weekday()) + dt.timedelta(days=5)
    return f"{y}-W{w:02d}-WE", "week", saturday, saturday + dt.timedelta(days=1)


def cal_month(y: int, m: int) -> Cal:
    return f"{y:04d}-{m:02d}", "month", Date(y, m, 1), month_end(y, m)


def cal_quarter(y: int, q: int) -> Cal:
    return f"{y:04d}-Q{q}", "quarter", Date(y, 3 * q - 2, 1), month_end(y, 3 * q)


def cal_half(y: int, h: int) -> Cal:
    return f"{y:04d}-H{h}", "interval", Date(y, 6 * h - 5, 1), month_end(y, 6 * h)


def cal_season(y: int, s: str) -> Cal:
    first = {"SP": 3, "SU": 6, "FA": 9, "WI": 12}[s]
    if s == "WI":  # the winter of a year: December before it to February
        return f"{y:04d}-WI", "season", Date(y - 1, 12, 1), month_end(y, 2)
    return f"{y:04d}-{s}", "season", Date(y, first, 1), month_end(y, first + 2)


def cal_year(y: int) -> Cal:
    return f"{y:04d}", "year", Date(y, 1, 1), Date(y, 12, 31)


def cal_decade(d3: int) -> Cal:
    return f"{d3:03d}", "decade", Date(max(1, d3 * 10), 1, 1), Date(d3 * 10 + 9, 12, 31)


def cal_century(c: int) -> Cal:
    return f"{c:02d}", "century", Date(max(1, c * 100), 1, 1), Date(c * 100 + 99, 12, 31)


def season_of(d: Date) -> tuple[int, str]:
    """The season containing d, named by the year its TIMEX3 value carries."""
    if d.month == 12:
        return d.year + 1, "WI"
    return d.year, ("WI", "WI", "SP", "SP", "SP", "SU", "SU", "SU", "FA", "FA", "FA")[d.month - 1]


def narrow(begin: Date | None, finish: Date | None, mod: str | None) -> tuple[Date | None, Date | None]:
    """Early / mid / late cover the first, middle and last third of an interval."""
    if begin is None or finish is None or mod not in {"START", "MID", "END"} or finish <= begin:
        return begin, finish
    third = (finish - begin).days // 3
    if mod == "START":
        return begin, begin + dt.timedelta(days=third)
    if mod == "END":
        return finish - dt.timedelta(days=third), finish
    return begin + dt.timedelta(days=third), finish - dt.timedelta(days=third)


def shift(d: Date, unit: str, n: int) -> Date:
    if unit == "day":
        return d + dt.timedelta(days=n)
    if unit in {"week", "weekend"}:
        return d + dt.timedelta(weeks=n)
    months = {"month": 1, "quarter": 3, "year": 12, "decade": 120, "century": 1200}.get(unit)
    if months is None:
        return d
    y, m = add_months(d.year, d.month, n * months)
    return Date(y, m, min(d.day, month_end(y, m).day))


def cal_at(d: Date, unit: str) -> Cal:
    """The calendar unit `unit` that contains day d."""
    if unit == "day":
        return cal_day(d)
    if unit == "week":
        return cal_week(d)
    if unit == "weekend":
        return cal_weekend(d)
    if unit == "month":
        return cal_month(d.year, d.month)
    if unit == "quarter":
        return cal_quarter(d.year, (d.month - 1) // 3 + 1)
    if unit == "season":
        return cal_season(*season_of(d))
    if unit == "decade":
        return cal_decade(d.year // 10)
    if unit == "century":
        return cal_century(d.year // 100)
    return cal_year(d.year)


def easter(y: int) -> Date:
    a, b, c = y % 19, y // 100, y % 100
    d, e = divmod(b, 4)
    f = (b + 8) // 25
    g = (b - f + 1) // 3
    h = (19 * a + b - d - g + 15) % 30
    i, k = divmod(c, 4)
    l_ = (32 + 2 * e + 2 * i - h - k) % 7
    m = (a + 11 * h + 22 * l_) // 451
    month, day = divmod(h + l_ - 7 * m + 114, 31)
    return Date(y, month, day + 1)


def nth_weekday(y: int, month: int, wd: int, n: int) -> Date:
    if n > 0:
        first = Date(y, month, 1)
        return first + dt.timedelta(days=(wd - first.weekday()) % 7 + 7 * (n - 1))
    last = month_end(y, month)
    return last - dt.timedelta(days=(last.weekday() - wd) % 7)


# unit word -> (TIMEX3 duration letter, is a time-of-day unit, granularity name)
UNITS = {
    "second": ("S", True, "time"), "minute": ("M", True, "time"), "hour": ("H", True, "time"),
    "day": ("D", False, "day"), "night": ("D", False, "day"), "week": ("W", False, "week"),
    "weekend": ("WE", False, "week"), "fortnight": ("W", False, "week"), "month": ("M", False, "month"),
    "quarter": ("Q", False, "quarter"), "year": ("Y", False, "year"), "decade": ("DE", False, "decade"),
    "century": ("CE", False, "century"), "centurie": ("CE", False, "century"),
    "millennium": ("ML", False, "century"), "millennia": ("ML", False, "century"),
}  # fmt: skip


def duration_value(n: float | None, unit: str) -> str:
    letter, is_time, _ = UNITS[unit]
    if unit == "decade" and n is not None:
        n, letter = n * 10, "Y"
    elif unit in {"century", "centurie"} and n is not None:
        n, letter = n * 100, "Y"
    elif unit in {"millennium", "millennia"} and n is not None:
        n, letter = n * 1000, "Y"
    elif unit == "fortnight" and n is not None:
        n = n * 2
    elif unit == "weekend":
        letter = "WE"
    elif unit == "decade":
        letter = "E"
    elif unit in {"century", "centurie"}:
        letter = "C"
    prefix = "PT" if is_time else "P"
    if n is None:
        return f"{prefix}X{letter}"
    whole = int(n)
    frac = n - whole
    if frac < 1e-9:
        return f"{prefix}{whole}{letter}"
    # a fraction goes down one unit: 2 1/2 years = P2Y6M, 1 1/2 hours = PT1H30M
    smaller = {"Y": ("M", 12), "M": ("D", 30), "W": ("D", 7), "D": ("H", 24), "H": ("M", 60), "S": ("S", 1)}
    if is_time and letter == "M":
        sub_letter, factor = "S", 60
    else:
        sub_letter, factor = smaller.get(letter, ("", 0))
    if not factor:
        return f"{prefix}{n:g}{letter}"
    sub = round(frac * factor)
    if letter in {"D"} and not is_time:
        return f"P{whole}DT{sub}H" if whole else f"PT{sub}H"
    if whole == 0:
        if letter == "H" or (is_time and letter == "M"):
            return f"PT{sub}{sub_letter}"
        return f"P{sub}{sub_letter}"
    return f"{prefix}{whole}{letter}{sub}{sub_letter}"


GRAN_ORDER = {"time": 0, "day": 1, "week": 2, "month": 3, "quarter": 4, "season": 4, "year": 5, "decade": 6,
              "century": 7}  # fmt: skip


def jalali_to_gregorian(jy: int, jm: int, jd: int) -> Date | None:
    """A day of the Solar Hijri (Jalali) calendar, Iran's and Afghanistan's civil calendar, as a Gregorian date.

    Day 1 of Farvardin is the March equinox day; months 1-6 have 31 days, 7-11 have 30, Esfand 29 or 30.
    The leap years follow the 33-year arithmetic cycle, exact for 1178-1633 SH (1799-2254 CE).
    """
    if not (1 <= jm <= 12 and 1 <= jd <= (31 if jm <= 6 else 30)):
        return None
    days = 365 * (jy - 1) + (8 * jy + 21) // 33 + (186 if jm > 6 else 0) + (jm - 1 - (6 if jm > 6 else 0)) * (30 if jm > 6 else 31) + jd - 1
    # 1 Farvardin 1 SH = 22 March 622 CE (proleptic Gregorian): ordinal day 226896
    try:
        return Date.fromordinal(226895 + days)
    except (ValueError, OverflowError):
        return None


def gregorian_year_to_jalali(y: int) -> int:
    """The Jalali year in which most of Gregorian year y falls (from 21 March on)."""
    return y - 621
