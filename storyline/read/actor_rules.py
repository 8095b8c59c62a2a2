"""Actors where no NER model reads the language: organisations by their head words, people by
capitalised names and titles, national groups by demonyms, with each language's word lists.

Spans come out as (start, end, label) like an NER model's, so actors.py keys them the same way.
A label carries, after a colon, the country it names ("NORP:RU", "ORG:FR", "PERSON:"): demonyms and country names are read
in the article's language (country names from CLDR through Babel, demonyms as a country's stem with
the language's adjective endings: "syriens", "Suriyeli", "российские", "السورية", "ռուսական"), so a
French "russes" and an English "Russians" share the key ``norp:RU``.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

import regex

from storyline.text import fold

_TOKEN = regex.compile(r"\p{Han}|(?:(?!\p{Han})[\p{L}\p{M}])(?:(?!\p{Han})[\p{L}\p{M}\p{N}\u200c])*")
_BREAK = regex.compile(r"[,.;:!?()\[\]«»\"“”„،؛։。，、：；！？\n]")
_HAN_STOP = frozenset("的在和与及了是据称说对向于从将已被也")


@dataclass(frozen=True)
class ActorLanguage:
    """One language's actor words (folded)."""

    code: str
    org_heads: tuple[str, ...] = ()  # a word starting so heads an organisation: "ministère", "bakanlığ"
    head_first: bool = True  # the head comes first ("ministère de la Défense"), or last ("Savunma Bakanlığı")
    compound_heads: tuple[str, ...] = ()  # a word ending so is an organisation: German "verteidigungsministerium"
    links: frozenset[str] = frozenset()  # words inside a name: "de", "la"
    complement_endings: tuple[str, ...] = ()  # lower-case words that belong to a name: Russian genitives
    titles: frozenset[str] = frozenset()  # words before a person's name
    demonym_endings: tuple[str, ...] = ()
    demonyms: dict[str, str] | None = None  # irregular ones: "turc": "TR"
    article: str = ""  # a prefix glued to words: Arabic "ال"
    min_stem: int = 4
    max_rest: int = 4  # a demonym's stem leaves at most this much of the country's name: "syri|e", "ռուս|աստան"
    next_words: int = 0  # words after the head taken without a sign they belong: Persian ezafe, "وزارت کشور"


def _w(spaced: str) -> frozenset[str]:
    return frozenset(fold(w) for w in spaced.split())


def _t(spaced: str) -> tuple[str, ...]:
    return tuple(sorted((fold(w) for w in spaced.split()), key=len, reverse=True))


_ROMANCE_LINKS = ("de du des la le les l d del della delle dell dello degli dei di da do dos das y e et per para pour "
                  "no na nos nas")
