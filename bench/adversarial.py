"""Hostile texts against every stage's cost: `python -m bench adversarial`.

Builds adversarial articles at 2.5, 5, 10 and 20 thousand characters for each
class (random characters from many Unicode blocks, one huge word, thousands of
capitalised words in a row, varied and repeated, one long entity span of
place-like words and an 'X of Y of Z' organisation chain, long runs of numbers,
dates and hedges, deeply repeated date expressions), declared in English and in
other languages the reader handles (the spaCy, natasha and rule-read families),
and times each stage apart, after a warm-up read so that model loading is left
out: the full read of one article as analyze reads it (``read_batch``), its
embedding (title and lead), and ``analyze`` end to end on a fresh store holding
only that article (ingest, read, embed, group, fuse, with its ingest file
written beforehand).

Per class, language and stage it reports the seconds at each size and the growth
per doubling (the geometric mean of the time ratios between neighbouring sizes:
2 is linear, 4 quadratic). Issue 13 asks every 10,000-character text to be read
in under 2 s; ``over_2s`` lists the reads that were not. ``--data`` is accepted
like every benchmark's, but the texts are made here (seeded, so each run reads
the same ones).
"""

from __future__ import annotations

import argparse
import json
import math
import os
import random
import tempfile
import time
from datetime import datetime
from pathlib import Path

from bench._common import emit, peak_rss_mb

SIZES = (2.5, 5.0, 10.0, 20.0)  # thousands of characters
LANGUAGES = ("en", "ru", "fr", "es", "de", "tr", "ar", "zh")
CLASSES = ("unicode", "huge_word", "capitals_varied", "capitals_repeated", "entity_span", "numbers", "dates")
STAGES = ("read", "embed", "analyze")
PUBLISHED = "2020-11-09T10:00:00+00:00"

# Code point ranges drawn from by the 'unicode' class.
_BLOCKS = [
    (0x41, 0x5A), (0x61, 0x7A), (0xC0, 0xFF), (0x100, 0x17F),  # Latin
    (0x410, 0x44F), (0x400, 0x40F),  # Cyrillic
    (0x621, 0x64A), (0x660, 0x669), (0x6F0, 0x6F9),  # Arabic letters, Arabic-Indic and Persian digits
    (0x905, 0x939), (0x93E, 0x94D), (0x966, 0x96F),  # Devanagari letters, signs, digits
    (0x4E00, 0x9FFF),  # CJK
    (0xAC00, 0xD7A3),  # Hangul
    (0x1F300, 0x1F64F), (0x1F680, 0x1F6FF),  # emoji
    (0x300, 0x36F),  # combining marks
    (0x202A, 0x202E), (0x2066, 0x2069), (0x200B, 0x200F),  # bidi controls, zero-width
    (0x30, 0x39), (0x21, 0x2F), (0x3A, 0x40), (0x2010, 0x2027), (0x3000, 0x303F), (0xFF01, 0xFF5E),  # digits, punctuation
]
_SEPARATORS = [" "] * 12 + ["\n", ". ", ", ", "\u00a0", "\t", "\n\n", "- "]

