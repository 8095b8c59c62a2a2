"""Azerbaijani time words over the table grammar (lang/table.py).

Like Turkish, case suffixes are glued on: "dekabrda" (in December), "2023-cü ildə" (in 2023),
"dekabrın 5-də" (on 5 December, month first).
"""

from storyline.read.time.lang.table import build, from_dateparser

WORDS = from_dateparser("az").extend(
    months={"yanvar": 1, "fevral": 2, "mart": 3, "aprel": 4, "may": 5, "iyun": 6, "iyul": 7, "avqust": 8,
            "sentyabr": 9, "oktyabr": 10, "noyabr": 11, "dekabr": 12},
    numbers={"bir": 1, "iki": 2, "üç": 3, "dörd": 4, "beş": 5, "altı": 6, "yeddi": 7, "səkkiz": 8, "doqquz": 9,
             "on": 10, "iyirmi": 20, "otuz": 30, "qırx": 40, "əlli": 50, "yüz": 100, "bir neçə": None},
    deictic={"dünən": -1, "bu gün": 0, "bugün": 0, "sabah": 1, "srağagün": -2},
    relative={"keçən il": ("year", -1), "ötən il": ("year", -1), "bu il": ("year", 0), "gələn il": ("year", 1),
              "keçən həftə": ("week", -1), "ötən həftə": ("week", -1), "keçən ay": ("month", -1),
              "ötən ay": ("month", -1)},
    units={"gün": "day", "həftə": "week", "ay": "month", "il": "year", "saat": "hour", "dəqiqə": "minute"},
    ago_after=["əvvəl", "öncə"],
    ahead_after=["sonra"],
    last=["keçən", "ötən"],
    next=["gələn", "növbəti"],
    month_day=True,
    month_suffix=r"(?:da|də|dan|dən|ın|in|a|ə)?",
    day_suffix=r"(?:-?(?:da|də|dan|dən|i|ı|u|ü|ci|cı|cu|cü|si|sı|su|sü))?",
    year_after=r"(?:-?(?:ci|cı|cu|cü))?\s+(?:ildə|ilin|il|ili|ildən)|-?(?:də|da|dən|dan)",
    month_before=r"(?:keçən|bu|gələn|ötən)\s+",
    hedges={"təxminən": "APPROX", "ən azı": "EQUAL_OR_MORE", "təqribən": "APPROX"},
    future=r"\w+(?:acaq|əcək)\w*|sabah|gələn|növbəti",
    past=r"\w+(?:dı|di|du|dü)(?:lar|lər|r|q|k|m|n)?|\w+(?:mış|miş|muş|müş)\w*|dünən|keçən|ötən",
    clock_before=r"saat\s+",
)  # fmt: skip
GRAMMAR = build(WORDS)