_LANGUAGES = {
    "fr": ActorLanguage("fr", _t("ministère gouvernement armée parti conseil commission agence organisation union "
                                 "comité banque tribunal cour police gendarmerie forces ambassade assemblée parlement "
                                 "sénat office fonds croix"),
                        links=_w(_ROMANCE_LINKS), titles=_w("m mme président présidente ministre général porte-parole "
                                                            "premier chef maire ambassadeur colonel"),
                        demonym_endings=_t("iennes iens ienne ien aises aise ais oises oise ois aines aine ains ain "
                                           "ardes arde ards ard andes ande ands and es e s"),
                        demonyms={"turc": "TR", "turcs": "TR", "turque": "TR", "turques": "TR", "grec": "GR",
                                  "grecs": "GR", "grecque": "GR", "americain": "US", "americains": "US",
                                  "americaine": "US", "allemand": "DE", "allemands": "DE", "allemande": "DE",
                                  "russe": "RU", "russes": "RU"}),
    "es": ActorLanguage("es", _t("ministerio gobierno ejército partido consejo comisión agencia organización unión "
                                 "comité banco tribunal corte policía fuerzas embajada asamblea parlamento senado "
                                 "fondo cruz"),
                        links=_w(_ROMANCE_LINKS), titles=_w("presidente presidenta ministro ministra general portavoz "
                                                            "primer jefe alcalde embajador coronel señor señora"),
                        demonym_endings=_t("anos anas ano ana enses ense eses esa és íes í os as o a"),
                        demonyms={"turco": "TR", "turcos": "TR", "turca": "TR", "turcas": "TR", "estadounidense": "US",
                                  "estadounidenses": "US", "aleman": "DE", "alemanes": "DE", "alemana": "DE"}),
    "it": ActorLanguage("it", _t("ministero governo esercito partito consiglio commissione agenzia organizzazione "
                                 "unione comitato banca tribunale corte polizia forze ambasciata assemblea parlamento "
                                 "senato fondo croce"),
                        links=_w(_ROMANCE_LINKS), titles=_w("presidente ministro ministra generale portavoce premier "
                                                            "capo sindaco ambasciatore colonnello"),
                        demonym_endings=_t("iani iane iano iana esi ese ini ina ino i e o a"),
                        demonyms={"turco": "TR", "turchi": "TR", "turca": "TR", "statunitense": "US",
                                  "statunitensi": "US", "tedesco": "DE", "tedeschi": "DE", "tedesca": "DE"}),
    "pt": ActorLanguage("pt", _t("ministério governo exército partido conselho comissão agência organização união "
                                 "comitê banco tribunal polícia forças embaixada assembleia parlamento senado fundo "
                                 "cruz"),
                        links=_w(_ROMANCE_LINKS), titles=_w("presidente ministro ministra general porta-voz primeiro "
                                                            "chefe prefeito embaixador coronel"),
                        demonym_endings=_t("anos anas ano ana enses ense eses esa ês os as o a"),
                        demonyms={"turco": "TR", "turcos": "TR", "turca": "TR", "americano": "US",
                                  "americanos": "US", "alemao": "DE", "alemaes": "DE", "alema": "DE", "espanhol": "ES",
                                  "espanhois": "ES", "espanhola": "ES", "espanholas": "ES"}),
    "de": ActorLanguage("de", _t("ministerium regierung armee partei rat kommission agentur organisation union "
                                 "komitee bank gericht polizei streitkräfte botschaft parlament bundestag"),
                        compound_heads=_t("ministerium regierung armee partei kommission agentur organisation "
                                          "gericht polizei streitkräfte botschaft amt behörde"),
                        links=_w("der des für und von"), titles=_w("präsident präsidentin minister ministerin general "
                                                                 "sprecher sprecherin kanzler kanzlerin chef herr "
                                                                 "frau bürgermeister botschafter oberst"),
                        demonym_endings=_t("ischen ische ischer isches isch er en e"),
                        demonyms={"türken": "TR", "türkische": "TR", "deutsche": "DE", "deutschen": "DE",
                                  "amerikanische": "US", "amerikanischen": "US", "us": "US"}),
    "ru": ActorLanguage("ru", _t("министерств правительств армия армии партия партии совет комисси агентств "
                                 "организаци союз комитет банк суд полиция полиции войск посольств дума парламент "
                                 "минобороны мид служб ведомств"),
                        links=_w("и по при"), complement_endings=_t("ы и ой ей ого его их ов ев ств ния ций ства ым ам ям"),
                        titles=_w("президент премьер министр глава генерал полковник губернатор мэр посол "
                                  "председатель спикер представитель"),
                        demonym_endings=_t("йский йская йские йских йского йской йскому йским йскую йское ский "
                                           "ская ские ских ского ской скому ским скими скую ское нский нская нские "
                                           "нских цы цев ец"),
                        demonyms={"турецкий": "TR", "турецкие": "TR", "турецких": "TR", "турецкой": "TR",
                                  "американский": "US", "американские": "US", "американских": "US"}),
    "uk": ActorLanguage("uk", _t("міністерств уряд армія армії партія партії рада ради комісі агентств організаці "
                                 "союз комітет банк суд поліція поліції військ посольств парламент служб"),
                        links=_w("і та з"), complement_endings=_t("и і ої ого их ів ства ння ій"),
                        titles=_w("президент прем'єр міністр голова генерал полковник губернатор мер посол "
                                  "речник представник"),
                        demonym_endings=_t("йський йська йські йських йського ський ська ські ських ського ським "
                                           "ськими ською нський нська нські нських"),
                        demonyms={"турецький": "TR", "турецькі": "TR", "турецьких": "TR", "американський": "US",
                                  "американські": "US", "американських": "US"}),
    "tr": ActorLanguage("tr", _t("bakanlığı bakanlık hükümeti hükümet ordusu partisi meclisi konseyi komisyonu "
                                 "ajansı örgütü birliği komitesi bankası mahkemesi polisi kuvvetleri büyükelçiliği "
                                 "başkanlığı valiliği"), head_first=False,
                        titles=_w("cumhurbaşkanı bakan bakanı başbakan genel sözcüsü sözcü başkanı başkan vali "
                                  "büyükelçi albay general"),
                        demonym_endings=_t("liler lılar lular lüler li lı lu lü"),
                        demonyms={"türk": "TR", "türkler": "TR", "rus": "RU", "ruslar": "RU", "amerikan": "US",
                                  "ermeni": "AM", "ermeniler": "AM", "azerbaycanlı": "AZ", "iranlı": "IR",
                                  "alman": "DE", "fransız": "FR", "ingiliz": "GB", "çinli": "CN", "arap": "SA", "gürcü": "GE",
                                  "gürcüler": "GE", "yunan": "GR"}),
    "az": ActorLanguage("az", _t("nazirliyi nazirlik hökuməti hökumət ordusu partiyası məclisi şurası komissiyası "
                                 "agentliyi təşkilatı birliyi komitəsi bankı məhkəməsi polisi qüvvələri səfirliyi "
                                 "idarəsi"), head_first=False,
                        titles=_w("prezident prezidenti nazir naziri baş sözçüsü sözçü rəhbəri başçısı səfir "
                                  "polkovnik general"),
                        demonym_endings=_t("lılar lilər lular lülər lı li lu lü"),
                        demonyms={"türk": "TR", "rus": "RU", "ruslar": "RU", "amerikan": "US", "erməni": "AM",
                                  "ermənilər": "AM", "azərbaycanlı": "AZ", "iranlı": "IR", "gürcü": "GE",
                                  "alman": "DE", "fransız": "FR", "ingilis": "GB", "çinli": "CN"}),
    "hy": ActorLanguage("hy", _t("նախարարություն կառավարություն բանակ կուսակցություն խորհուրդ հանձնաժողով "
                                 "գործակալություն կազմակերպություն միություն կոմիտե բանկ դատարան ոստիկանություն "
                                 "ուժեր դեսպանություն ժողով"), head_first=False,
                        complement_endings=_t("ության ների ի"),
                        titles=_w("նախագահ նախագահը վարչապետ նախարար նախարարը գեներալ խոսնակ դեսպան "
                                  "քաղաքապետ"),
                        demonym_endings=_t("ականները ական ացիները ացիներ ացի"), min_stem=3,
                        demonyms={"հայ": "AM", "հայերը": "AM", "թուրք": "TR", "թուրքերը": "TR", "ռուս": "RU",
                                  "ադրբեջանցի": "AZ", "ադրբեջանցիները": "AZ", "վրացական": "GE", "վրացի": "GE",
                                  "վրացիները": "GE"}, max_rest=6),
    "ar": ActorLanguage("ar", _t("وزارة الحكومة حكومة الجيش جيش حزب مجلس لجنة وكالة منظمة اتحاد بنك محكمة الشرطة "
                                 "شرطة قوات سفارة البرلمان برلمان"),
                        titles=_w("الرئيس رئيس وزير الوزير المتحدث الناطق اللواء العقيد السفير الأمين المحافظ محافظ"),
                        demonym_endings=_t("يون يين يات ية ي"), article="ال", min_stem=3,
                        demonyms={"الأمريكي": "US", "الأمريكية": "US", "الأميركي": "US", "الأميركية": "US",
                                  "الأمريكيين": "US", "التركي": "TR", "التركية": "TR"}),
    "fa": ActorLanguage("fa", _t("وزارت دولت ارتش حزب شورای مجلس کمیسیون خبرگزاری سازمان اتحادیه کمیته بانک "
                                 "دادگاه پلیس نیروهای سفارت سپاه"),
                        titles=_w("رئیس‌جمهور رئیس وزیر سخنگوی سردار سرتیپ سفیر استاندار فرماندار شهردار"),
                        next_words=1,
                        demonym_endings=_t("ی‌ها یها یان ی"), min_stem=3,
                        demonyms={"آمریکایی": "US", "ترک": "TR", "افغان": "AF", "افغانی": "AF"}),
    "zh": ActorLanguage("zh", compound_heads=("国防部", "外交部", "内政部", "管理部", "公安部", "卫生部", "交通部",
                                              "财政部", "商务部", "教育部", "司法部", "政府", "军队", "部队", "委员会",
                                              "组织", "联合国", "议会", "警方", "法院", "大使馆", "通讯社", "新闻社")),
}


