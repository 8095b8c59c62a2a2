"""What each language adds to place reading: cue words, feature words, case endings and clitics.

A place name in a report may carry its language's grammar: a case ending ("Москве", "Києві",
"Ankara'da", "Gəncədə", "Երևանում"), a clitic glued before it ("وبغداد", "ببغداد"), or no spaces
around it at all (Chinese). The matcher strips what a language glues on and looks the rest up in the
gazetteer; an ending or a word that says "in", "from", "to" is also evidence of a place, which
matters where no NER model reads the language. Stop words (spaCy's lists, no model needed) keep
sentence-initial "Des" or "Bir" from being taken for towns that share the spelling.
"""

from __future__ import annotations

import contextlib
import importlib
from dataclasses import dataclass, field
from functools import lru_cache

from storyline.text import fold

# Russian case endings, longest first: "Москве" -> "Москв" + "а".
RU_ENDINGS = ("ами", "ями", "ией", "иях", "ием", "ой", "ей", "ом", "ем", "ах", "ях", "ую", "ию", "ии", "ью",
              "а", "я", "у", "ю", "е", "и", "ы")  # fmt: skip
RU_BASES = ("", "а", "я", "ь", "ия", "й", "о")
_TR_CASES = ("nda", "nde", "ndan", "nden", "dan", "den", "tan", "ten", "da", "de", "ta", "te", "ya", "ye", "yı",
             "yi", "yu", "yü", "nın", "nin", "nun", "nün", "ın", "in", "un", "ün", "a", "e", "ı", "i", "u", "ü")  # fmt: skip
_AZ_CASES = ("ndan", "ndən", "nda", "ndə", "dan", "dən", "da", "də", "ya", "yə", "yı", "yi", "yu", "yü", "nın",
             "nin", "nun", "nün", "ın", "in", "un", "ün", "a", "ə", "ı", "i", "u", "ü")  # fmt: skip


@dataclass(frozen=True)
class PlaceLanguage:
    """One language's share of place reading (all words folded)."""

    code: str
    locatives: frozenset[str] = frozenset()  # words before a place: "à", "в", "في"
    features: dict[str, str] = field(default_factory=dict)  # feature word -> English kind: "région": "region"
    feature_first: bool = False  # the feature word stands before the name: "مدينة الموصل", "la ville de"
    endings: tuple[str, ...] = ()  # case endings glued after a name, longest first
    locative_endings: frozenset[str] = frozenset()  # endings that say "in/from/to": a place cue
    bases: tuple[str, ...] = ("",)  # what an ending may have replaced: Russian "Москв" + "а"
    prefixes: tuple[str, ...] = ()  # clitics glued before a name: Arabic "و", "ب"
    locative_prefixes: frozenset[str] = frozenset()  # clitics that say "in/to": "ب", "ل"
    not_before: frozenset[str] = frozenset()  # a town's name after these is an ordinary noun: German "der"
    cased: bool = True  # the script has capitals: a place name starts with one
    han: bool = False  # no spaces: names are matched character by character
    stop_words: frozenset[str] = frozenset()

    def inflections(self, key: str) -> list[tuple[str, bool]]:
        """Base forms a folded word may be an inflection of, longest ending first, with whether the
        affix says "in/from/to"."""
        out: list[tuple[str, bool]] = []
        for prefix in self.prefixes:
            if key.startswith(prefix) and len(key) - len(prefix) >= 3:
                out.append((key[len(prefix) :], prefix in self.locative_prefixes))
        for ending in self.endings:
            if key.endswith(ending) and len(key) - len(ending) >= 3:
                stem = key[: -len(ending)].rstrip("'’")
                cue = ending in self.locative_endings
                out += [(fold(stem + base), cue) for base in self.bases]
                if self.code == "uk":  # Київ -> Києві, Харків -> Харкові: і alternates with о, е, є
                    out += [(fold(v), cue) for v in _uk_alternations(stem)]
        return out


def _uk_alternations(stem: str) -> list[str]:
    for i in range(len(stem) - 1, max(len(stem) - 4, 0), -1):
        if stem[i] in "ое":
            return [stem[:i] + "і" + stem[i + 1 :]]
        if stem[i] == "є":
            return [stem[:i] + "ї" + stem[i + 1 :]]
    return []


def _words(spaced: str) -> frozenset[str]:
    return frozenset(fold(w) for w in spaced.split())


def _features(admin: str, city: str, other: str = "") -> dict[str, str]:
    out = {fold(w): "region" for w in admin.split()}
    out |= {fold(w): "city" for w in city.split()}
    out |= {fold(w): "border" for w in other.split()}
    return out