# Per language: its alphabet (upper, lower), place-like words, an organisation chain's parts, a sentence opening.
_WORDS = {
    "en": ("ABCDEFGHIJKLMNOPRSTUVWY", "abcdefghiklmnoprstuvwy",
           "North West Lake River Valley Mountain Upper Lower Saint Port New Old Fort Bay",
           ("the Ministry", "of the", "Council Committee Agency Union Commission Bank Office Assembly Army Police"),
           "Troops left Wrabrook on Monday. They crossed the"),
    "ru": ("АБВГДЕЖЗИКЛМНОПРСТУФХЦЧШЭЮЯ", "абвгдежзиклмнопрстуфхцчшщыьэюя",
           "Северный Западный Озеро Река Долина Гора Верхний Нижний Святой Порт Новый Старый Форт Залив",
           ("Министерство", "", "Совета Комитета Агентства Союза Комиссии Банка Управления Собрания Армии Полиции"),
           "Войска покинули Вралбрук в понедельник. Они пересекли"),
    "fr": ("ABCDEFGHIJLMNOPRSTUVÉ", "abcdefghijlmnopqrstuvéèàç",
           "Nord Ouest Lac Rivière Vallée Mont Haut Bas Saint Port Neuf Vieux Fort Baie",
           ("le ministère", "de la", "Conseil Commission Agence Union Comité Banque Office Assemblée Armée Police"),
           "Les troupes ont quitté Wrabrook lundi. Elles ont traversé la région"),
    "es": ("ABCDEFGHIJLMNOPRSTUVÁÑ", "abcdefghijlmnñopqrstuváéíóú",
           "Norte Oeste Lago Río Valle Monte Alto Bajo San Puerto Nuevo Viejo Fuerte Bahía",
           ("el Ministerio", "de la", "Consejo Comisión Agencia Unión Comité Banco Oficina Asamblea Ejército Policía"),
           "Las tropas salieron de Wrabrook el lunes. Cruzaron la región de"),
    "de": ("ABCDEFGHIJKLMNOPRSTUVWZÄÖÜ", "abcdefghijklmnoprstuvwzäöüß",
           "Nord West See Fluss Tal Berg Ober Unter Sankt Hafen Neu Alt Burg Bucht",
           ("das Ministerium", "der", "Rates Kommission Agentur Union Ausschusses Bank Amtes Versammlung Armee Polizei"),
           "Truppen verließen Wrabrook am Montag. Sie durchquerten die Region"),
    "tr": ("ABCÇDEFGHIİKLMNOÖPRSŞTUÜVYZ", "abcçdefghıijklmnoöprsştuüvyz",
           "Kuzey Batı Göl Nehir Vadi Dağ Yukarı Aşağı Aziz Liman Yeni Eski Kale Körfez",
           ("", "", "Savunma Bakanlığı Konseyi Komisyonu Ajansı Birliği Komitesi Bankası Meclisi Ordusu Polisi"),
           "Askerler pazartesi Wrabrook'tan ayrıldı. Şu bölgeyi geçtiler:"),
    "ar": ("", "ابتثجحخدذرزسشصضطظعغفقكلمنهوي",
           "شمال غرب بحيرة نهر وادي جبل أعلى أسفل القديس ميناء جديد قديم قلعة خليج",
           ("وزارة", "", "مجلس لجنة وكالة اتحاد هيئة بنك مكتب جمعية جيش شرطة"),
           "غادرت القوات رابروك يوم الاثنين. وعبرت منطقة"),
    "zh": ("", "的国人民大中华年月日北京市政府部队说在有和了是",
           "北 西 湖 河 谷 山 上 下 圣 港 新 旧 堡 湾",
           ("", "", "国防部 委员会 理事会 联盟 机构 委员会 银行 办公室 议会 军队 警察"),
           "部队星期一离开了拉布鲁克。他们穿过了"),
}


# Per language: date expressions the time grammar reads (full dates, months, weekdays, relative days, numeric).
_DATES = {
    "en": ["Monday, 9 November 2020", "in November 2019", "2020-11-09", "yesterday", "last week", "three days ago",
           "on the 25th", "between 3 and 5 November", "early December", "11/09/2020"],
    "ru": ["понедельник, 9 ноября 2020 года", "в ноябре 2019 года", "2020-11-09", "вчера", "на прошлой неделе",
           "три дня назад", "9.11.2020", "с 3 по 5 ноября"],
    "fr": ["lundi 9 novembre 2020", "en novembre 2019", "2020-11-09", "hier", "la semaine dernière",
           "il y a trois jours", "le 25", "09/11/2020", "début décembre"],
    "es": ["lunes 9 de noviembre de 2020", "en noviembre de 2019", "2020-11-09", "ayer", "la semana pasada",
           "hace tres días", "el día 25", "09/11/2020"],
    "de": ["Montag, 9. November 2020", "im November 2019", "2020-11-09", "gestern", "letzte Woche",
           "vor drei Tagen", "am 25.", "09.11.2020", "Anfang Dezember"],
    "tr": ["9 Kasım 2020 Pazartesi", "Kasım 2019'da", "2020-11-09", "dün", "geçen hafta", "üç gün önce",
           "09.11.2020", "Kasım'ın 25'inde"],
    "ar": ["الاثنين ٩ نوفمبر ٢٠٢٠", "في نوفمبر ٢٠١٩", "٢٠٢٠-١١-٠٩", "أمس", "الأسبوع الماضي", "قبل ثلاثة أيام",
           "9 تشرين الثاني 2020"],
    "zh": ["2020年11月9日星期一", "2019年11月", "2020-11-09", "昨天", "上周", "三天前", "11月25日"],
}