# Words of institutions' names in each language, as the English word an English name uses: the key of
# "ministère de la Défense", "Savunma Bakanlığı" and "Defense Ministry" is then the same. A trailing
# "*" makes a stem (Russian and Ukrainian words arrive stemmed, Arabic ones with or without "ال").
_ORG_WORDS = {
    "ministry": "ministere ministerio ministero ministerium министерств* міністерств* bakanligi bakanlik nazirliyi "
                "nazirlik նախարարություն* وزارة وزارت",
    "defense": "defense defensa difesa defesa verteidigung verteidigungs оборон* savunma mudafie պաշտպանության الدفاع "
               "دفاع",
    "interior": "interieur interior interno interna innen inneren внутренн* внутрішн* icisleri daxili ներքին "
                "الداخلية داخلية کشور",
    "foreign": "etrangeres exteriores esteri estrangeiros auswartig auswartige auswartigen иностранн* закордонн* "
               "disisleri xarici արտաքին الخارجية خارجه",
    "": "affaires asuntos affari negocios angelegenheiten дел справ isleri işleri գործերի شؤون امور",
    "emergency": "urgence urgences emergencias emergenze emergencia чрезвычайн* надзвичайн* acil fovqelade "
                 "արտակարգ الطوارئ",
    "situations": "situations situaciones ситуаци* ситуаці* hallar իրավիճակների",
    "health": "sante sanidad salute saude gesundheit здравоохранени* охорони saglik sehiyye առողջապահության الصحة "
              "بهداشت",
    "government": "gouvernement gobierno governo regierung правительств* уряд* hukumet hukumeti hokumet hokumeti "
                  "կառավարություն* الحكومة حكومة دولت",
    "army": "armee ejercito esercito exercito армия армии армі* ordu ordusu բանակ* الجيش جيش ارتش",
    "police": "police policia polizia polizei полици* поліці* polis polisi ոստիկանություն* الشرطة شرطة پلیس",
    "parliament": "parlement parlamento parlament bundestag парламент* meclis meclisi milli البرلمان",
    "council": "conseil consejo consiglio conselho rat совет* рад* konseyi surasi խորհուրդ* مجلس شورای",
    "security": "securite seguridad sicurezza seguranca sicherheits sicherheit безопасност* безпеки guvenlik "
                "tehlukesizlik անվտանգության الأمن امنیت",
    "service": "service servicio servizio servico dienst служб* sluzhb* hizmet xidmet ծառայություն* خدمة",
    "state": "etat estado stato staat государственн* державн* devlet dovlet պետական الدولة",
    "national": "national nacional nazionale nationale национальн* національн* ulusal milli ազգային الوطنية ملی",
}
_HAN_ORG = {"国防部": "defense ministry", "外交部": "foreign ministry", "内政部": "interior ministry",
            "应急管理部": "emergency ministry", "卫生部": "health ministry", "公安部": "security ministry",
            "政府": "government", "军队": "army", "警方": "police", "议会": "parliament",
            "联合国": "united nations", "部队": "army"}


