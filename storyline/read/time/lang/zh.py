"""Chinese time expressions: written without spaces, numbers in digits or characters.

"2023年12月5日", "12月5日", "5日", "上周三", "昨天", "去年", "三天前", "两年来". Spans are found
by character patterns rather than words; resolution is the shared engine's.
"""

from __future__ import annotations

import re

from storyline.read.time.calendar import duration_value, safe_date
from storyline.read.time.grammar import Grammar, Rules, Sem, sem
from storyline.read.time.lang.common import ascii_digits, neutral_rules

_DIGIT = {"〇": 0, "零": 0, "一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9}
_NUM = r"(?:\d+|[〇零一二两三四五六七八九十百]+)"


def number(text: str) -> int | None:
    """Digits, or Chinese numerals up to the hundreds ("二十三", "十五", "一百"); "二〇二三" digit by digit."""
    t = ascii_digits(text)
    if t.isdigit():
        return int(t)
    if t and all(c in _DIGIT for c in t) and len(t) >= 3:
        return int("".join(str(_DIGIT[c]) for c in t))
    total, current = 0, 0
    for c in t:
        if c in _DIGIT:
            current = _DIGIT[c]
        elif c == "十":
            total += (current or 1) * 10
            current = 0
        elif c == "百":
            total += (current or 1) * 100
            current = 0
        else:
            return None
    return total + current


_WEEKDAYS = {"一": 0, "二": 1, "三": 2, "四": 3, "五": 4, "六": 5, "日": 6, "天": 6}
_DEICTIC = {"昨天": -1, "昨日": -1, "今天": 0, "今日": 0, "明天": 1, "明日": 1, "前天": -2, "后天": 2, "昨晚": -1}
_RELATIVE = {"去年": ("year", -1), "今年": ("year", 0), "明年": ("year", 1), "前年": ("year", -2),
             "上周": ("week", -1), "本周": ("week", 0), "下周": ("week", 1), "上星期": ("week", -1),
             "上个月": ("month", -1), "本月": ("month", 0), "这个月": ("month", 0), "下个月": ("month", 1),
             "上月": ("month", -1)}  # fmt: skip
_UNITS = {"天": "day", "日": "day", "周": "week", "星期": "week", "个月": "month", "月": "month", "年": "year",
          "小时": "hour", "分钟": "minute"}  # fmt: skip
_UNIT = "|".join(sorted(map(re.escape, _UNITS), key=len, reverse=True))

RULES = Rules()


@RULES.add(rf"(?:(?P<y>{_NUM})年)?(?P<m>{_NUM})月(?:(?P<d>{_NUM})[日号])?")
def date(m: re.Match, text: str) -> Sem | None:
    y = number(m["y"]) if m["y"] else None
    mon = number(m["m"])
    d = number(m["d"]) if m["d"] else None
    if mon is None or not 1 <= mon <= 12 or (y is not None and not 1000 <= y <= 2100):
        return None
    if d is None:
        if y is None:
            return None  # "三月" alone could be "three months"
        return sem("ymd", m, y=y, m=mon, d=None)
    if safe_date(y or 2000, mon, d) is None:
        return None
    return sem("ymd", m, y=y, m=mon, d=d)


@RULES.add(rf"(?<![\d月])(?P<d>{_NUM})[日号](?!前|后|以)")
def day_of_month(m: re.Match, text: str) -> Sem | None:
    d = number(m["d"])
    if d is None or not 1 <= d <= 31:
        return None
    return sem("day_of_month", m, d=d, rel=0, base="ref")


@RULES.add(r"(?P<y>\d{4}|[〇零一二三四五六七八九]{4})年(?!\d|[〇零一二三四五六七八九十]+月)")
def year(m: re.Match, text: str) -> Sem | None:
    y = number(m["y"])
    return sem("year", m, y=y) if y and 1000 <= y <= 2100 else None


@RULES.add(r"(?P<rel>上|下|本|这)?(?:个)?(?:星期|周|礼拜)(?P<wd>[一二三四五六日天])")
def weekday(m: re.Match, text: str) -> Sem:
    rel = {"上": "last_week", "下": "next_week", "本": "this_week", "这": "this_week"}.get(m["rel"] or "")
    return sem("weekday", m, wd=_WEEKDAYS[m["wd"]], rel=rel, part=None)


@RULES.add("|".join(sorted(_DEICTIC, key=len, reverse=True)))
def deictic(m: re.Match, text: str) -> Sem:
    return sem("deictic", m, offset=_DEICTIC[m[0]], part="NI" if m[0] == "昨晚" else None, word="")


@RULES.add("|".join(sorted(map(re.escape, _RELATIVE), key=len, reverse=True)))
def relative(m: re.Match, text: str) -> Sem:
    unit, n = _RELATIVE[m[0]]
    return sem("rel", m, unit=unit, n=n, base="anchor")


@RULES.add(rf"(?P<n>{_NUM}|几|数)(?:个)?(?P<unit>{_UNIT})(?P<dir>前|后|以前|以后|之前|之后)")
def ago(m: re.Match, text: str) -> Sem | None:
    unit = _UNITS[m["unit"]]
    n = number(m["n"]) if m["n"] not in {"几", "数"} else None
    sign = -1 if "前" in m["dir"] else 1
    return sem("ago", m, n=n, unit=unit, sign=sign, base="anchor")


@RULES.add(rf"(?P<n>{_NUM}|几|数)(?:个)?(?P<unit>{_UNIT})(?:来|多|以来|之久)?")
def duration(m: re.Match, text: str) -> Sem | None:
    unit = _UNITS[m["unit"]]
    n = number(m["n"]) if m["n"] not in {"几", "数"} else None
    if m["unit"] == "月" or (m["unit"] in {"年", "日"} and n is not None and n > 31):
        return None  # "3月" is March, "2023年" a year
    return sem("duration", m, value=duration_value(n, unit))


@RULES.add(r"(?P<h>[01]?\d|2[0-3])[:：时点](?P<mi>[0-5]\d)?分?")
def clock(m: re.Match, text: str) -> Sem:
    return sem("time", m, h=int(m["h"]), mi=int(m["mi"] or 0))


_HEDGES = re.compile(r"(?P<w>超过|逾|约|大约|近|将近|至少)$")
_HEDGE_MODS = {"超过": "MORE_THAN", "逾": "MORE_THAN", "约": "APPROX", "大约": "APPROX", "近": "LESS_THAN",
               "将近": "LESS_THAN", "至少": "EQUAL_OR_MORE"}  # fmt: skip


def _absorb(text: str, sems: list[Sem]) -> None:
    for s in sems:
        h = _HEDGES.search(text, max(0, s.start - 3), s.start)
        if s.kind == "duration" and h and s.mod is None:
            s.mod = _HEDGE_MODS[h["w"]]
            s.start = h.start()


GRAMMAR = Grammar(
    code="zh",
    rules=RULES + neutral_rules("dmy"),
    absorb=_absorb,
    future=re.compile(r"将|将要|会|计划|明天|下周|明年"),
    past=re.compile(r"了|昨天|去年|上周|曾|已经|已"),
    weekday_word=re.compile(r"(?:星期|周|礼拜)(?P<wd>[一二三四五六日天])"),
    weekday_of=lambda word: _WEEKDAYS.get(word),
    normalise=ascii_digits,
)