def _spaced(language: str) -> str:
    return "" if language == "zh" else " "


def _unicode(rng: random.Random, size: int, language: str) -> str:
    parts: list[str] = []
    length = 0
    while length < size:
        lo, hi = rng.choice(_BLOCKS)
        word = "".join(chr(rng.randint(lo, hi)) for _ in range(rng.randint(1, 12)))
        piece = word + rng.choice(_SEPARATORS)
        parts.append(piece)
        length += len(piece)
    return "".join(parts)[:size]


def _huge_word(rng: random.Random, size: int, language: str) -> str:
    upper, lower, *_rest = _WORDS[language]
    opening = _WORDS[language][4]
    letters = upper + lower
    word = (rng.choice(upper) if upper else "") + "".join(rng.choice(letters) for _ in range(size - len(opening) - 3))
    return f"{opening} {word}."


def _capitals(rng: random.Random, size: int, language: str, repeated: bool) -> str:
    """Capitalised words in a row, mostly of one or two letters (about 4,500 at 10,000 characters):
    drawn at random, or a cycle of a few letters, two-letter words and place-like words."""
    upper, lower, places, *_ = _WORDS[language]
    upper = upper or lower
    vocabulary = places.split()[:4] + [u + lower[k % len(lower)] for k, u in enumerate(upper[:8])] + list(upper[:6])
    rng.shuffle(vocabulary)
    words: list[str] = []
    length = 0
    while length < size - 1:
        if repeated:
            word = vocabulary[len(words) % len(vocabulary)]
        else:
            word = rng.choice(upper) + "".join(rng.choice(lower) for _ in range(rng.choice((0, 0, 0, 0, 1, 2))))
        words.append(word)
        length += len(word) + 1
    return " ".join(words)[: size - 1] + "."


def _entity_span(rng: random.Random, size: int, language: str) -> str:
    """One span of place-like words and one organisation chain 'X of Y of Z', each about half the text."""
    _upper, _lower, places, (head, link, bodies), opening = _WORDS[language]
    sp = _spaced(language)
    place_words = places.split()
    half = size // 2
    span: list[str] = []
    while sum(len(w) + len(sp) for w in span) < half - len(opening):
        span.append(place_words[len(span) % len(place_words)])
    chain: list[str] = [head] if head else []
    body = bodies.split()
    while sum(len(w) + 1 for w in chain) < half:
        chain.append(f"{link} {body[len(chain) % len(body)]}".strip() if link else body[len(chain) % len(body)])
    return f"{opening}{sp}{sp.join(span)}.{sp}{sp.join(chain)}{sp}."[:size + 200]


def _grammar_words(language: str) -> tuple[list[str], list[str]]:
    """Hedges and small number words from the reader's own quantity grammar."""
    import importlib

    grammar = importlib.import_module(f"storyline.read.quantities.lang.{language}").GRAMMAR
    return sorted(h for phrases in grammar.hedges.values() for h in phrases), sorted(grammar.small)