@lru_cache(maxsize=1)
def _org_index() -> tuple[dict[str, str], list[tuple[str, str]]]:
    exact: dict[str, str] = {}
    stems: list[tuple[str, str]] = []
    for english, spaced in _ORG_WORDS.items():
        for word in spaced.split():
            if word.endswith("*"):
                stems.append((fold(word[:-1]), english))
            else:
                exact[fold(word)] = english
    stems.sort(key=lambda s: -len(s[0]))
    return exact, stems


def _english_word(word: str) -> str | None:
    exact, stems = _org_index()
    for form in (word, word[2:] if word.startswith("ال") else word):
        if form in exact:
            return exact[form]
        for stem, english in stems:
            if form.startswith(stem):
                return english
    return None


def english_org_words(words: list[str]) -> list[str]:
    """An institution's name words as an English name has them ("ministere", "defense" -> "ministry",
    "defense"; "verteidigungsministerium" -> "defense", "ministry"; "国防部" -> "defense", "ministry"), so that
    its key is the same in every language. Words outside the list stay as they are."""
    out: list[str] = []
    exact, _ = _org_index()
    for word in words:
        english = _english_word(word)
        if english is not None:
            out += english.split()
            continue
        han = next((k for k in sorted(_HAN_ORG, key=len, reverse=True) if word.endswith(k)), None)
        if han is not None:
            out += _HAN_ORG[han].split()
            continue
        head = next((k for k in sorted(exact, key=len, reverse=True) if len(k) >= 5 and word.endswith(k) and len(word) > len(k)), None)
        if head is not None:  # a German compound: "innenministerium"
            rest = word[: -len(head)]
            out += [*(_english_word(rest) or _english_word(rest.rstrip("s")) or rest).split(), *exact[head].split()]
            continue
        out.append(word)
    return [w for w in out if w]


