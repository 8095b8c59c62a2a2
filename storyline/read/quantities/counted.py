"""What a quantity counts, as a key that is the same in every language.

News counts a small set of things again and again: people, the dead, the injured, refugees,
soldiers, homes. A report in French says "personnes", one in Turkish "kişi", one in English
"people": fusion compares quantities only when they count the same thing, so each counted word is
mapped to a concept of this lexicon ("people"), and any other word to its folded lemma under its
language ("en:shop", "fr:boutique"), which still matches the same word across reports of one language.

Words are folded (fold_key) and a trailing "*" makes a stem: "réfugié*" covers "réfugiés",
"беженц*" covers "беженцев". Arabic and Persian words are looked up with and without the clitics
glued before them ("و", "ب", "ال").
"""

from __future__ import annotations

from functools import lru_cache

from storyline.text import fold_key

_LEXICON: dict[str, dict[str, str]] = {
    "people": {
        "en": "people person persons individuals", "fr": "personne* gens individus", "es": "persona* gente individuos",
        "de": "menschen mensch personen person leute", "it": "persone persona gente individui",
        "pt": "pessoa* gente individuos", "ru": "человек человека людей люди лиц", "uk": "людей люди людина осіб особи",
        "tr": "kişi* insan*", "az": "nəfər* insan* adam", "hy": "մարդ* անձ*", "ar": "شخص* أشخاص اشخاص نسمة",
        "fa": "نفر* تن شخص افراد", "zh": "人 人员 民众",
    },
    "dead": {
        "en": "dead deaths fatalities victims bodies killed", "fr": "morts mort tués tue* déces victimes",
        "es": "muertos muerto* fallecido* victimas", "de": "tote* getötete* todesopfer opfer",
        "it": "morti morto* vittime uccis*", "pt": "mortos morto* vitimas", "ru": "погибш* убит* жертв*",
        "uk": "загибл* вбит* жертв*", "tr": "ölü* can kaybı", "az": "ölü* həlak*", "hy": "զոհ* սպանված*",
        "ar": "قتيل* قتلى ضحايا وفاة", "fa": "کشته* قربانی*", "zh": "死亡 遇难 丧生 死者 罹难",
    },
    "injured": {
        "en": "injured wounded hurt injuries", "fr": "blessé*", "es": "herido*", "de": "verletzte* verwundete*",
        "it": "ferit*", "pt": "ferido*", "ru": "ранен* пострадавш*", "uk": "поранен* постраждал*",
        "tr": "yaralı*", "az": "yaralı* yaralan*", "hy": "վիրավոր*", "ar": "جريح* جرحى مصاب*",
        "fa": "زخمی* مجروح*", "zh": "受伤 伤者 伤员 负伤",
    },
    "missing": {
        "en": "missing", "fr": "disparu*", "es": "desaparecido*", "de": "vermisste*", "it": "dispers*",
        "pt": "desaparecido*", "ru": "пропавш*", "uk": "зниклих зниклі", "tr": "kayıp*", "az": "itkin*",
        "hy": "անհետ*", "ar": "مفقود*", "fa": "مفقود*", "zh": "失踪",
    },
    "refugees": {
        "en": "refugees refugee displaced evacuees evacuee", "fr": "réfugié* déplacé* évacué*",
        "es": "refugiado* desplazado* evacuado*", "de": "flüchtling* geflüchtete* vertriebene*",
        "it": "rifugiat* profugh* sfollat*", "pt": "refugiado* deslocado*", "ru": "беженц* беженк* переселенц*",
        "uk": "біженц* біженк* переселенц*", "tr": "mülteci* sığınmacı*", "az": "qaçqın* köçkün*",
        "hy": "փախստական*", "ar": "لاجئ* نازح* مهجر*", "fa": "پناهجو* پناهنده* آواره*", "zh": "难民 撤离者",
    },
    "migrants": {
        "en": "migrants migrant", "fr": "migrant*", "es": "migrante*", "de": "migrant*", "it": "migrant*",
        "pt": "migrante*", "ru": "мигрант*", "uk": "мігрант*", "tr": "göçmen*", "az": "miqrant*",
        "hy": "միգրանտ*", "ar": "مهاجر*", "fa": "مهاجر*", "zh": "移民",
    },
    "soldiers": {
        "en": "soldiers soldier troops servicemen", "fr": "soldat* militaires troupes", "es": "soldado* militares tropas",
        "de": "soldat* truppen", "it": "soldat* militari truppe", "pt": "soldado* militares tropas",
        "ru": "военн* солдат* военнослужащ*", "uk": "військов* солдат*", "tr": "asker*", "az": "əsgər* hərbçi*",
        "hy": "զինվոր* զինծառայող*", "ar": "جندي* جنود عسكري*", "fa": "سرباز* نظامی*", "zh": "士兵 军人 官兵 部队",
    },
    "fighters": {
        "en": "fighters militants rebels insurgents", "fr": "combattant* rebelles insurgés", "es": "combatiente* rebeldes",
        "de": "kämpfer* rebellen", "it": "combattent* ribelli", "pt": "combatente* rebeldes", "ru": "боевик* бойц*",
        "uk": "бойовик* бійц*", "tr": "militan* savaşçı*", "az": "yaraqlı*", "hy": "զինյալ*", "ar": "مسلح* مقاتل*",
        "fa": "شبه‌نظامی* ستیزه‌جو*", "zh": "武装分子 战斗人员",
    },
    "civilians": {
        "en": "civilians civilian", "fr": "civils", "es": "civiles", "de": "zivilist*", "it": "civili", "pt": "civis",
        "ru": "мирных", "uk": "цивільн*", "tr": "sivil*", "az": "mülki* dinc", "hy": "խաղաղ", "ar": "مدني*",
        "fa": "غیرنظامی*", "zh": "平民",
    },
    "residents": {
        "en": "residents inhabitants", "fr": "habitant*", "es": "habitante* vecinos", "de": "einwohner* bewohner*",
        "it": "abitant* residenti", "pt": "habitante* moradores", "ru": "жител*", "uk": "жител* мешканц*",
        "tr": "sakin*", "az": "sakin*", "hy": "բնակիչ*", "ar": "سكان ساكن*", "fa": "ساکن*", "zh": "居民",
    },
    "children": {
        "en": "children child kids minors", "fr": "enfant*", "es": "niño* menores", "de": "kinder kind",
        "it": "bambin* minori", "pt": "criança*", "ru": "детей дети ребенок ребенка", "uk": "дітей діти дитина",
        "tr": "çocuk*", "az": "uşaq*", "hy": "երեխա*", "ar": "طفل* أطفال اطفال", "fa": "کودک* بچه*", "zh": "儿童 孩子",
    },
    "police": {
        "en": "police policemen officers", "fr": "policier*", "es": "policía* agentes", "de": "polizist*",
        "it": "poliziott* agenti", "pt": "policia* policiais agentes", "ru": "полицейск*", "uk": "поліцейськ*",
        "tr": "polis*", "az": "polis*", "hy": "ոստիկան*", "ar": "شرطي*", "fa": "پلیس* مامور*", "zh": "警察 警员",
    },
    "protesters": {
        "en": "protesters protestors demonstrators", "fr": "manifestant*", "es": "manifestante*", "de": "demonstrant*",
        "it": "manifestant*", "pt": "manifestante*", "ru": "протестующ* демонстрант* митингующ*",
        "uk": "протестувальник* демонстрант*", "tr": "protestocu* gösterici*", "az": "etirazçı*", "hy": "ցուցարար*",
        "ar": "متظاهر*", "fa": "معترض* تظاهرکننده*", "zh": "抗议者 示威者",
    },
    "detainees": {
        "en": "detainees prisoners arrested detained captives", "fr": "détenu* prisonnier* arrêté* interpellé*",
        "es": "detenido* preso* prisionero*", "de": "festgenommene* gefangene* häftling*",
        "it": "arrestat* detenut* prigionier*", "pt": "detido* preso* prisioneiro*",
        "ru": "задержан* заключенн* пленн* арестованн*", "uk": "затриман* полонен* в'язн*",
        "tr": "gözaltı* tutuklu* esir*", "az": "saxlanıl* əsir*", "hy": "ձերբակալված* գերի*",
        "ar": "معتقل* أسير* أسرى سجين* موقوف*", "fa": "بازداشت* زندانی* اسیر*", "zh": "被捕 拘留 囚犯 战俘",
    },
    "homes": {
        "en": "homes houses house dwellings", "fr": "maison* logement* habitation*", "es": "casas casa vivienda*",
        "de": "häuser haus wohnung*", "it": "case casa abitazion*", "pt": "casas casa residencia* moradias",
        "ru": "дом дома домов", "uk": "будинк* будинок", "tr": "ev evler* konut*", "az": "ev evlər* mənzil*",
        "hy": "տուն տներ* տան", "ar": "منزل* منازل بيت بيوت", "fa": "خانه*", "zh": "房屋 住房 房子 民房",
    },
    "buildings": {
        "en": "buildings building", "fr": "bâtiment* immeuble*", "es": "edificio*", "de": "gebäude*",
        "it": "edifici* palazz*", "pt": "edificio* predio*", "ru": "здани*", "uk": "будівл*", "tr": "bina*",
        "az": "bina*", "hy": "շենք*", "ar": "مبنى مبان* بناية*", "fa": "ساختمان*", "zh": "建筑 楼房",
    },
    "villages": {
        "en": "villages settlements", "fr": "village* localité*", "es": "aldea* pueblos localidad*",
        "de": "dörfer dorf ortschaft*", "it": "villagg* paesi", "pt": "aldeia* povoado*", "ru": "сел села сёл деревн* населенн*",
        "uk": "сіл села населен*", "tr": "köy*", "az": "kənd*", "hy": "գյուղ*", "ar": "قرية* قرى", "fa": "روستا*",
        "zh": "村庄 村落",
    },
    "families": {
        "en": "families family households", "fr": "famille*", "es": "familia*", "de": "familie*", "it": "famigli*",
        "pt": "familia*", "ru": "семей семьи семья", "uk": "сімей сім'ї родин*", "tr": "aile*", "az": "ailə*",
        "hy": "ընտանիք*", "ar": "عائلة* عائلات أسرة أسر", "fa": "خانواده*", "zh": "家庭 户",
    },
    "vehicles": {
        "en": "vehicles cars trucks", "fr": "véhicule* voiture* camion*", "es": "vehículo* coches camion*",
        "de": "fahrzeug* autos lastwagen", "it": "veicol* auto camion", "pt": "veiculo* carros caminh*",
        "ru": "машин* автомобил* грузовик*", "uk": "машин* автомобіл* вантажівк*", "tr": "araç* araba* kamyon*",
        "az": "avtomobil* maşın*", "hy": "մեքենա*", "ar": "سيارة* سيارات مركبة* آلية*", "fa": "خودرو* ماشین*",
        "zh": "车辆 汽车 卡车",
    },
    "aircraft": {
        "en": "aircraft planes jets drones helicopters", "fr": "avion* drone* hélicoptère*", "es": "avion* drones helicóptero*",
        "de": "flugzeug* drohne* hubschrauber", "it": "aere* droni elicotter*", "pt": "avi* drones helicóptero*",
        "ru": "самолет* дрон* беспилотник* вертолет*", "uk": "літак* дрон* безпілотник* гелікоптер*",
        "tr": "uçak* dron* İHA helikopter*", "az": "təyyarə* dron* pilotsuz* helikopter*", "hy": "ինքնաթիռ* անօդաչու*",
        "ar": "طائرة* طائرات مسيرة* مسيرات", "fa": "هواپیما* پهپاد* بالگرد*", "zh": "飞机 无人机 直升机",
    },
    "missiles": {
        "en": "missiles missile rockets rocket shells", "fr": "missile* roquette* obus", "es": "misil* cohete* proyectil*",
        "de": "rakete* geschosse granaten", "it": "missil* razz* proiettil*", "pt": "miss* foguete* projéte*",
        "ru": "ракет* снаряд*", "uk": "ракет* снаряд*", "tr": "füze* roket* mermi*", "az": "raket* mərmi*",
        "hy": "հրթիռ* արկ*", "ar": "صاروخ* صواريخ قذيفة* قذائف", "fa": "موشک* راکت* خمپاره*", "zh": "导弹 火箭弹 炮弹",
    },
    "tanks": {
        "en": "tanks", "fr": "chars", "es": "tanques", "de": "panzer", "it": "carri armati", "pt": "tanques",
        "ru": "танк*", "uk": "танк*", "tr": "tank*", "az": "tank*", "hy": "տանկ*", "ar": "دبابة* دبابات",
        "fa": "تانک*", "zh": "坦克",
    },
    "votes": {
        "en": "votes voters ballots", "fr": "voix votes électeurs", "es": "votos votantes electores",
        "de": "stimmen wähler*", "it": "voti elettori", "pt": "votos eleitores", "ru": "голос* избирател*",
        "uk": "голос* виборц*", "tr": "oy* seçmen*", "az": "səs* seçici*", "hy": "ձայն* ընտրող*",
        "ar": "صوت أصوات ناخب*", "fa": "رأی* رای* رای‌دهنده*", "zh": "选票 选民",
    },
}  # fmt: skip
# Every language's stems also apply when the language is unknown.
_ANY = "*any*"
_CLITICS = ("وال", "بال", "لل", "ال", "و", "ب", "ل", "ف")


