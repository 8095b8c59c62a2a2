"""Persian quantities: "بیش از ۳۰۰ نفر", "حدود سه هزار سرباز", "هزاران پناهجو", Persian digits."""

from storyline.read.quantities.grammar import QuantityGrammar, words
from storyline.read.quantities.lang.common import calendar_words

MONTHS, WEEKDAYS = calendar_words("fa")
GRAMMAR = QuantityGrammar(
    code="fa",
    small={"دو": 2, "سه": 3, "چهار": 4, "پنج": 5, "شش": 6, "هفت": 7, "هشت": 8, "نه": 9, "ده": 10, "یازده": 11,
           "دوازده": 12, "پانزده": 15, "بیست": 20, "دویست": 200, "سیصد": 300, "چهارصد": 400, "پانصد": 500},
    tens={"سی": 30, "چهل": 40, "پنجاه": 50, "شصت": 60, "هفتاد": 70, "هشتاد": 80, "نود": 90},
    hundreds={"صد": 100},
    hundred_alone=True,
    scales={"هزار": 1e3, "میلیون": 1e6, "میلیارد": 1e9},
    scale_alone={"هزار": 1e3},
    one_inside=words("یک"),
    joiners=words("و"),
    vague={"ده‌ها": 10, "دهها": 10, "صدها": 100, "هزاران": 1e3, "میلیون‌ها": 1e6},
    vague_scales={"هزار": 1e3},
    few={"چند": 3, "چندین": 3},
    fractions={"نیمی": 50.0, "نیمی از": 50.0, "یک سوم": 100 / 3, "دو سوم": 200 / 3, "یک چهارم": 25.0},
    hedges={
        "over": ["بیش از", "بیشتر از", "افزون بر", "بالغ بر", "بالای"],
        "at_least": ["دست کم", "دستکم", "دست‌کم", "حداقل", "کم کم"],
        "about": ["حدود", "حدودا", "حدوداً", "تقریبا", "تقریباً", "در حدود", "قریب"],
        "nearly": ["نزدیک به", "قریب به", "تقریبا نزدیک به"],
        "under": ["کمتر از"],
        "up_to": ["تا", "حداکثر"],
    },
    units={"کیلومتر": "km", "متر": "m", "هکتار": "ha", "درصد": "%", "سال": "year", "ماه": "month",
           "هفته": "week", "روز": "day", "ساعت": "hour", "دقیقه": "minute", "دلار": "USD", "یورو": "EUR",
           "ریال": "IRR", "تومان": "IRR"},
    of=words("از"),
    between=words("بین"),
    range_to=words("تا"),
    range_and=words("و"),
    months=MONTHS,
    weekdays=WEEKDAYS,
    year_before=words("سال"),
    id_nouns=words("شماره"),
    stop=words("در از به با که این آن را و یا برای تا بر هم نیز شد شده است بود"),
    relative_after=words("پیش قبل"),
    counted_rule="first",
).compile()