def is_country_word(word: str, language: str | None) -> bool:
    """A folded word that names a country or its people in the language: "francais", "україни"."""
    lang = actor_language(language)
    if lang is None:
        return False
    from storyline.read.places.languages import place_language

    names = country_names(lang.code)
    grammar = place_language(lang.code)
    forms = [word, *(word + base for base in ("а", "я", "ия", "ія"))]  # Russian-stemmed words: "украін"
    forms += [form for form, _ in grammar.inflections(word)] if grammar else []
    return any(f in names for f in forms) or _demonym(word, lang.code) is not None


@lru_cache(maxsize=16)
def actor_language(language: str | None) -> ActorLanguage | None:
    return _LANGUAGES.get((language or "").lower().split("-")[0].split("_")[0])


@lru_cache(maxsize=16)
def country_names(code: str) -> dict[str, str]:
    """Folded country names in a language (CLDR through Babel) -> ISO alpha-2."""
    from babel import Locale

    out: dict[str, str] = {}
    for territory, name in Locale(code).territories.items():
        if len(territory) == 2 and territory.isalpha() and territory not in ("ZZ", "EU", "UN", "QO", "EZ"):
            out.setdefault(fold(name), territory)
    return out


@lru_cache(maxsize=16)
def _irregular(code: str) -> dict[str, str]:
    return {fold(k): v for k, v in (_LANGUAGES[code].demonyms or {}).items()}


@lru_cache(maxsize=4096)
def _demonym(key: str, code: str) -> str | None:
    """The country a folded word names as a demonym or adjective in this language, if exactly one."""
    lang = _LANGUAGES[code]
    min_stem = lang.min_stem
    if lang.article and key.startswith(lang.article):
        key = key[len(lang.article) :]
    elif lang.article:
        min_stem += 1  # "سامي" (a name) is no "سامو"-an without the article agreement brings
    irregular = _irregular(code)
    if key in irregular or (lang.article + key) in irregular:
        return irregular.get(key) or irregular[lang.article + key]
    names = country_names(code)
    single = [(n, c) for n, c in names.items() if " " not in n and len(n) >= lang.min_stem]
    for ending in lang.demonym_endings:
        if not key.endswith(ending) or len(key) - len(ending) < min_stem:
            continue
        stem = key[: -len(ending)]
        hits = sorted(
            (len(n), c)
            for n, c in single
            if (n.startswith(stem) and len(n) - len(stem) <= lang.max_rest)
            or (len(n) > lang.min_stem + 1 and (stem.startswith(n[:-1]) or stem.startswith(n[:-2])))
        )
        if len({c for _, c in hits}) == 1 or (len(hits) > 1 and hits[0][0] < hits[1][0]):
            return hits[0][1]  # one country, or one nearest the stem: "سوري" is Syria before Suriname
        if hits:
            return None
    return None