@lru_cache(maxsize=1)
def _index() -> dict[str, tuple[dict[str, str], list[tuple[str, str]]]]:
    """Per language: exact folded word -> concept, and (stem, concept) longest stem first."""
    index: dict[str, tuple[dict[str, str], list[tuple[str, str]]]] = {}
    for concept, by_language in _LEXICON.items():
        for code, spaced in by_language.items():
            for target in (code, _ANY):
                exact, stems = index.setdefault(target, ({}, []))
                for word in spaced.split():
                    if word.endswith("*"):
                        stems.append((fold_key(word[:-1]), concept))
                    else:
                        exact.setdefault(fold_key(word), concept)
    for _exact, stems in index.values():
        stems.sort(key=lambda s: -len(s[0]))
    return index


def concept_of(word: str, language: str | None) -> str | None:
    """The lexicon concept of a counted word ("réfugiés" -> "refugees"), or None."""
    exact, stems = _index().get(language or _ANY) or _index()[_ANY]
    key = fold_key(word)
    forms = [key]
    if language in ("ar", "fa", None):
        forms += [key[len(c) :] for c in _CLITICS if key.startswith(c) and len(key) - len(c) >= 3]
    for form in forms:
        if form in exact:
            return exact[form]
        for stem, concept in stems:
            if form.startswith(stem):
                return concept
    return None