def _native(language: str, digits: str) -> str:
    if language == "ar":
        return digits.translate(str.maketrans("0123456789", "٠١٢٣٤٥٦٧٨٩"))
    return digits


def _numbers(rng: random.Random, size: int, language: str) -> str:
    """A run of hedged numbers, spelled numbers, decimals, ranges and dates without a sentence end."""
    hedges, numbers = _grammar_words(language)
    parts: list[str] = []
    length = 0
    while length < size:
        kind = rng.randrange(6)
        n = str(rng.randint(1, 99999))
        if kind == 0:
            piece = f"{rng.choice(hedges)} {_native(language, n)}"
        elif kind == 1:
            piece = f"{rng.choice(hedges)} {rng.choice(numbers)}"
        elif kind == 2:
            piece = _native(language, f"{rng.randint(1, 999)},{rng.randint(0, 999):03d}.{rng.randint(0, 9)}")
        elif kind == 3:
            piece = rng.choice(_DATES[language])
        elif kind == 4:
            piece = _native(language, f"{rng.randint(1, 500)}-{rng.randint(501, 9000)}")
        else:
            piece = _native(language, f"{rng.randint(1990, 2030)}-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}")
        piece += ", "
        parts.append(piece)
        length += len(piece)
    return "".join(parts)


def _dates(rng: random.Random, size: int, language: str) -> str:
    """The same few date expressions, repeated: full dates, months, relative days, numeric dates."""
    pattern = _DATES[language]
    parts: list[str] = []
    length = 0
    k = 0
    while length < size:
        piece = pattern[k % len(pattern)] + (", " if k % 7 else ". ")
        parts.append(piece)
        length += len(piece)
        k += 1
    return "".join(parts)


def make_text(kind: str, characters: int, language: str, seed: int = 13) -> str:
    """One adversarial text of about ``characters`` characters (seeded: the same each run)."""
    rng = random.Random(f"{seed}-{kind}-{language}-{characters}")
    if kind == "unicode":
        return _unicode(rng, characters, language)
    if kind == "huge_word":
        return _huge_word(rng, characters, language)
    if kind in ("capitals_varied", "capitals_repeated"):
        return _capitals(rng, characters, language, repeated=kind == "capitals_repeated")
    if kind == "entity_span":
        return _entity_span(rng, characters, language)
    if kind == "numbers":
        return _numbers(rng, characters, language)
    if kind == "dates":
        return _dates(rng, characters, language)
    raise ValueError(f"unknown class {kind!r}")


def _article(text: str, language: str, name: str):
    from storyline.models import Article

    return Article(id=name, text=text, language=language, title=f"Report {name}",
                   published=datetime.fromisoformat(PUBLISHED), published_basis="metadata")


def time_read(article) -> float:
    from storyline.read.reader import read_batch

    started = time.perf_counter()
    read_batch([article])
    return time.perf_counter() - started


def time_embed(article) -> float:
    from storyline.analysis import EMBEDDING_MODEL, embedding_text
    from storyline.stories import embed_texts

    started = time.perf_counter()
    embed_texts([embedding_text(article)], model=EMBEDDING_MODEL)
    return time.perf_counter() - started


def time_analyze(text: str, language: str, folder: Path, name: str) -> float:
    """Ingest, read, embed, group and fuse one article on a fresh store (its input file written beforehand)."""
    import storyline

    source = folder / f"{name}.jsonl"
    source.write_text(json.dumps({"text": text, "title": f"Report {name}", "language": language,
                                  "published": PUBLISHED}) + "\n", encoding="utf-8")
    started = time.perf_counter()
    with storyline.open(folder / f"{name}.db") as db:
        db.analyze([source], n_process=1)
    return time.perf_counter() - started


