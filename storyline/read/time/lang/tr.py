"""Turkish time words over the table grammar (lang/table.py).

Turkish glues case suffixes to names and numbers, after an apostrophe on numerals and proper
nouns ("5 Mart'ta", "2024'te", "ayın 25'inde") and without one on common nouns ("martta").
"""

from storyline.read.time.lang.table import build, from_dateparser

_CASE = r"(?:['’]?(?:da|de|ta|te|dan|den|tan|ten|nda|nde|ndan|nden|ın|in|un|ün|nın|nin|a|e|ya|ye|ı|i|u|ü|yı|yi))?"

WORDS = from_dateparser("tr").extend(
    numbers={"bir": 1, "iki": 2, "üç": 3, "dört": 4, "beş": 5, "altı": 6, "yedi": 7, "sekiz": 8, "dokuz": 9,
             "on": 10, "yirmi": 20, "otuz": 30, "kırk": 40, "elli": 50, "yüz": 100, "birkaç": None},
    ordinals={"birinci": 1, "ikinci": 2, "üçüncü": 3},
    deictic={"dün": -1, "bugün": 0, "yarın": 1, "önceki gün": -2, "evvelki gün": -2},
    relative={"geçen yıl": ("year", -1), "geçtiğimiz yıl": ("year", -1), "bu yıl": ("year", 0),
              "gelecek yıl": ("year", 1), "geçen hafta": ("week", -1), "geçtiğimiz hafta": ("week", -1),
              "geçen ay": ("month", -1), "geçtiğimiz ay": ("month", -1), "bu hafta": ("week", 0)},
    units={"günü": "day", "yılı": "year", "yıldır": "year", "gündür": "day", "haftadır": "week", "aydır": "month"},
    ago_after=["önce", "evvel"],
    ahead_after=["sonra"],
    last=["geçen", "geçtiğimiz"],
    next=["gelecek", "önümüzdeki"],
    month_suffix=_CASE,
    day_suffix=r"(?:['’](?:i|ı|u|ü|si|sı|inde|ında|unda|ünde|nde|nda|de|da|te|ta|ten|tan|den|dan|e|a|ye|ya))?\.?",
    day_before=r"ayın\s+",
    year_after=r"(?:['’](?:de|da|te|ta|den|dan|ten|tan|e|a|ye|ya|in|ın|un|ün|nin|nın))?(?:\s+(?:yılında|yılı|yılının))?",
    month_before=r"(?:geçen|bu|gelecek)\s+",
    hedges={"yaklaşık": "APPROX", "en az": "EQUAL_OR_MORE", "neredeyse": "LESS_THAN", "en fazla": "EQUAL_OR_LESS"},
    future=r"\w+(?:acak|ecek)\w*|yarın|gelecek|önümüzdeki",
    past=r"\w+(?:dı|di|du|dü|tı|ti|tu|tü)(?:lar|ler|r|k|m|n)?|\w+(?:mış|miş|muş|müş)\w*|dün|geçen|geçtiğimiz",
    clock_before=r"saat\s+",
)  # fmt: skip
GRAMMAR = build(WORDS)