_LANGUAGES: dict[str, dict] = {
    "fr": dict(locatives="à au aux en dans depuis vers près par sur d de l entre", feature_first=True,
               features=_features("région département province district oblast", "ville village capitale commune",
                                  "frontière")),
    "es": dict(locatives="en a desde hacia cerca por de entre", feature_first=True,
               features=_features("región provincia departamento distrito", "ciudad pueblo capital localidad",
                                  "frontera")),
    "it": dict(locatives="a in da di verso presso nel nella tra fra", feature_first=True,
               features=_features("regione provincia distretto", "città paese villaggio capitale comune", "confine")),
    "pt": dict(locatives="em no na de do da para perto entre", feature_first=True,
               features=_features("região província distrito estado", "cidade vila aldeia capital", "fronteira")),
    "de": dict(locatives="in nach aus bei von im nahe um zwischen", not_before="der die das dem den des ein eine "
               "einen einem einer kein keine", feature_first=True,
               features=_features("region provinz bezirk bundesland kreis", "stadt dorf hauptstadt gemeinde", "grenze")),
    "ru": dict(locatives="в во на из под около возле через до у близ", endings=RU_ENDINGS, bases=RU_BASES,
               features=_features("область района район край республика провинция", "город села село посёлок "
                                  "столица деревня")),
    "uk": dict(locatives="в у на з із до під біля поблизу через", endings=(*RU_ENDINGS, "ові", "єві", "ою", "ів",
               "і", "ї"), bases=(*RU_BASES, "і"), features=_features("область району район край республіка",
                                                                   "місто міста село селище столиця")),
    "tr": dict(endings=_TR_CASES, locative_endings=frozenset(("da", "de", "ta", "te", "dan", "den", "tan", "ten",
               "nda", "nde", "ndan", "nden", "ya", "ye", "a", "e")),
               features=_features("il ili ilçe ilçesi bölge bölgesi eyalet eyaleti", "şehir şehri kent kenti köy "
                                  "köyü başkent", "sınır sınırı")),
    "az": dict(endings=_AZ_CASES, locative_endings=frozenset(("da", "də", "dan", "dən", "nda", "ndə", "ndan", "ndən",
               "ya", "yə", "a", "ə")), features=_features("rayon rayonu bölgə bölgəsi vilayət", "şəhər şəhəri kənd "
                                                       "kəndi paytaxt", "sərhəd")),
    "hy": dict(locatives="դեպի մոտ", endings=("ներում", "ներից", "ում", "ից", "ով", "ին", "ի", "ը", "ն", "ու"),
               locative_endings=frozenset(("ում", "ից", "ներում", "ներից")),
               features=_features("մարզ մարզի մարզում շրջան շրջանի", "քաղաք քաղաքի քաղաքում գյուղ գյուղում մայրաքաղաք")),
    "ar": dict(locatives="في من إلى الى قرب نحو بالقرب شمال جنوب شرق غرب داخل", cased=False, feature_first=True,
               not_before="وزارة وزير حكومة مجلس لجنة",
               prefixes=("وب", "ول", "وف", "و", "ب", "ل", "ف"), locative_prefixes=frozenset(("ب", "ل", "وب", "ول")),
               features=_features("محافظة منطقة ولاية إقليم اقليم", "مدينة بلدة قرية العاصمة", "الحدود")),
    "fa": dict(locatives="در از به نزدیک سوی", cased=False, feature_first=True, not_before="وزارت وزیر دولت",
               features=_features("استان شهرستان منطقه", "شهر روستای روستا پایتخت", "مرز")),
    "zh": dict(locatives="在 从 到 于 往 至 赴 向 对", cased=False, han=True,
               features=_features("省 县 区 州 地区", "市 镇 村 城")),
}


def _stop_words(code: str) -> frozenset[str]:
    """spaCy's stop words and the time grammar's month and weekday names ("دوشنبه" is Monday, not Dushanbe)."""
    words: set[str] = set()
    with contextlib.suppress(ImportError):
        words |= importlib.import_module(f"spacy.lang.{code}.stop_words").STOP_WORDS
    try:
        time_words = importlib.import_module(f"storyline.read.time.lang.{code}").WORDS
        words |= {w for name in (*time_words.months, *time_words.weekdays) for w in name.split()}
    except (ImportError, AttributeError):
        pass
    return frozenset(fold(w) for w in words)


@lru_cache(maxsize=64)
def place_language(language: str | None) -> PlaceLanguage | None:
    """The place grammar of a language; None for English and languages without one.

    Built once per language: its stop words come from spaCy's lists and the time grammar, folded."""
    code = (language or "").lower().split("-")[0].split("_")[0]
    spec = _LANGUAGES.get(code)
    if spec is None:
        return None
    spec = dict(spec)
    for key in ("locatives", "not_before"):
        if key in spec:
            spec[key] = _words(spec[key])
    for key in ("endings", "prefixes"):  # matched against folded words: "də" is "de" there
        if key in spec:
            spec[key] = tuple(sorted(dict.fromkeys(fold(e) for e in spec[key]), key=len, reverse=True))
    for key in ("locative_endings", "locative_prefixes"):
        if key in spec:
            spec[key] = frozenset(fold(e) for e in spec[key])
    return PlaceLanguage(code=code, stop_words=_stop_words(code), **spec)
