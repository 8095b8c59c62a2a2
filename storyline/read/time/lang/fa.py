"""Persian time words over the table grammar (lang/table.py).

Iranian news dates by the Solar Hijri calendar ("۱۲ آذر ۱۴۰۲"), converted to the Gregorian day;
Gregorian month names ("۵ دسامبر ۲۰۲۳") are read too. Digits are Persian or Arabic-Indic.
"""

from storyline.read.time.lang.table import build, from_dateparser

WORDS = from_dateparser("fa").extend(
    order="dmy",
    jalali_months={"فروردین": 1, "اردیبهشت": 2, "خرداد": 3, "تیر": 4, "مرداد": 5, "امرداد": 5, "شهریور": 6,
                   "مهر": 7, "آبان": 8, "آذر": 9, "دی": 10, "بهمن": 11, "اسفند": 12},
    weekdays={"شنبه": 5, "یکشنبه": 6, "یک‌شنبه": 6, "دوشنبه": 0, "سه‌شنبه": 1, "سه شنبه": 1, "سه‌ شنبه": 1,
              "چهارشنبه": 2, "پنجشنبه": 3, "پنج‌شنبه": 3, "جمعه": 4},
    numbers={"یک": 1, "دو": 2, "سه": 3, "چهار": 4, "پنج": 5, "شش": 6, "هفت": 7, "هشت": 8, "نه": 9, "ده": 10,
             "بیست": 20, "سی": 30, "چهل": 40, "پنجاه": 50, "صد": 100, "چند": None},
    deictic={"دیروز": -1, "امروز": 0, "فردا": 1, "پریروز": -2},
    relative={"سال گذشته": ("year", -1), "پارسال": ("year", -1), "امسال": ("year", 0), "سال آینده": ("year", 1),
              "هفته گذشته": ("week", -1), "هفتهٔ گذشته": ("week", -1), "هفته پیش": ("week", -1),
              "ماه گذشته": ("month", -1), "ماه پیش": ("month", -1), "سال جاری": ("year", 0)},
    units={"روز": "day", "هفته": "week", "ماه": "month", "سال": "year", "ساعت": "hour", "دقیقه": "minute"},
    ago_after=["پیش", "قبل"],
    ahead_after=["بعد", "دیگر"],
    last=["گذشته", "پیش"],
    next=["آینده"],
    year_before=r"(?:سال|در\s+سال)\s+",
    hedges={"حدود": "APPROX", "بیش از": "MORE_THAN", "نزدیک به": "APPROX", "کمتر از": "LESS_THAN",
            "دست‌کم": "EQUAL_OR_MORE", "دست کم": "EQUAL_OR_MORE"},
    future=r"خواهد|خواهند|فردا|آینده",
    past=r"شد|شدند|کرد|کردند|بود|بودند|گفت|دیروز|گذشته",
    clock_before=r"ساعت\s+",
)  # fmt: skip
GRAMMAR = build(WORDS)
