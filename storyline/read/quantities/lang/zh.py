"""Chinese quantities: "超过300名士兵", "约三千人", "数千名难民", "300多人", "5万人以上".

No spaces: every Han character is a token, numerals are read digit by digit (三千 = 3 x 1000,
两百 = 2 x 100, 5万 = 50,000), a classifier (名, 个) may stand before the counted noun, which is
found in the lexicon of counted concepts (counted.py) or taken as the next two characters.
"""

from storyline.read.quantities.grammar import HAN, WORD, QuantityGrammar, words

GRAMMAR = QuantityGrammar(
    code="zh",
    small={"一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9},
    hundreds={"十": 10, "百": 100, "千": 1000},
    hundred_alone=True,
    scales={"万": 1e4, "萬": 1e4, "亿": 1e8, "億": 1e8},
    vague={"数十": 10, "数百": 100, "数千": 1e3, "数万": 1e4, "上百": 100, "上千": 1e3, "上万": 1e4},
    fractions={"一半": 50.0, "半数": 50.0, "三分之一": 100 / 3, "三分之二": 200 / 3, "四分之一": 25.0},
    fraction_free=True,
    hedges={
        "over": ["超过", "逾", "超", "多于", "高于"],
        "at_least": ["至少", "最少", "不少于"],
        "about": ["约", "大约", "大概", "估计"],
        "nearly": ["近", "将近", "接近", "近乎"],
        "under": ["不到", "不足", "少于"],
        "up_to": ["多达", "最多", "高达"],
    },
    hedges_after={"多": "over", "余": "over"},
    hedges_late={"以上": "at_least", "左右": "about", "上下": "about"},
    units={"公里": "km", "千米": "km", "米": "m", "公顷": "ha", "吨": "t", "%": "%", "年": "year", "个月": "month",
           "周": "week", "天": "day", "小时": "hour", "分钟": "minute", "美元": "USD", "欧元": "EUR", "元": "CNY",
           "人民币": "CNY", "卢布": "RUB"},
    between=words(),
    range_to=words("至 到"),
    classifiers=frozenset("名个位户座辆架枚"),
    stop=frozenset("的了在是和与及或"),
    relative_after=words("前 后"),
    counted_rule="han",
    glued_words_ok=True,
    word_pattern=rf"{HAN}|{WORD}",
).compile()