def _country_in(keys: list[str], code: str) -> str | None:
    """A country named in an organisation's name, inflected perhaps ("Հայաստանի", "України")."""
    from storyline.read.places.languages import place_language

    names = country_names(code)
    grammar = place_language(code)
    for size in range(min(4, len(keys)), 0, -1):
        for begin in range(len(keys) - size + 1):
            words = keys[begin : begin + size]
            hit = names.get(" ".join(words))
            if hit:
                return hit
            if grammar is not None and size == 1:
                for form, _cue in grammar.inflections(words[0]):
                    if form in names:
                        return names[form]
    for key in keys:
        if hit := _demonym(key, code):
            return hit
    return None


def rule_spans(text: str, language: str | None, stop_words: frozenset[str], place_keys: set[str],
               with_names: bool = True) -> list[tuple[int, int, str]]:  # fmt: skip
    """Actor spans by rule: demonyms always; organisations and people when ``with_names``
    (no NER model read the text). ``place_keys``: folded words of the article's places."""
    lang = actor_language(language)
    if lang is None or not text:
        return []
    toks = [(m.start(), m.end(), m.group(), fold(m.group())) for m in _TOKEN.finditer(text)]
    spans: list[tuple[int, int, str]] = []
    taken: set[int] = set()
    if lang.code == "zh":
        spans += _han_groups(text, with_names, lang)
        return sorted(spans)
    elif with_names:
        for a, b, country in _organisations(text, toks, lang, stop_words):
            spans.append((toks[a][0], toks[b - 1][1], f"ORG:{country or ''}"))
            taken.update(range(a, b))
    for i, (start, end, _word, key) in enumerate(toks):
        if i in taken or key in stop_words or key in place_keys or len(key) < 3:
            continue
        code = _demonym(key, lang.code)
        if code is not None:
            spans.append((start, end, f"NORP:{code}"))
            taken.add(i)
    if with_names and lang.code != "zh":
        spans += _people(text, toks, lang, stop_words, place_keys, taken)
    return sorted(spans)


def _gap(text: str, toks: list, a: int, b: int) -> str:
    return text[toks[a][1] : toks[b][0]]


def _capital(word: str) -> bool:
    return word[:1].isupper()


def _organisations(text: str, toks: list, lang: ActorLanguage, stop_words: frozenset[str]) -> list[tuple[int, int, str | None]]:
    out: list[tuple[int, int, str | None]] = []
    n = len(toks)
    i = 0
    while i < n:
        key = toks[i][3]
        head = any(key.startswith(h) for h in lang.org_heads)
        compound = not head and any(key.endswith(h) for h in lang.compound_heads) and len(key) > 2
        if not (head or compound) or key in stop_words and not head:
            i += 1
            continue
        a, b = i, i + 1
        if lang.code == "zh":
            break
        if lang.head_first and head:
            while a > 0 and i - a < 2 and not _BREAK.search(_gap(text, toks, a - 1, a)) and _capital(toks[a - 1][2]) \
                    and toks[a - 1][3] not in stop_words:
                a -= 1  # "Державна служба", "Federal Ministry"
            for _ in range(lang.next_words):  # Persian ezafe: "وزارت کشور"
                if b < n and toks[b][3] not in stop_words and not _BREAK.search(_gap(text, toks, b - 1, b)):
                    b += 1
            while b < n and b - a < 6 and not _BREAK.search(_gap(text, toks, b - 1, b)):
                word, k = toks[b][2], toks[b][3]
                if k in lang.links or _capital(word) or (lang.article and k.startswith(lang.article) and len(k) > 3) or (
                    lang.complement_endings and k.endswith(lang.complement_endings) and k not in stop_words and len(k) > 3
                ) or _demonym(k, lang.code):
                    b += 1
                    continue
                break
            while b > a + 1 and toks[b - 1][3] in lang.links:
                b -= 1
        else:  # the head comes last: "Savunma Bakanlığı", "պաշտպանության նախարարությունը", "Verteidigungsministerium"
            while a > 0 and i - a < 4 and not _BREAK.search(_gap(text, toks, a - 1, a)):
                word, k = toks[a - 1][2], toks[a - 1][3]
                if (_capital(word) and k not in stop_words) or (
                    lang.complement_endings and k.endswith(lang.complement_endings) and k not in stop_words and len(k) > 3
                ) or _demonym(k, lang.code):
                    a -= 1
                    continue
                break
        if b - a >= 2 or (compound and _capital(toks[i][2])):
            keys = [t[3] for t in toks[a:b]]
            out.append((a, b, _country_in(keys, lang.code)))
        i = max(b, i + 1)
    return out