def growth(sizes: list[float], seconds: list[float]) -> float | None:
    """Time ratio per doubling of the size (2 linear, 4 quadratic): the slope of log time over
    log size between the smallest and largest size, so sizes need not double."""
    pairs = [(n, t) for n, t in zip(sizes, seconds, strict=True) if t > 0]
    if len(pairs) < 2 or pairs[-1][0] == pairs[0][0]:
        return None
    (n0, t0), (n1, t1) = pairs[0], pairs[-1]
    return round(2 ** (math.log(t1 / t0) / math.log(n1 / n0)), 2)


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench adversarial")
    parser.add_argument("--data", default=None, help="unused: the texts are made here")
    parser.add_argument("--languages", default=",".join(LANGUAGES), help="comma-separated language codes")
    parser.add_argument("--classes", default=",".join(CLASSES), help="comma-separated classes")
    parser.add_argument("--stages", default=",".join(STAGES), help="comma-separated stages: read, embed, analyze")
    parser.add_argument("--sizes", default=",".join(str(s) for s in SIZES), help="thousands of characters")
    parser.add_argument("--repeat", type=int, default=1, help="best of N timings per measurement")
    args = parser.parse_args(argv)
    languages = args.languages.split(",")
    classes = args.classes.split(",")
    stages = args.stages.split(",")
    sizes = [float(s) for s in args.sizes.split(",")]

    from storyline.analysis import load_models
    from storyline.read.gazetteer import load_gazetteer
    from storyline.read.reader import load_models as load_readers
    from storyline.read.reader import read_batch

    started = time.perf_counter()
    load_models()
    load_readers(languages)
    load_gazetteer().warm()  # indexes built once per process on first use: start-up, not a text's cost
    for language in languages:  # warm every component of every language on an ordinary text
        read_batch([_article(make_text("dates", 300, language), language, f"warm-{language}")])
    warm = time.perf_counter() - started
    load = os.getloadavg()
    print(f"models loaded and warmed in {warm:.1f} s; load average {load[0]:.2f} {load[1]:.2f} {load[2]:.2f}")
    results: dict[str, dict[str, dict[str, dict[str, object]]]] = {}
    over: list[str] = []
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        for kind in classes:
            for language in languages:
                per_stage: dict[str, dict[str, object]] = {}
                for stage in stages:
                    seconds = []
                    for size in sizes:
                        text = make_text(kind, int(size * 1000), language)
                        name = f"{kind}-{language}-{size:g}"
                        best = math.inf
                        for k in range(args.repeat):
                            article = _article(text, language, name)
                            if stage == "read":
                                took = time_read(article)
                            elif stage == "embed":
                                took = time_embed(article)
                            else:
                                took = time_analyze(text, language, folder, f"{name}-{k}")
                            best = min(best, took)
                        seconds.append(round(best, 3))
                        if stage == "read" and size == 10 and best >= 2:
                            over.append(f"{kind}/{language}")
                    per_stage[stage] = {"seconds": dict(zip((f"{s:g}k" for s in sizes), seconds, strict=True)),
                                        "growth_per_doubling": growth(list(sizes), seconds)}
                    print(f"{kind:18} {language} {stage:8} " + " ".join(f"{s:7.3f}" for s in seconds)
                          + f"  x{per_stage[stage]['growth_per_doubling']} per doubling", flush=True)
                results.setdefault(kind, {})[language] = per_stage
    worst = {stage: max(((results[k][lang][stage]["growth_per_doubling"] or 0, f"{k}/{lang}")
                         for k in classes for lang in languages), default=None) for stage in stages}
    slowest = {stage: max(((results[k][lang][stage]["seconds"].get("10k", 0), f"{k}/{lang}")  # type: ignore[union-attr]
                           for k in classes for lang in languages), default=None) for stage in stages}
    emit({
        "benchmark": "adversarial",
        "sizes_thousand_characters": sizes,
        "languages": languages,
        "results": results,
        "worst_growth_per_doubling": worst,
        "slowest_at_10k": slowest,
        "over_2s": over,
        "warm_up_seconds": round(warm, 2),
        "load_average": [round(x, 2) for x in os.getloadavg()],
        "peak_rss_mb": peak_rss_mb(),
    })
    return 0