def _lemma(key: str, language: str) -> str:
    """A folded word without its plural ending, where that is one regular suffix."""
    if language == "en":
        if key.endswith("ies") and len(key) > 4:
            return key[:-3] + "y"
        if key.endswith(("ches", "shes", "sses", "xes")):
            return key[:-2]
        if key.endswith("s") and not key.endswith("ss") and len(key) > 3:
            return key[:-1]
    elif language in ("fr", "es", "pt", "it"):
        if key.endswith(("s", "x")) and len(key) > 3:
            return key[:-1]
    elif language in ("tr", "az"):
        for suffix in ("lar", "ler"):
            if key.endswith(suffix) and len(key) > 5:
                return key[: -len(suffix)]
    return key


def counted_key(word: str, language: str | None) -> str:
    """The language-independent key of what a quantity counts: a concept, or "<lang>:<lemma>"."""
    concept = concept_of(word, language)
    if concept is not None:
        return concept
    code = language or "xx"
    return f"{code}:{_lemma(fold_key(word), code)}"


def lexicon_prefix(chars: str, language: str) -> int:
    """The length of the longest lexicon word (exact, not a stem) that `chars` starts with: Chinese."""
    exact, _stems = _index().get(language) or _index()[_ANY]
    for length in range(len(chars), 0, -1):
        if chars[:length] in exact:
            return length
    return 0