_HAN_PEOPLE = regex.compile("(?=人|籍|军|士兵|志愿者|公民|游客|难民|官员|方面)")  # every place one starts


@lru_cache(maxsize=1)
def _han_country_names() -> tuple[dict[str, str], tuple[int, ...]]:
    """Chinese country names of two characters or more, and their lengths (built once)."""
    names = {name: country for name, country in country_names("zh").items() if len(name) >= 2}
    return names, tuple(sorted({len(name) for name in names}))


@lru_cache(maxsize=4)
def _han_heads(heads: tuple[str, ...]) -> regex.Pattern:
    return regex.compile("|".join(sorted(heads, key=len, reverse=True)))


def _han_groups(text: str, with_names: bool, lang: ActorLanguage) -> list[tuple[int, int, str]]:
    """俄罗斯国防部, 联合国: a head word and the characters before it, up to a function character;
    日本志愿者: a country's name before a word for its people is a national group."""
    out: list[tuple[int, int, str]] = []
    names, lengths = _han_country_names()
    for m in _HAN_PEOPLE.finditer(text):  # every country name right before a word for people
        end = m.start()
        for size in lengths:
            if size <= end and (country := names.get(text[end - size : end])) is not None:
                out.append((end - size, end, f"NORP:{country}"))
    if not with_names:
        return out
    for m in _han_heads(lang.compound_heads).finditer(text):
        a = m.start()
        while a > 0 and m.start() - a < 6 and regex.match(r"\p{Han}", text[a - 1]) and text[a - 1] not in _HAN_STOP:
            a -= 1
        if m.end() - a >= 3:
            country = next((c for n, c in country_names("zh").items() if n and n in text[a : m.start()]), None)
            out.append((a, m.end(), f"ORG:{country or ''}"))
    return out


def _people(text: str, toks: list, lang: ActorLanguage, stop_words: frozenset[str], place_keys: set[str],
            taken: set[int]) -> list[tuple[int, int, str]]:  # fmt: skip
    """Runs of two or three capitalised words that are no place, group or stop word, and the words
    after a title ("le président X", "الرئيس X")."""
    out: list[tuple[int, int, str]] = []
    n = len(toks)
    cased = any(c.isupper() for c in text[:2000])
    i = 0
    while i < n:
        titled = toks[i][3] in lang.titles
        start = i + 1 if titled else i
        b = start
        while b < n and b - start < 3 and b not in taken and not _BREAK.search(_gap(text, toks, b - 1, b) if b > 0 else ""):
            word, key = toks[b][2], toks[b][3]
            if key in stop_words or key in place_keys or key in lang.titles or _demonym(key, lang.code):
                break
            if cased and not _capital(word):
                break
            if not cased and not titled:
                break
            b += 1
            if not cased and b - start == 2:
                break
        if b - start >= 2 or (titled and b - start == 1 and (cased or len(toks[start][3]) > 2)):
            out.append((toks[start][0], toks[b - 1][1], "PERSON:"))
            i = b
            continue
        i += 1
    return out
